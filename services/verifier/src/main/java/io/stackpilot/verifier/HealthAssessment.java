package io.stackpilot.verifier;

import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.ResourceRef;
import java.util.List;
import java.util.Map;

/**
 * Judges a component from its objects as read back: a pure function. All present with the applied
 * digest is HEALTHY; a missing object is MISSING; a digest other than the applied one is DEGRADED
 * (someone changed it since); an object that could not be read makes the verdict UNKNOWN. After a
 * prune it is the other way round: every object absent is HEALTHY (see {@link #assessPruned}).
 */
public final class HealthAssessment {
  public static final String DIGEST_ANNOTATION = "stackpilot.io/digest";

  /**
   * One object as the verifier saw it; {@code error} set when it could not be read, {@code
   * deletionTimestamp} when it is present but being deleted (finalizers still running).
   */
  public record Observed(
      ResourceRef ref,
      boolean present,
      Map<String, String> annotations,
      String error,
      String deletionTimestamp) {

    public Observed(
        ResourceRef ref, boolean present, Map<String, String> annotations, String error) {
      this(ref, present, annotations, error, null);
    }
  }

  /** The verdict per object and for the component. */
  public record Verdict(HealthStatus health, String reason, List<ObjectVerdict> objects) {}

  /** The verdict for one object. */
  public record ObjectVerdict(ResourceRef ref, HealthStatus health, String message) {}

  public Verdict assess(String expectedDigest, List<Observed> observed) {
    List<ObjectVerdict> objects = observed.stream().map(o -> judge(expectedDigest, o)).toList();
    HealthStatus worst = worst(objects);
    String reason =
        worst == HealthStatus.HEALTHY
            ? "all " + objects.size() + " objects present with digest " + expectedDigest
            : bad(objects) + " of " + objects.size() + " objects " + worst.name().toLowerCase();
    return new Verdict(worst, reason, objects);
  }

  /**
   * Judges a pruned component: each listed object must be gone. Absent is HEALTHY, present with a
   * deletionTimestamp is PROGRESSING (deletion under way), present otherwise is DEGRADED (the prune
   * did not take, or something recreated it), unreadable is UNKNOWN.
   */
  public Verdict assessPruned(List<Observed> observed) {
    List<ObjectVerdict> objects = observed.stream().map(HealthAssessment::judgePruned).toList();
    HealthStatus worst = worst(objects);
    String reason =
        worst == HealthStatus.HEALTHY
            ? "pruned: " + objects.size() + " objects absent"
            : "pruned: "
                + bad(objects)
                + " of "
                + objects.size()
                + " objects not absent ("
                + worst.name().toLowerCase()
                + ")";
    return new Verdict(worst, reason, objects);
  }

  private static ObjectVerdict judgePruned(Observed o) {
    if (o.error() != null) {
      return new ObjectVerdict(o.ref(), HealthStatus.UNKNOWN, "not readable: " + o.error());
    }
    if (!o.present()) {
      return new ObjectVerdict(o.ref(), HealthStatus.HEALTHY, "absent");
    }
    if (o.deletionTimestamp() != null) {
      return new ObjectVerdict(
          o.ref(), HealthStatus.PROGRESSING, "being deleted since " + o.deletionTimestamp());
    }
    return new ObjectVerdict(o.ref(), HealthStatus.DEGRADED, "still present after prune");
  }

  private static HealthStatus worst(List<ObjectVerdict> objects) {
    HealthStatus worst = HealthStatus.HEALTHY;
    for (ObjectVerdict v : objects) {
      if (rank(v.health()) > rank(worst)) {
        worst = v.health();
      }
    }
    return worst;
  }

  private static long bad(List<ObjectVerdict> objects) {
    return objects.stream().filter(v -> v.health() != HealthStatus.HEALTHY).count();
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

  /** The worse of two statuses: MISSING > UNKNOWN > DEGRADED > PROGRESSING > HEALTHY. */
  static HealthStatus worse(HealthStatus a, HealthStatus b) {
    return rank(b) > rank(a) ? b : a;
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
