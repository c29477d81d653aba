package io.stackpilot.bench;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepFailed;
import io.stackpilot.events.StepRequested;
import io.stackpilot.serde.ConfluentAvroDeserializer;
import io.stackpilot.serde.ConfluentAvroSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The measurement (a): the applier service itself, started in a JVM of its own (see {@link
 * ServiceProcess}) against the bench's broker, registry and kubeconfig. A pass publishes its
 * StepRequested records and reads StepApplied and StepFailed back (read_committed) until every step
 * has its result.
 */
final class ApplierRun implements AutoCloseable {
  static final String LABEL = "(a) applier service";

  private final ServiceProcess applier;
  private final KafkaProducer<String, Object> producer;
  private final KafkaConsumer<String, Object> results;
  private final String group;

  ApplierRun(
      BenchEnvironment env,
      Path kubeconfig,
      String group,
      List<String> jvmOptions,
      List<String> extraArgs,
      Path log,
      Duration startTimeout)
      throws Exception {
    this.group = group;
    applier =
        ServiceProcess.start(
            "applier",
            io.stackpilot.applier.ApplierApplication.class,
            jvmOptions,
            concat(
                extraArgs,
                "--stackpilot.kafka.bootstrap-servers=" + env.bootstrapServers(),
                "--stackpilot.registry.url=" + env.registryUrl(),
                "--stackpilot.kube.kubeconfig=" + kubeconfig,
                "--server.port=0",
                "--spring.cloud.stream.bindings.applyStep-in-0.group=" + group,
                // the applier logs a line per step; as the in-process run did, it logs at WARN
                "--logging.level.root=WARN",
                "--spring.main.banner-mode=off"),
            log);
    try {
      env.awaitAssigned(
          group,
          Topic.STEPS.topicName(),
          Topic.STEPS.partitions(),
          startTimeout,
          applier::checkAlive);
    } catch (Exception e) {
      applier.close();
      throw e;
    }
    Map<String, Object> producerConfig = new HashMap<>();
    producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers());
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    producerConfig.put("schema.registry.url", env.registryUrl());
    producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), serializer(env.registryUrl()));
    Properties consumerConfig = new Properties();
    consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers());
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    ConfluentAvroDeserializer deserializer = ConfluentAvroDeserializer.specific(env.registryUrl());
    results = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), deserializer);
    List<TopicPartition> partitions = new java.util.ArrayList<>();
    for (Topic topic : List.of(Topic.STEP_APPLIED, Topic.STEP_FAILED)) {
      for (int p = 0; p < topic.partitions(); p++) {
        partitions.add(new TopicPartition(topic.topicName(), p));
      }
    }
    results.assign(partitions);
  }

  private static List<String> concat(List<String> extra, String... args) {
    List<String> all = new java.util.ArrayList<>(List.of(args));
    all.addAll(extra);
    return all;
  }

  private static ConfluentAvroSerializer serializer(String registryUrl) {
    ConfluentAvroSerializer serializer = new ConfluentAvroSerializer();
    serializer.configure(Map.of("schema.registry.url", registryUrl), false);
    return serializer;
  }

  String group() {
    return group;
  }

  ServiceProcess process() {
    return applier;
  }

  /** Publishes the steps and waits for every result; fails if any step failed. */
  ApplyResult run(List<StepRequested> steps, Duration timeout) throws Exception {
    Map<String, Long> requestedAt = new HashMap<>();
    results.seekToEnd(results.assignment());
    results.assignment().forEach(results::position); // resolve the lazy seek before the clock
    Measurement.settle();
    long t0 = System.nanoTime();
    long wall0 = System.currentTimeMillis();
    for (StepRequested step : steps) {
      ApplyWorkload.stamp(step);
      requestedAt.put(step.getStepId(), step.getEnvelope().getOccurredAt().toEpochMilli());
      producer.send(new ProducerRecord<>(Topic.STEPS.topicName(), Topic.STEPS.keyOf(step), step));
    }
    producer.flush();
    double[] handling = new double[steps.size()];
    double[] endToEnd = new double[steps.size()];
    long objects = 0;
    int done = 0;
    int repeated = 0;
    long deadline = t0 + timeout.toNanos();
    while (done < steps.size()) {
      applier.checkAlive();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            LABEL + ": " + done + " of " + steps.size() + " results after " + timeout);
      }
      for (ConsumerRecord<String, Object> record : results.poll(Duration.ofMillis(100))) {
        if (record.value() instanceof StepFailed failed
            && requestedAt.containsKey(failed.getStepId())) {
          throw new IllegalStateException(
              "step "
                  + failed.getStepId()
                  + " failed: "
                  + failed.getReason()
                  + " "
                  + failed.getMessage());
        }
        if (record.value() instanceof StepApplied applied) {
          // each step counts once: a second result for a step (handled again) is counted apart
          Long sentAt = requestedAt.remove(applied.getStepId());
          if (sentAt == null) {
            repeated++;
            continue;
          }
          handling[done] = applied.getDurationMillis();
          endToEnd[done] = applied.getEnvelope().getOccurredAt().toEpochMilli() - sentAt;
          objects += applied.getResources().size();
          done++;
        }
      }
    }
    long nanos = System.nanoTime() - t0;
    long wallMillis = System.currentTimeMillis() - wall0;
    if (Math.abs(wallMillis - nanos / 1e6) > 0.1 * wallMillis) {
      // e2e latencies are wall-clock differences; say so when that clock ran apart from nanoTime
      System.out.printf(
          "warning: %s: the pass took %.1f s by System.nanoTime but %.1f s by the wall clock%n",
          LABEL, nanos / 1e9, wallMillis / 1e3);
    }
    if (repeated > 0) {
      System.out.printf(
          "warning: %s: %d StepApplied for steps already counted (handled twice)%n",
          LABEL, repeated);
    }
    return new ApplyResult(LABEL, steps.size(), objects, nanos, handling, endToEnd);
  }

  @Override
  public void close() {
    results.close();
    producer.close();
    applier.close();
  }
}
