package io.stackpilot.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;

/**
 * The derived state of the fleet at one point of the log: per stack its desired revision and its
 * latest rollout, per cluster and stack every component (chart version, digest, last step, health,
 * drift), the cluster's latest gate decision and its open alerts. Its canonical form (sorted keys,
 * no whitespace, UTF-8) is what {@link #hash()} digests: equal states have equal bytes.
 */
public record FleetState(
    long events,
    SortedMap<String, StackState> stacks,
    SortedMap<String, ClusterState> clusters,
    SortedMap<String, AlertView> unscopedAlerts) {

  private static final ObjectMapper CANONICAL =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .serializationInclusion(JsonInclude.Include.ALWAYS)
          .build();

  /** A stack: what was last declared, and where its latest rollout stands. */
  public record StackState(
      String specRevision,
      String fleetRevision,
      String declaredBy,
      String declaredReason,
      String declaredRollout,
      String rolloutId,
      String phase,
      String transition) {}

  /** One cluster: its stacks' components, its latest gate decision, its open alerts. */
  public record ClusterState(
      SortedMap<String, SortedMap<String, ComponentState>> stacks,
      GateView latestGate,
      SortedMap<String, AlertView> openAlerts) {}

  /**
   * One component on one cluster. {@code digest} and {@code chartVersion} are what the last applied
   * step left there ({@code installed} false once it was pruned or before any apply).
   */
  public record ComponentState(
      boolean installed,
      String chartVersion,
      String digest,
      String deployedBy,
      StepView lastStep,
      HealthView health,
      String drift) {}

  /** The latest step of a component and what came of it: REQUESTED, APPLIED or FAILED. */
  public record StepView(
      String stepId, String action, String outcome, String digest, String reason) {}

  /** The verifier's latest verdict on a component. */
  public record HealthView(String status, String reason, String digest) {}

  /** The latest gate decision that named the cluster. */
  public record GateView(String rolloutId, int waveIndex, String decision, List<String> reasons) {}

  /** An alert that fired and has not resolved. */
  public record AlertView(String fingerprint, String alertname, String severity, String since) {}

  /** The canonical bytes: sorted keys, no whitespace, UTF-8. */
  public byte[] canonicalBytes() {
    return canonicalJson().getBytes(StandardCharsets.UTF_8);
  }

  public String canonicalJson() {
    return canonical(this);
  }

  /** sha256 of the canonical bytes, as {@code sha256:<hex>}. */
  public String hash() {
    return sha256(canonicalBytes());
  }

  /** One cluster's state, or an empty one when the log never named the cluster. */
  public ClusterState cluster(String name) {
    ClusterState state = clusters.get(name);
    return state != null
        ? state
        : new ClusterState(new java.util.TreeMap<>(), null, new java.util.TreeMap<>());
  }

  static String canonical(Object value) {
    try {
      return CANONICAL.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("state is not serializable", e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
  }
}
