package io.stackpilot.planner.rules;

import io.stackpilot.planner.spec.AlloySettings;
import io.stackpilot.planner.spec.ComponentType;
import java.util.List;
import java.util.regex.Pattern;

/** An Alloy DaemonSet scraping kubelets keeps only its own node's. */
final class AlloyNodeLocalScrape extends SeedRule {
  private static final Pattern NODE_NAME =
      Pattern.compile("env\\(\\s*\"(NODE_NAME|HOSTNAME)\"\\s*\\)");

  AlloyNodeLocalScrape() {
    super(
        "ALLOY-NODE-LOCAL-SCRAPE",
        Severity.WARNING,
        "000",
        "An Alloy agent (DaemonSet) that discovers nodes (`discovery.kubernetes` with `role ="
            + " \"node\"`) keeps only its own node. Seed 000: \"Each Alloy pod should only scrape"
            + " its local node's kubelet to avoid duplicate metrics and out-of-order sample"
            + " errors.\"",
        "Add a `discovery.relabel` rule `{source_labels = [\"__meta_kubernetes_node_name\"],"
            + " regex = env(\"NODE_NAME\"), action = \"keep\"}` and set NODE_NAME from"
            + " `spec.nodeName` in `alloy.extraEnv`.");
  }

  @Override
  void check(StackView.ComponentView c, List<Finding> out) {
    if (!c.is(ComponentType.ALLOY) || !daemonSet(c)) {
      return;
    }
    Values.walk(
        c.values(),
        VPath.ROOT,
        (path, node) -> {
          if (!(node instanceof String text)
              || !River.looksLike(text)
              || NODE_NAME.matcher(text).find()) {
            return;
          }
          for (River.Block block : River.blocks(text)) {
            if (block.kind().equals("discovery.kubernetes")
                && block.attributes("role").contains("node")) {
              out.add(
                  finding(
                      c.field(path),
                      block.describe()
                          + " discovers every node and nothing keeps only env(\"NODE_NAME\"):"
                          + " each Alloy pod scrapes every kubelet (duplicates, out-of-order"
                          + " samples)"));
            }
          }
        });
  }

  private static boolean daemonSet(StackView.ComponentView c) {
    AlloySettings alloy = c.spec().alloy();
    if (alloy != null && alloy.mode() == AlloySettings.Mode.GATEWAY) {
      return false;
    }
    String controller = Values.text(c.get("controller", "type"));
    return controller == null || controller.equalsIgnoreCase("daemonset");
  }
}
