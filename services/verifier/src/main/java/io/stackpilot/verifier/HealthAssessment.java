package io.stackpilot.verifier;

import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.ResourceRef;
import java.util.List;
import java.util.Map;

/**
 * Judges a component from its objects as read back: a pure function. All present with the applied
 * digest is HEALTHY; a missing object is MISSING; a digest other than the applied one is DEGRADED
 * (someone changed it since); an object that could not be read makes the verdict UNKNOWN.
 */
public final class HealthAssessment {
  public static final String DIGEST_ANNOTATION = "stackpilot.io/digest";

  /** One object as the verifier saw it; {@code error} set when it could not be read. */
  public record Observed(
      ResourceRef ref, boolean present, Map<String, String> annotations, String error) {}

  /** The verdict per object and for the component. */
  public record Verdict(HealthStatus health, String reason, List<ObjectVerdict> objects) {}

  /** The verdict for one object. */
  public record ObjectVerdict(ResourceRef ref, HealthStatus health, String message) {}

  public Verdict assess(String expectedDigest, List<Observed> observed) {
    List<ObjectVerdict> objects = observed.stream().map(o -> judge(expectedDigest, o)).toList();
    HealthStatus worst = HealthStatus.HEALTHY;
    for (ObjectVerdict v : objects) {
      if (rank(v.health()) > rank(worst)) {
        worst = v.health();
      }
    }
    long bad = objects.stream().filter(v -> v.health() != HealthStatus.HEALTHY).count();
    String reason =
        worst == HealthStatus.HEALTHY
            ? "all " + objects.size() + " objects present with digest " + expectedDigest
            : bad + " of " + objects.size() + " objects " + worst.name().toLowerCase();
    return new Verdict(worst, reason, objects);
  }

  private static ObjectVerdict judge(String expectedDigest, Observed o) {
    if (o.error() != null) {
      return new ObjectVerdict(o.ref(), HealthStatus.UNKNOWN, "not readable: " + o.error());
    }
    if (!o.present()) {
      return new ObjectVerdict(o.ref(), HealthStatus.MISSING, "not found");
    }
    String digest = o.annotations() == null ? null : o.annotations().get(DIGEST_ANNOTATION);
    if (digest != null && !digest.equals(expectedDigest)) {
      return new ObjectVerdict(
          o.ref(), HealthStatus.DEGRADED, "digest " + digest + ", applied " + expectedDigest);
    }
    return new ObjectVerdict(o.ref(), HealthStatus.HEALTHY, "");
  }

  private static int rank(HealthStatus status) {
    return switch (status) {
      case HEALTHY -> 0;
      case PROGRESSING -> 1;
      case DEGRADED -> 2;
      case UNKNOWN -> 3;
      case MISSING -> 4;
    };
  }
}
