package io.stackpilot.planner.rollout;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.GateDecided;
import io.stackpilot.events.GateDecision;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.ResourceRef;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.RolloutTransition;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepRequested;
import io.stackpilot.serde.ConfluentAvroDeserializer;
import io.stackpilot.serde.ConfluentAvroSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The applier and verifier as a rollout test needs them, on the real broker: every step requested
 * for a rollout it serves is answered with a StepApplied and a HEALTHY ComponentVerified, and every
 * gate request with the decision the test scripted for that wave. It writes the same events the
 * real services write, so the planner cannot tell (the services' own tests cover their logic).
 */
final class FakeFleet implements AutoCloseable {
  private final String rolloutId;
  private final IntFunction<GateDecision> gates;
  private final KafkaConsumer<String, Object> consumer;
  private final KafkaProducer<String, Object> producer;
  private final Thread thread;
  private final List<StepRequested> seen = new CopyOnWriteArrayList<>();
  private volatile boolean running = true;
  private volatile boolean answering = true;

  FakeFleet(
      String bootstrap, String registryUrl, String rolloutId, IntFunction<GateDecision> gates) {
    this.rolloutId = rolloutId;
    this.gates = gates;
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topic.MAX_EVENT_BYTES);
    ConfluentAvroDeserializer decoder = new ConfluentAvroDeserializer();
    decoder.configure(
        Map.of("schema.registry.url", registryUrl, "specific.avro.reader", true), false);
    consumer = new KafkaConsumer<>(c, new StringDeserializer(), decoder);
    List<TopicPartition> partitions =
        List.of(Topic.STEPS, Topic.ROLLOUT_STATUS).stream()
            .flatMap(
                t ->
                    consumer.partitionsFor(t.topicName()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    ConfluentAvroSerializer encoder = new ConfluentAvroSerializer();
    encoder.configure(Map.of("schema.registry.url", registryUrl), false);
    producer = new KafkaProducer<>(p, new StringSerializer(), encoder);
    thread = new Thread(this::run, "fake-fleet-" + rolloutId);
    thread.start();
  }

  /** Every step the planner requested for the rollout, in the order they were read. */
  List<StepRequested> requested() {
    return List.copyOf(seen);
  }

  /** Stops answering (steps stay unanswered, as if the applier were down) or starts again. */
  void answering(boolean answer) {
    this.answering = answer;
  }

  private void run() {
    try {
      List<ConsumerRecord<String, Object>> backlog = new java.util.ArrayList<>();
      while (running) {
        for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(100))) {
          backlog.add(record);
        }
        if (!answering) {
          continue;
        }
        for (ConsumerRecord<String, Object> record : backlog) {
          handle(record.value());
        }
        backlog.clear();
      }
    } catch (WakeupException e) {
      // closing
    }
  }

  private void handle(Object value) {
    if (value instanceof StepRequested step
        && step.getEnvelope().getCorrelationId().equals(rolloutId)) {
      seen.add(step);
      StepApplied applied =
          StepApplied.newBuilder()
              .setEnvelope(caused(step.getEnvelope(), "applier"))
              .setStepId(step.getStepId())
              .setComponent(step.getComponent())
              .setDigest(step.getDigest())
              .setAction(step.getAction())
              .setResources(
                  List.of(
                      new ResourceRef(
                          "v1", "ConfigMap", step.getNamespace(), step.getComponent(), "1")))
              .setDurationMillis(1)
              .build();
      send(Topic.STEP_APPLIED, applied);
      send(
          Topic.COMPONENT_HEALTH,
          ComponentVerified.newBuilder()
              .setEnvelope(caused(applied.getEnvelope(), "verifier"))
              .setStepId(step.getStepId())
              .setComponent(step.getComponent())
              .setDigest(step.getDigest())
              .setHealth(HealthStatus.HEALTHY)
              .setReason("fake fleet: healthy")
              .build());
    } else if (value instanceof RolloutStatusChanged t
        && t.getEnvelope().getCorrelationId().equals(rolloutId)
        && t.getTransition() == RolloutTransition.GATE_REQUESTED) {
      GateDecision decision = gates.apply(t.getWaveIndex());
      send(
          Topic.GATE_DECISIONS,
          GateDecided.newBuilder()
              .setEnvelope(caused(t.getEnvelope(), "verifier"))
              .setWaveIndex(t.getWaveIndex())
              .setClusters(t.getClusters())
              .setDecision(decision)
              .setReasons(List.of("scripted by the test: " + decision))
              .build());
    }
  }

  private void send(Topic topic, SpecificRecord event) {
    try {
      producer.send(new ProducerRecord<>(topic.topicName(), topic.keyOf(event), event)).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static EventEnvelope caused(EventEnvelope cause, String producer) {
    return EventEnvelope.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setOccurredAt(Instant.now())
        .setActor(cause.getActor())
        .setCluster(cause.getCluster())
        .setTenant(cause.getTenant())
        .setCorrelationId(cause.getCorrelationId())
        .setCausationId(cause.getEventId())
        .setProducer(producer)
        .build();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(10_000);
    consumer.close();
    producer.close();
  }
}
