package io.stackpilot.planner.rules;

import io.stackpilot.planner.spec.StackSpec;
import java.util.List;
import java.util.Map;

/** Object storage over plain HTTP sends credentials and data unencrypted. */
final class S3PlainHttp extends SeedRule {
  S3PlainHttp() {
    super(
        "S3-PLAIN-HTTP",
        Severity.WARNING,
        "003",
        "Object storage reached over plain HTTP (typed `objectStorage.insecure: true` or an"
            + " `http://` endpoint; in values an S3 block with `endpoint` and `insecure: true`)."
            + " Seed 003: \"S3 transport: Currently HTTP (`insecure: true`) over LAN. TODO:"
            + " Enable TLS on SeaweedFS and update all S3 endpoint configs to remove `insecure:"
            + " true`\".",
        "Enable TLS on the S3 endpoint, use https:// and drop `insecure: true`.");
  }

  @Override
  void check(StackView.ComponentView c, List<Finding> out) {
    StackSpec.ObjectStorage os = c.spec().objectStorage();
    if (os != null) {
      if (Boolean.TRUE.equals(os.insecure())) {
        out.add(finding(c.field("objectStorage.insecure"), message(os.endpoint())));
      } else if (os.endpoint() != null && os.endpoint().startsWith("http://")) {
        out.add(finding(c.field("objectStorage.endpoint"), message(os.endpoint())));
      }
    }
    Values.walk(
        c.values(),
        VPath.ROOT,
        (path, node) -> {
          if (node instanceof Map<?, ?> map
              && map.containsKey("endpoint")
              && Values.isTrue(map.get("insecure"))) {
            out.add(
                finding(c.field(path.key("insecure")), message(Values.text(map.get("endpoint")))));
          }
        });
  }

  private static String message(String endpoint) {
    return "object storage "
        + (endpoint == null ? "" : Urls.host(endpoint) + " ")
        + "is reached over plain HTTP: access keys and data cross the network unencrypted";
  }
}
