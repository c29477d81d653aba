package io.stackpilot.bench;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.StepApplied;
import io.stackpilot.serde.ConfluentAvroDeserializer;
import io.stackpilot.serde.ConfluentAvroSerializer;
import io.stackpilot.verifier.VerifierApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
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
 * The measurement (a) of VerifyBenchmark: the verifier service itself, in a JVM of its own (see
 * {@link ServiceProcess}) against the bench's broker, registry and kubeconfig. A pass publishes one
 * rollout's StepApplied records at once and reads ComponentVerified back until every step has its
 * verdict.
 */
final class VerifierRun implements AutoCloseable {
  static final String LABEL = "(a) verifier service";

  /** HealthWatch's consumer group (package-private there). */
  static final String HEALTH_GROUP = "stackpilot-verifier-health";

  private final ServiceProcess verifier;
  private final KafkaProducer<String, Object> producer;
  private final KafkaConsumer<String, Object> verdicts;

  VerifierRun(
      BenchEnvironment env,
      Path kubeconfig,
      List<String> jvmOptions,
      List<String> extraArgs,
      Path log,
      Duration startTimeout)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--stackpilot.kafka.bootstrap-servers=" + env.bootstrapServers(),
                "--stackpilot.registry.url=" + env.registryUrl(),
                "--stackpilot.kube.kubeconfig=" + kubeconfig,
                "--server.port=0",
                // the verifier logs a line per verdict and per watch started; as the applier's
                // benchmark does, it runs at WARN
                "--logging.level.root=WARN",
                "--spring.main.banner-mode=off"));
    args.addAll(extraArgs);
    verifier = ServiceProcess.start("verifier", VerifierApplication.class, jvmOptions, args, log);
    try {
      env.awaitAssigned(
          HEALTH_GROUP,
          Topic.STEP_APPLIED.topicName(),
          Topic.STEP_APPLIED.partitions(),
          startTimeout,
          verifier::checkAlive);
    } catch (Exception e) {
      verifier.close();
      throw e;
    }
    Map<String, Object> producerConfig = new HashMap<>();
    producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers());
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    ConfluentAvroSerializer serializer = new ConfluentAvroSerializer();
    serializer.configure(Map.of("schema.registry.url", env.registryUrl()), false);
    producer = new KafkaProducer<>(producerConfig, new StringSerializer(), serializer);
    Properties consumerConfig = new Properties();
    consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers());
    consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    ConfluentAvroDeserializer deserializer = ConfluentAvroDeserializer.specific(env.registryUrl());
    verdicts = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), deserializer);
    List<TopicPartition> partitions = new ArrayList<>();
    for (int p = 0; p < Topic.COMPONENT_HEALTH.partitions(); p++) {
      partitions.add(new TopicPartition(Topic.COMPONENT_HEALTH.topicName(), p));
    }
    verdicts.assign(partitions);
  }

  ServiceProcess process() {
    return verifier;
  }

  /**
   * Publishes the steps (each stamped {@code occurredAt = now} as it is sent) and waits for every
   * verdict. A step's latency runs from that stamp to its ComponentVerified record's timestamp
   * (CreateTime: when the verifier's producer took it).
   */
  VerifyResult run(List<StepApplied> steps, Duration timeout) throws Exception {
    Map<String, Long> sentAt = new HashMap<>();
    verdicts.seekToEnd(verdicts.assignment());
    verdicts.assignment().forEach(verdicts::position); // resolve the lazy seek before the clock
    Measurement.settle();
    double cpu0 = verifier.cpuSeconds();
    long t0 = System.nanoTime();
    for (StepApplied step : steps) {
      Instant now = Instant.now();
      step.getEnvelope().setOccurredAt(now);
      sentAt.put(step.getStepId(), now.toEpochMilli());
      producer.send(
          new ProducerRecord<>(
              Topic.STEP_APPLIED.topicName(), Topic.STEP_APPLIED.keyOf(step), step));
    }
    producer.flush();
    double[] latencies = new double[steps.size()];
    Map<String, Integer> outcomes = new TreeMap<>();
    int done = 0;
    int repeated = 0;
    long deadline = t0 + timeout.toNanos();
    while (done < steps.size()) {
      verifier.checkAlive();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            LABEL + ": " + done + " of " + steps.size() + " verdicts after " + timeout);
      }
      for (ConsumerRecord<String, Object> record : verdicts.poll(Duration.ofMillis(100))) {
        if (record.value() instanceof ComponentVerified verdict) {
          Long sent = sentAt.remove(verdict.getStepId());
          if (sent == null) {
            repeated++;
            continue;
          }
          latencies[done++] = record.timestamp() - sent;
          outcomes.merge(verdict.getHealth().name(), 1, Integer::sum);
        }
      }
    }
    long nanos = System.nanoTime() - t0;
    double cpu = verifier.cpuSeconds() - cpu0;
    if (repeated > 0) {
      System.out.printf(
          "warning: %s: %d verdicts on steps already verified or not of this pass%n",
          LABEL, repeated);
    }
    return new VerifyResult(LABEL, steps.size(), nanos, latencies, cpu, outcomes);
  }

  @Override
  public void close() {
    verdicts.close();
    producer.close();
    verifier.close();
  }
}
