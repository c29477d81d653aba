package io.stackpilot.verifier.probe;

import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.ProbeKind;
import io.stackpilot.events.ProbeResult;

/**
 * What one synthetic probe found: success, how long it took, the HTTP status when there was one,
 * and in {@code message} why it failed (or what it checked). Targets are URLs without credentials.
 */
public record ProbeOutcome(
    ProbeKind kind,
    String target,
    boolean success,
    long latencyMillis,
    Integer httpStatus,
    String message) {

  /** The outcome as a ProbeResult event about a component. */
  public ProbeResult toEvent(EventEnvelope envelope, String probeId, String component) {
    return ProbeResult.newBuilder()
        .setEnvelope(envelope)
        .setProbeId(probeId)
        .setComponent(component)
        .setKind(kind)
        .setTarget(target)
        .setSuccess(success)
        .setLatencyMillis(latencyMillis)
        .setHttpStatus(httpStatus)
        .setMessage(message)
        .build();
  }
}
