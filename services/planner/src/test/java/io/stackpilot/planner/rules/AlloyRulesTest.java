package io.stackpilot.planner.rules;

import static io.stackpilot.planner.rules.Specs.ALLOY_CHART;
import static io.stackpilot.planner.rules.Specs.clean;
import static io.stackpilot.planner.rules.Specs.onlyFinding;
import static io.stackpilot.planner.rules.Specs.stack;

import org.junit.jupiter.api.Test;

/** Seed 000: each Alloy pod of the DaemonSet scrapes only its own node's kubelet. */
class AlloyRulesTest {

  static String alloy(String typed, String river) {
    return """
        components:
          - name: alloy
            type: alloy
            namespace: lgtm-system
            %s
        %s    values:
              alloy:
                configMap:
                  create: true
                  content: |
        %s"""
        .formatted(ALLOY_CHART, typed.indent(4), river.indent(12));
  }

  static String river(String keepRule) {
    return """
        // Discover Kubernetes nodes for kubelet scraping
        discovery.kubernetes "kubelet_nodes" {
          role = "node"
        }

        // Relabel to set correct address for kubelet scraping
        discovery.relabel "kubelet_local" {
          targets = discovery.kubernetes.kubelet_nodes.targets
        %s
          // Set the scrape address to node IP:10250
          rule {
            source_labels = ["__meta_kubernetes_node_address_InternalIP"]
            target_label  = "__address__"
            replacement   = "${1}:10250"
          }
        }

        prometheus.scrape "kubelet_cadvisor" {
          targets    = discovery.relabel.kubelet_local.output
          forward_to = []
          scheme = "https"
        }
        """
        .formatted(keepRule);
  }

  static final String KEEP_LOCAL_NODE =
      """
        // Only keep targets for the node where this pod is running
        rule {
          source_labels = ["__meta_kubernetes_node_name"]
          regex         = env("NODE_NAME")
          action        = "keep"
        }
      """;

  @Test
  void aDaemonSetScrapingEveryKubelet() {
    onlyFinding(
        stack(alloy("alloy: {mode: agent}", river(""))),
        "ALLOY-NODE-LOCAL-SCRAPE",
        "stack.spec.components[0].values.alloy.configMap.content");
    clean(stack(alloy("alloy: {mode: agent}", river(KEEP_LOCAL_NODE))));
  }

  @Test
  void aGatewayMayScrapeEveryNode() {
    clean(stack(alloy("alloy: {mode: gateway}", river(""))));
  }
}
