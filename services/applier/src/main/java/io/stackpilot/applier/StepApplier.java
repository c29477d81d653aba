package io.stackpilot.applier;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.stackpilot.applier.render.Ownership;
import io.stackpilot.applier.render.StepRenderer;
import io.stackpilot.events.ResourceRef;
import io.stackpilot.events.StepAction;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepFailed;
import io.stackpilot.events.StepRequested;
import io.stackpilot.kube.ApiFailure;
import io.stackpilot.kube.FleetClients;
import io.stackpilot.runtime.Envelopes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one step on its cluster: APPLY and ROLL_BACK server-side-apply the rendered objects
 * under a fixed field manager, PRUNE deletes the component's objects. Says what happened as a
 * StepApplied (with the step's action and resourceVersions) or a StepFailed (with reason, retriable
 * and the attempts made).
 *
 * <p><b>Retries.</b> A transient failure ({@link ApiFailure#retriable()}: timeouts, 429, 5xx,
 * refused connections) is tried again after a backoff ({@link RetryPolicy}); a permanent one (403,
 * 404 of a missing CRD, 422) fails the step at once. fabric8's own retries are switched off for the
 * clients used here, so there is one retry loop, with jitter and a deadline, not two nested ones.
 * An apply's retry carries on where the last attempt stopped: objects completed in this handling
 * are not read or written again (a prune lists again and finds only what is left). After a refusal
 * (5xx, 429, refused connection) the object that failed is written again at once, as server-side
 * apply is idempotent and a second read would only add load to a struggling server; after a timeout
 * it is read first, because the answer, not the write, may be what was lost.
 *
 * <p><b>Time on the consumer thread.</b> Steps are handled on the Kafka consumer thread, inside the
 * record's transaction, so a step's handling must end well within {@code max.poll.interval.ms} (5
 * min) for every record of a poll. The deadline (default 60 s) is checked before each object and
 * before each wait, so a step takes at most the deadline plus one object's read and write (two
 * request timeouts, 10 s each by default): 80 s. applier.yml caps a poll at 2 records: 160 s of 300
 * s. A prune attempt is not cut between its objects (ComponentPruner lists and deletes by itself);
 * the deadline bounds when it is tried again.
 *
 * <p><b>One cluster does not hold the others back.</b> Steps are keyed by cluster, so a cluster's
 * steps sit in one partition, in order; applier.yml gives each of the topic's 6 partitions its own
 * consumer thread. A slow or unreachable cluster blocks only the partition it hashes to, and only
 * for the bounded time above per step; clusters in other partitions go on. Chosen over handing
 * steps to a per-cluster executor because the consume-and-produce transaction is per record on the
 * consumer thread: asynchronous handling would need manual offset and transaction bookkeeping to
 * keep "exactly once per step". Limits: clusters that share a partition with a failing one still
 * wait behind its steps (at most about 80 s each), and one instance applies at most 6 steps at
 * once; more parallelism needs more partitions (and instances).
 */
class StepApplier {
  private static final Logger LOG = LoggerFactory.getLogger(StepApplier.class);

  private final FleetClients clusters;
  private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();
  private final StepRenderer renderer = new StepRenderer();
  private final ComponentPruner pruner = new ComponentPruner();
  private final Envelopes envelopes;
  private final Clock clock;
  private final Retry retry;

  /** With the default retry settings, {@link RetryPolicy#DEFAULTS}. */
  StepApplier(FleetClients clusters, Envelopes envelopes, Clock clock) {
    this(clusters, envelopes, clock, Retry.of(RetryPolicy.DEFAULTS, clock));
  }

  StepApplier(FleetClients clusters, Envelopes envelopes, Clock clock, Retry retry) {
    this.clusters = clusters;
    this.envelopes = envelopes;
    this.clock = clock;
    this.retry = retry;
  }

  SpecificRecord apply(StepRequested step) {
    long start = clock.millis();
    String cluster = step.getEnvelope().getCluster();
    StepAction action = actionOf(step);
    Progress progress = new Progress();
    Retry.Result result =
        retry.run(
            "step " + step.getStepId() + " (" + action + ")",
            new Retry.Attempts() {
              @Override
              public void attempt(Instant deadline) {
                KubernetesClient client = client(cluster);
                switch (action) {
                  case PRUNE -> pruner.prune(client, step, progress.done);
                  case APPLY, ROLL_BACK -> serverSideApply(client, step, progress, deadline);
                }
              }

              @Override
              public int completed() {
                return progress.done.size();
              }

              @Override
              public void failed(ApiFailure failure) {
                if (failure.reason() == ApiFailure.Reason.TIMEOUT) {
                  progress.mustWrite = false; // the write may have landed: read it first
                }
              }
            });
    if (result.failure().isPresent()) {
      Retry.Failure failure = result.failure().get();
      LOG.warn(
          "step {} ({}) failed after {} attempt(s): {} ({})",
          step.getStepId(),
          action,
          result.attempts(),
          failure.classified().reason().text(),
          failure.error().toString());
      return failed(step, failure.classified(), result.attempts(), progress.done);
    }
    LOG.info(
        "step {} done ({}): {} objects, {} attempt(s)",
        step.getStepId(),
        action,
        progress.done.size(),
        result.attempts());
    return StepApplied.newBuilder()
        .setEnvelope(envelopes.causedBy(step.getEnvelope()))
        .setStepId(step.getStepId())
        .setComponent(step.getComponent())
        .setDigest(step.getDigest())
        .setResources(progress.done)
        .setDurationMillis(clock.millis() - start)
        .setAction(action)
        .build();
  }

  private SpecificRecord failed(
      StepRequested step, ApiFailure failure, int attempts, List<ResourceRef> done) {
    return StepFailed.newBuilder()
        .setEnvelope(envelopes.causedBy(step.getEnvelope()))
        .setStepId(step.getStepId())
        .setComponent(step.getComponent())
        .setDigest(step.getDigest())
        .setReason(failure.reason().text())
        .setMessage(String.valueOf(failure.message()))
        .setRetriable(failure.retriable())
        .setAttempt(attempts)
        .setResources(done)
        .build();
  }

  /**
   * The cluster's client with fabric8's own retries off (same connection pool and timeouts): the
   * retry loop above is the only one, so its attempts, backoff and deadline are what happens.
   */
  private KubernetesClient client(String cluster) {
    return clients.computeIfAbsent(
        cluster,
        name -> {
          KubernetesClient shared = clusters.client(name);
          RequestConfig once =
              new RequestConfigBuilder(shared.getConfiguration().getRequestConfig())
                  .withRequestRetryBackoffLimit(0)
                  .build();
          return shared.newClient(once).adapt(KubernetesClient.class);
        });
  }

  /** What one handling of a step has done so far, so that a retry carries on from there. */
  private static final class Progress {
    final List<ResourceRef> done = new ArrayList<>();
    List<HasMetadata> objects;

    /** The next object was read and does not hold what the step writes. */
    boolean mustWrite;
  }

  /**
   * APPLY and ROLL_BACK are the same operation: a roll-back step carries the earlier revision's
   * chart, values and digest, so applying it restores that revision.
   *
   * <p>An object that already holds everything this step would write (its labels, annotations,
   * which carry the step id and digest, and content) is not written again: that is a step handled a
   * second time, after a crash or a rebalance between the apply and the commit of its transaction.
   * The shared Namespace, which carries no step id, is covered the same way. Reading first costs
   * one GET per object; it is what makes "applied once per step" hold for the cluster as well as
   * for the topic.
   *
   * <p>Starts at the first object {@code progress} has not completed, and stops with a timeout when
   * the step's deadline has passed before an object.
   */
  private void serverSideApply(
      KubernetesClient client, StepRequested step, Progress progress, Instant deadline) {
    if (progress.objects == null) {
      progress.objects = renderer.render(step);
    }
    for (int i = progress.done.size(); i < progress.objects.size(); i++) {
      if (!clock.instant().isBefore(deadline)) {
        throw new DeadlinePassed(retry.policy().deadline());
      }
      HasMetadata object = progress.objects.get(i);
      HasMetadata live = null;
      if (!progress.mustWrite) {
        live = client.resource(object).get();
        progress.mustWrite = live == null || !holds(client, live, object);
      }
      if (progress.mustWrite) {
        live =
            client
                .resource(object)
                .fieldManager(Ownership.fieldManager(object, step.getComponent()))
                .forceConflicts()
                .serverSideApply();
        progress.mustWrite = false;
      } else {
        LOG.info(
            "step {}: {}/{} already applied by this step, not written again",
            step.getStepId(),
            object.getKind(),
            object.getMetadata().getName());
      }
      progress.done.add(ResourceRefs.of(live));
    }
  }

  /** The step's deadline passed between objects: a timeout, as trying longer is not allowed. */
  static final class DeadlinePassed extends RuntimeException {
    DeadlinePassed(Duration deadline) {
      super(
          "the step's deadline of " + deadline.toMillis() + " ms passed",
          new TimeoutException("step deadline"));
    }
  }

  /** Whether the live object already holds every field the rendered one sets. */
  private static boolean holds(KubernetesClient client, HasMetadata live, HasMetadata desired) {
    var json = client.getKubernetesSerialization();
    return AppliedFields.held(
        json.convertValue(live, JsonNode.class), json.convertValue(desired, JsonNode.class));
  }

  private static StepAction actionOf(StepRequested step) {
    // the schema defaults it to APPLY; only a hand-built record can leave it null
    return step.getAction() == null ? StepAction.APPLY : step.getAction();
  }
}
