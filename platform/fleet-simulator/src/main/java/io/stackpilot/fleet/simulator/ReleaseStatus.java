package io.stackpilot.fleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stackpilot.fleet.simulator.Release.Source;

/**
 * The status Flux's helm-controller or Argo CD's application controller writes on a release while
 * it installs or upgrades, once every workload is ready, and when one cannot become ready: pure
 * functions of the stored object.
 */
final class ReleaseStatus {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int HISTORY = 5;

  private ReleaseStatus() {}

  /** Installing (no release yet) or upgrading: Ready Unknown / Application health Progressing. */
  static JsonNode progressing(JsonNode stored, Release release) {
    if (release.source() == Source.APPLICATION) {
      return application(stored, release, "Progressing", "");
    }
    ObjectNode status = copyStatus(stored);
    String action = status.path("history").isEmpty() ? "install" : "upgrade";
    status.put("lastAttemptedGeneration", release.generation());
    status.put("lastAttemptedRevision", release.chartVersion());
    status.put("lastAttemptedReleaseAction", action);
    String message =
        action.equals("install")
            ? "Fresh install in progress"
            : "Running 'upgrade' action with timeout of 5m0s";
    ArrayNode conditions = status.putArray("conditions");
    conditions.add(condition("Reconciling", "True", "Progressing", message));
    conditions.add(condition("Ready", "Unknown", "Progressing", message));
    return status;
  }

  /** Every workload ready: Ready True InstallSucceeded/UpgradeSucceeded / Synced and Healthy. */
  static JsonNode succeeded(JsonNode stored, Release release) {
    if (release.source() == Source.APPLICATION) {
      return application(stored, release, "Healthy", "");
    }
    ObjectNode status = copyStatus(stored);
    boolean install = "install".equals(status.path("lastAttemptedReleaseAction").asText("install"));
    JsonNode history = status.path("history");
    int version = history.isEmpty() ? 1 : history.get(0).path("version").asInt(0) + 1;
    String reason = install ? "InstallSucceeded" : "UpgradeSucceeded";
    String message =
        "Helm "
            + (install ? "install" : "upgrade")
            + " succeeded for release "
            + release.targetNamespace()
            + "/"
            + release.releaseName()
            + ".v"
            + version
            + " with chart "
            + release.chart()
            + "@"
            + release.chartVersion();
    status.put("observedGeneration", release.generation());
    status.put("lastAttemptedGeneration", release.generation());
    status.put("lastAttemptedRevision", release.chartVersion());
    ArrayNode newHistory = NODES.arrayNode();
    ObjectNode entry = newHistory.addObject();
    entry.put("name", release.releaseName());
    entry.put("namespace", release.targetNamespace());
    entry.put("version", version);
    entry.put("status", "deployed");
    entry.put("chartName", release.chart());
    entry.put("chartVersion", release.chartVersion());
    entry.put("firstDeployed", Timestamps.now());
    entry.put("lastDeployed", Timestamps.now());
    for (int i = 0; i < history.size() && newHistory.size() < HISTORY; i++) {
      newHistory.add(history.get(i));
    }
    status.set("history", newHistory);
    ArrayNode conditions = status.putArray("conditions");
    conditions.add(condition("Ready", "True", reason, message));
    conditions.add(condition("Released", "True", reason, message));
    return status;
  }

  /** A workload cannot become ready: Ready False InstallFailed/UpgradeFailed / Degraded. */
  static JsonNode failed(JsonNode stored, Release release, String cause) {
    if (release.source() == Source.APPLICATION) {
      return application(stored, release, "Degraded", cause);
    }
    ObjectNode status = copyStatus(stored);
    boolean install = "install".equals(status.path("lastAttemptedReleaseAction").asText("install"));
    String reason = install ? "InstallFailed" : "UpgradeFailed";
    String message =
        "Helm "
            + (install ? "install" : "upgrade")
            + " failed for release "
            + release.targetNamespace()
            + "/"
            + release.releaseName()
            + " with chart "
            + release.chart()
            + "@"
            + release.chartVersion()
            + ": "
            + cause;
    status.put("observedGeneration", release.generation());
    status.put("lastAttemptedGeneration", release.generation());
    status.put("lastAttemptedRevision", release.chartVersion());
    ArrayNode conditions = status.putArray("conditions");
    conditions.add(condition("Ready", "False", reason, message));
    conditions.add(condition("Released", "False", reason, message));
    return status;
  }

  private static JsonNode application(
      JsonNode stored, Release release, String health, String message) {
    ObjectNode status = copyStatus(stored);
    ObjectNode sync = status.putObject("sync");
    sync.put("status", "Synced");
    sync.put("revision", release.chartVersion());
    ObjectNode healthNode = status.putObject("health");
    healthNode.put("status", health);
    if (!message.isEmpty()) {
      healthNode.put("message", message);
    }
    status.put("sourceType", "Helm");
    status.put("reconciledAt", Timestamps.now());
    ObjectNode operation = status.putObject("operationState");
    operation.put("phase", "Succeeded");
    operation.put("message", "successfully synced (all tasks run)");
    operation.putObject("syncResult").put("revision", release.chartVersion());
    return status;
  }

  private static ObjectNode copyStatus(JsonNode stored) {
    JsonNode status = stored.path("status");
    return status instanceof ObjectNode object ? object.deepCopy() : NODES.objectNode();
  }

  private static ObjectNode condition(String type, String status, String reason, String message) {
    ObjectNode condition = NODES.objectNode();
    condition.put("type", type);
    condition.put("status", status);
    condition.put("reason", reason);
    condition.put("message", message);
    condition.put("lastTransitionTime", Timestamps.now());
    return condition;
  }
}
