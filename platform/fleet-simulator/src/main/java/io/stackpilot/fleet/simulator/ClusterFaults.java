package io.stackpilot.fleet.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The faults injected into one simulated cluster and its rollout delay: what its controllers and
 * its API server consult. Obtained from {@link FleetSimulator#faults(String)}; every method returns
 * {@code this} for chaining and takes effect at once.
 */
public final class ClusterFaults {

  /** The message seed 000's Mimir ingester crashed with (Mimir 3 without push gRPC enabled). */
  public static final String MIMIR_INGESTER_PUSH_GRPC_ERROR =
      "error validating config: cannot disable Push gRPC method in ingester, while ingest storage"
          + " (-ingest-storage.enabled) is not enabled";

  /** Why a workload cannot become ready (or becomes ready late). */
  public sealed interface WorkloadFault {
    /** Whether the workload still becomes ready (only a slow rollout does). */
    default boolean becomesReady() {
      return false;
    }

    /** The container/claim reason a real cluster would show, e.g. {@code CrashLoopBackOff}. */
    String reason();
  }

  /** The container exits at start with {@code message}, restarting every {@code restartEvery}. */
  public record CrashLoop(String message, Duration restartEvery) implements WorkloadFault {
    @Override
    public String reason() {
      return "CrashLoopBackOff";
    }
  }

  /**
   * The container is killed for exceeding its memory limit, restarting every {@code restartEvery}.
   */
  public record OomKilled(Duration restartEvery) implements WorkloadFault {
    @Override
    public String reason() {
      return "OOMKilled";
    }
  }

  /** The image cannot be pulled. */
  public record ImagePullBackOff() implements WorkloadFault {
    @Override
    public String reason() {
      return "ImagePullBackOff";
    }
  }

  /** The StatefulSet's PersistentVolumeClaims stay Pending (no volume, no storage class). */
  public record PvcPending(String message) implements WorkloadFault {
    @Override
    public String reason() {
      return "PersistentVolumeClaim Pending";
    }
  }

  /** The workload becomes ready only {@code readyAfter} after its rollout started. */
  public record SlowRollout(Duration readyAfter) implements WorkloadFault {
    @Override
    public boolean becomesReady() {
      return true;
    }

    @Override
    public String reason() {
      return "SlowRollout";
    }
  }

  /** Answers {@code code} to a share of requests whose path contains {@code pathContains}. */
  public record ApiErrors(int code, double fraction, String pathContains, int retryAfterSeconds) {}

  /** Holds the answer to a share of requests for {@code hold}: past a client's timeout. */
  public record Timeouts(Duration hold, double fraction, String pathContains) {}

  /** What the cluster does when asked to become unreachable or reachable again. */
  interface Reachability {
    void unreachable();

    void reachable();

    boolean isReachable();
  }

  static final Duration DEFAULT_RESTART_EVERY = Duration.ofSeconds(10);

  private final Map<String, WorkloadFault> workloads = new ConcurrentHashMap<>();
  private final List<ApiErrors> apiErrors = new CopyOnWriteArrayList<>();
  private final List<Timeouts> timeouts = new CopyOnWriteArrayList<>();
  private final AtomicLong requests = new AtomicLong();
  private final Reachability reachability;
  private volatile Duration rolloutDelay;
  private volatile Runnable workloadFaultsChanged = () -> {};

  ClusterFaults(Reachability reachability, Duration rolloutDelay) {
    this.reachability = reachability;
    this.rolloutDelay = rolloutDelay;
  }

  /** How long after a release's workloads are created they become ready (default 0). */
  public ClusterFaults rolloutDelay(Duration delay) {
    this.rolloutDelay = requireNonNegative(delay);
    return this;
  }

  /** The cluster's rollout delay. */
  public Duration rolloutDelay() {
    return rolloutDelay;
  }

  /** The workload's Pods crash at start with {@code message} (restart every 10 s). */
  public ClusterFaults crashLoop(String workload, String message) {
    return crashLoop(workload, message, DEFAULT_RESTART_EVERY);
  }

  /** The workload's Pods crash at start with {@code message}, restarting every {@code every}. */
  public ClusterFaults crashLoop(String workload, String message, Duration every) {
    return workload(workload, new CrashLoop(message, requirePositive(every)));
  }

  /** The workload's containers are OOMKilled (restart every 10 s). */
  public ClusterFaults oomKilled(String workload) {
    return workload(workload, new OomKilled(DEFAULT_RESTART_EVERY));
  }

  /** The workload's image cannot be pulled. */
  public ClusterFaults imagePullBackOff(String workload) {
    return workload(workload, new ImagePullBackOff());
  }

  /** The StatefulSet's volume claims stay Pending, so its Pods are never scheduled. */
  public ClusterFaults pvcPending(String workload) {
    return workload(
        workload,
        new PvcPending(
            "no persistent volumes available for this claim and no storage class is set"));
  }

  /** The workload becomes ready {@code readyAfter} after its rollout starts. */
  public ClusterFaults slowRollout(String workload, Duration readyAfter) {
    return workload(workload, new SlowRollout(requireNonNegative(readyAfter)));
  }

  /** Injects any workload fault, replacing the workload's previous one. */
  public ClusterFaults workload(String workload, WorkloadFault fault) {
    workloads.put(workload, fault);
    workloadFaultsChanged.run();
    return this;
  }

  /** Answers {@code code} to {@code fraction} (0..1] of all requests. */
  public ClusterFaults apiErrors(int code, double fraction) {
    return apiErrors(code, fraction, "");
  }

  /** Answers {@code code} to {@code fraction} of requests whose path contains {@code path}. */
  public ClusterFaults apiErrors(int code, double fraction, String path) {
    apiErrors.add(new ApiErrors(requireErrorCode(code), requireFraction(fraction), path, 1));
    return this;
  }

  /** Holds {@code fraction} of requests whose path contains {@code path} for {@code hold}. */
  public ClusterFaults timeouts(Duration hold, double fraction, String path) {
    timeouts.add(new Timeouts(requirePositive(hold), requireFraction(fraction), path));
    return this;
  }

  /** Holds every request for {@code hold}. */
  public ClusterFaults timeouts(Duration hold) {
    return timeouts(hold, 1.0, "");
  }

  /** The cluster stops accepting connections (its port is closed) until {@link #reachable()}. */
  public ClusterFaults unreachable() {
    reachability.unreachable();
    return this;
  }

  /** The cluster accepts connections again, on the same URL, with all its objects. */
  public ClusterFaults reachable() {
    reachability.reachable();
    return this;
  }

  /** Whether the cluster accepts connections. */
  public boolean isReachable() {
    return reachability.isReachable();
  }

  /** Removes every fault (the rollout delay stays) and makes the cluster reachable. */
  public ClusterFaults clear() {
    apiErrors.clear();
    timeouts.clear();
    workloads.clear();
    if (!reachability.isReachable()) {
      reachability.reachable();
    }
    workloadFaultsChanged.run();
    return this;
  }

  /** The fault injected into {@code workload}, if any. */
  public Optional<WorkloadFault> workloadFault(String workload) {
    return Optional.ofNullable(workloads.get(workload));
  }

  /** The workload faults in force, by workload name. */
  public Map<String, WorkloadFault> workloadFaults() {
    return Map.copyOf(workloads);
  }

  /** The API error rules in force. */
  public List<ApiErrors> apiErrors() {
    return List.copyOf(apiErrors);
  }

  /** The timeout rules in force. */
  public List<Timeouts> timeouts() {
    return List.copyOf(timeouts);
  }

  Duration readinessDelay(String workload) {
    if (workloads.get(workload) instanceof SlowRollout slow
        && slow.readyAfter().compareTo(rolloutDelay) > 0) {
      return slow.readyAfter();
    }
    return rolloutDelay;
  }

  void onWorkloadFaultsChanged(Runnable listener) {
    this.workloadFaultsChanged = listener;
  }

  /** The first rule that picks this request, given its sequence number; see {@link #picks}. */
  Optional<ApiErrors> apiErrorFor(String path, long sequence) {
    return apiErrors.stream()
        .filter(rule -> path.contains(rule.pathContains()) && picks(rule.fraction(), sequence))
        .findFirst();
  }

  Optional<Timeouts> timeoutFor(String path, long sequence) {
    return timeouts.stream()
        .filter(rule -> path.contains(rule.pathContains()) && picks(rule.fraction(), sequence))
        .findFirst();
  }

  long nextRequest() {
    return requests.incrementAndGet();
  }

  /**
   * Deterministic sampling: request {@code n} is picked when {@code floor(n * f)} steps past {@code
   * floor((n - 1) * f)}, so exactly every second request is picked at 0.5, all at 1.0.
   */
  static boolean picks(double fraction, long n) {
    return Math.floor(n * fraction) > Math.floor((n - 1) * fraction);
  }

  private static Duration requireNonNegative(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a delay cannot be negative: " + duration);
    }
    return duration;
  }

  private static Duration requirePositive(Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("must be positive: " + duration);
    }
    return duration;
  }

  private static double requireFraction(double fraction) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be in (0, 1]: " + fraction);
    }
    return fraction;
  }

  private static int requireErrorCode(int code) {
    if (code < 400 || code > 599) {
      throw new IllegalArgumentException("an API error is a 4xx or 5xx status: " + code);
    }
    return code;
  }
}
