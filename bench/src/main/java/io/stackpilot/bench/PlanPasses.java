package io.stackpilot.bench;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.serde.ConfluentAvroSerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The three timed passes of the plan benchmark, their topics and their producers: (c) raw
 * StepRequested bytes, (a) plan only, (b) plan + publish. Pass 0 is the warm-up.
 */
final class PlanPasses {
  static final String ROW_RAW = "(c) raw StepRequested";
  static final String ROW_PLAN = "(a) plan only";
  static final String ROW_PUBLISH = "(b) plan + publish";
  static final int DEFAULT_MAX_REQUEST_BYTES = 1 << 20;

  private final BenchEnvironment env;
  private final PlanWorkload workload;
  private final String runId;
  private final PlanTimer timer = new PlanTimer();
  private final PlanWorkload.Events sample;
  private final int rolloutBytes;
  private final int maxRequestBytes;
  private final EncodedSteps encoded;

  /**
   * Plans one sample change and encodes its events (untimed): the priming records, the raw
   * baseline's bytes, and the RolloutPlanned size the request limit must allow.
   */
  PlanPasses(BenchEnvironment env, PlanWorkload workload, String runId) {
    this.env = env;
    this.workload = workload;
    this.runId = runId;
    this.sample = workload.events(workload.change(UUID.randomUUID().toString()));
    try (ConfluentAvroSerializer serializer = new ConfluentAvroSerializer()) {
      serializer.configure(
          Map.of(ConfluentAvroSerializer.SCHEMA_REGISTRY_URL_CONFIG, env.registryUrl()), false);
      rolloutBytes = serializer.serialize(rollouts(0), sample.rollout()).length;
      encoded = EncodedSteps.of(sample.steps(), serializer, raws(0));
    }
    // Whole MiB, with room for the record and batch overhead.
    int mib = DEFAULT_MAX_REQUEST_BYTES;
    maxRequestBytes = Math.max(mib, (rolloutBytes / mib + 2) * mib);
  }

  /** Every pass's topics: the rollouts topic admits a RolloutPlanned of this size. */
  void createTopics(int repeat, short replicationFactor)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<NewTopic> topics = new ArrayList<>();
    String maxMessage = Integer.toString(maxRequestBytes);
    for (int pass = 0; pass <= repeat; pass++) {
      topics.add(
          new NewTopic(rollouts(pass), Topic.ROLLOUTS.partitions(), replicationFactor)
              .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, maxMessage)));
      topics.add(new NewTopic(steps(pass), Topic.STEPS.partitions(), replicationFactor));
      topics.add(new NewTopic(raws(pass), Topic.STEPS.partitions(), replicationFactor));
    }
    env.createTopics(topics);
  }

  /** (c): {@code plans} plans' worth of pre-encoded StepRequested records, cycled. */
  RunResult raw(int pass, int plans) throws Exception {
    int records = plans * encoded.count();
    String topic = raws(pass);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(rawConfig("plan-raw-" + passName(pass)))) {
      producer.send(new ProducerRecord<>(topic, encoded.keys()[0], encoded.values()[0]));
      producer.flush();
      int n = encoded.count();
      return timer.time(
          ROW_RAW,
          records,
          producer,
          Map.of(topic, records),
          plans * encoded.valueBytes(),
          () -> {
            for (int i = 0; i < records; i++) {
              producer.send(
                  new ProducerRecord<>(topic, encoded.keys()[i % n], encoded.values()[i % n]));
            }
            producer.flush();
          });
    }
  }

  /** (a): admit and plan each change. */
  RunResult planOnly(List<DesiredStateChanged> changes) throws Exception {
    int steps = changes.size() * workload.stepsPerPlan();
    long[] planned = new long[1];
    RunResult result =
        timer.time(
            ROW_PLAN,
            steps,
            () -> {
              for (DesiredStateChanged change : changes) {
                planned[0] += workload.plan(change).steps().size();
              }
            });
    if (planned[0] != steps) {
      throw new IllegalStateException("planned " + planned[0] + " steps, expected " + steps);
    }
    return result;
  }

  /** (b): admit, plan, build the events and publish them; flush at the end of the pass. */
  RunResult publish(int pass, List<DesiredStateChanged> changes) throws Exception {
    int steps = changes.size() * workload.stepsPerPlan();
    PlanWorkload.Topics topics = new PlanWorkload.Topics(rollouts(pass), steps(pass));
    try (KafkaProducer<String, Object> producer =
        new KafkaProducer<>(publishConfig("plan-publish-" + passName(pass)))) {
      // Priming: connections, metadata and both schema ids before the clock starts.
      producer.send(new ProducerRecord<>(topics.rollouts(), "priming", sample.rollout()));
      producer.send(new ProducerRecord<>(topics.steps(), "priming", sample.steps().get(0)));
      producer.flush();
      return timer.time(
          ROW_PUBLISH,
          steps,
          producer,
          Map.of(topics.rollouts(), changes.size(), topics.steps(), steps),
          // The sample plan's sizes: every plan's events differ only in ids of equal length.
          changes.size() * (rolloutBytes + encoded.valueBytes()),
          () -> {
            for (DesiredStateChanged change : changes) {
              workload.publish(change, producer, topics);
            }
            producer.flush();
          });
    }
  }

  /** Fresh changes (new rollout ids) for one pass, built before the clock starts. */
  List<DesiredStateChanged> changes(int count) {
    List<DesiredStateChanged> changes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      changes.add(workload.change(UUID.randomUUID().toString()));
    }
    return changes;
  }

  /** What Kafka's default max.request.size does with this plan's RolloutPlanned. */
  String defaultRequestSizeOutcome() throws InterruptedException {
    Map<String, Object> config =
        ProducerSettings.forClient(
            env.bootstrapServers(),
            "plan-default-size-check",
            StringSerializer.class,
            ConfluentAvroSerializer.class);
    config.put(ConfluentAvroSerializer.SCHEMA_REGISTRY_URL_CONFIG, env.registryUrl());
    try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config)) {
      producer.send(new ProducerRecord<>(rollouts(0), "size-check", sample.rollout())).get();
      return "accepted";
    } catch (ExecutionException e) {
      return "refused, "
          + e.getCause().getClass().getSimpleName()
          + ": "
          + e.getCause().getMessage();
    }
  }

  Map<String, Object> rawConfig(String clientId) {
    Map<String, Object> config =
        ProducerSettings.forClient(
            env.bootstrapServers(), clientId, ByteArraySerializer.class, ByteArraySerializer.class);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(maxRequestBytes));
    return config;
  }

  Map<String, Object> publishConfig(String clientId) {
    Map<String, Object> config =
        ProducerSettings.forClient(
            env.bootstrapServers(),
            clientId,
            StringSerializer.class,
            ConfluentAvroSerializer.class);
    config.put(ConfluentAvroSerializer.SCHEMA_REGISTRY_URL_CONFIG, env.registryUrl());
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(maxRequestBytes));
    return config;
  }

  int rolloutBytes() {
    return rolloutBytes;
  }

  int maxRequestBytes() {
    return maxRequestBytes;
  }

  EncodedSteps encoded() {
    return encoded;
  }

  List<String> topicNames(int repeat) {
    List<String> names = new ArrayList<>();
    for (int pass = 0; pass <= repeat; pass++) {
      names.addAll(List.of(rollouts(pass), steps(pass), raws(pass)));
    }
    return names;
  }

  String rollouts(int pass) {
    return "bench.plan." + runId + ".rollouts." + passName(pass);
  }

  String steps(int pass) {
    return "bench.plan." + runId + ".steps." + passName(pass);
  }

  String raws(int pass) {
    return "bench.plan." + runId + ".raw-steps." + passName(pass);
  }

  private static String passName(int pass) {
    return pass == 0 ? "warmup" : "r" + pass;
  }
}
