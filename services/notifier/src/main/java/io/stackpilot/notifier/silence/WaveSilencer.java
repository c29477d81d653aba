package io.stackpilot.notifier.silence;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.GateDecided;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.RolloutTransition;
import io.stackpilot.notifier.routing.LabelMatcher;
import io.stackpilot.notifier.routing.Silence;
import io.stackpilot.serde.ConfluentAvroDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Silences a rollout wave's blast radius while it rolls out: on WAVE_STARTED, a silence of the
 * alerts of the wave's clusters (except Stackpilot's own lifecycle alerts, which tell about the
 * wave), created by {@code stackpilot:rollout/<id>} (its events, as every event of a rollout, name
 * the rollout's actor and are caused by the lifecycle event); expired on the wave's gate decision,
 * or when the wave ends otherwise (failed, timed out, rolled back, aborted). The silence id is
 * derived from rollout and wave, so a record read twice, or by two replicas, makes one silence; and
 * a silence that already exists is never created again (a re-read WAVE_STARTED does not reopen it).
 * A silence whose gate never comes ends after {@code maxDuration}.
 */
public final class WaveSilencer implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(WaveSilencer.class);
  static final Set<RolloutTransition> WAVE_ENDS =
      EnumSet.of(
          RolloutTransition.WAVE_PROMOTED,
          RolloutTransition.WAVE_FAILED,
          RolloutTransition.GATE_TIMED_OUT,
          RolloutTransition.ROLLBACK_STARTED,
          RolloutTransition.ROLLED_BACK,
          RolloutTransition.ABORTED,
          RolloutTransition.COMPLETED);

  private final String bootstrap;
  private final String registryUrl;
  private final String group;
  private final SilenceService service;
  private final SilenceLog log;
  private final Clock clock;
  private final Duration maxDuration;
  private volatile boolean running = true;
  private volatile KafkaConsumer<String, byte[]> consumer;

  public WaveSilencer(
      String bootstrap,
      String registryUrl,
      String group,
      SilenceService service,
      SilenceLog log,
      Clock clock,
      Duration maxDuration) {
    this.bootstrap = bootstrap;
    this.registryUrl = registryUrl;
    this.group = group;
    this.service = service;
    this.log = log;
    this.clock = clock;
    this.maxDuration = maxDuration;
  }

  /** The id of a wave's silence: the same on every replica and every read. */
  public static String silenceId(String rolloutId, int waveIndex) {
    return UUID.nameUUIDFromBytes(
            ("stackpilot:rollout/" + rolloutId + "/wave/" + waveIndex)
                .getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /** The matchers of a wave's blast radius: its clusters, Stackpilot's own alerts left out. */
  public static List<LabelMatcher> blastRadius(List<String> clusters) {
    String alternatives =
        clusters.stream().sorted().map(WaveSilencer::escape).collect(Collectors.joining("|"));
    return List.of(
        LabelMatcher.of("cluster", LabelMatcher.Type.REGEX, alternatives),
        LabelMatcher.of("alertname", LabelMatcher.Type.NOT_REGEX, "Stackpilot.*"));
  }

  private static String escape(String literal) {
    return literal.replaceAll("([\\\\.+*?()|\\[\\]{}^$])", "\\\\$1");
  }

  /** What one lifecycle event does to wave silences; public for tests without a broker. */
  void handle(Object event) {
    if (event instanceof RolloutStatusChanged s && s.getWaveIndex() != null) {
      if (s.getTransition() == RolloutTransition.WAVE_STARTED && !s.getClusters().isEmpty()) {
        open(s.getEnvelope(), s.getWaveIndex(), s.getClusters(), s.getStackName());
      } else if (WAVE_ENDS.contains(s.getTransition())) {
        close(s.getEnvelope(), s.getWaveIndex());
      }
    } else if (event instanceof GateDecided g) {
      close(g.getEnvelope(), g.getWaveIndex());
    }
  }

  private void open(EventEnvelope cause, int wave, List<String> clusters, String stack) {
    String rollout = cause.getCorrelationId();
    Instant start = cause.getOccurredAt();
    Instant end = start.plus(maxDuration);
    if (!end.isAfter(clock.instant())) {
      return; // a wave of the past (a new consumer group reads history): nothing to silence
    }
    String actor = "stackpilot:rollout/" + rollout;
    Silence silence =
        new Silence(
            silenceId(rollout, wave),
            blastRadius(clusters),
            start,
            end,
            actor,
            "wave "
                + wave
                + " of stack "
                + stack
                + " rolling out to "
                + String.join(", ", clusters)
                + "; expires after its gate decision");
    if (service.createIfAbsent(silence, service.causedBy(cause))) {
      LOG.info("wave {} of rollout {} silenced on {}", wave, rollout, clusters);
    }
  }

  private void close(EventEnvelope cause, int wave) {
    String rollout = cause.getCorrelationId();
    String id = silenceId(rollout, wave);
    if (service.expireIfRunning(id, service.causedBy(cause))) {
      LOG.info("wave {} of rollout {}: silence expired", wave, rollout);
      return;
    }
    // The two topics are not ordered with each other: catching up, the gate can come before the
    // wave's start. An already expired silence under the wave's id keeps a late start from
    // opening one that nothing would close for maxDuration.
    Instant now = clock.instant();
    Silence closed =
        new Silence(
            id,
            List.of(LabelMatcher.of("alertname", LabelMatcher.Type.EQUAL, "StackpilotWaveClosed")),
            now,
            now,
            "stackpilot:rollout/" + rollout,
            "wave " + wave + " ended before its silence was opened");
    if (service.createIfAbsent(closed, service.causedBy(cause))) {
      LOG.info("wave {} of rollout {} ended before it was silenced: none will open", wave, rollout);
    }
  }

  @Override
  public void run() {
    ConfluentAvroDeserializer decoder = ConfluentAvroDeserializer.specific(registryUrl);
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topic.MAX_EVENT_BYTES);
    config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 5_000);
    // as the delivery stage's: a replica that died hands its partitions over within 10 s, not
    // the default 45 s during which a wave could start unsilenced
    config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    try (KafkaConsumer<String, byte[]> in =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer = in;
      while (running && !log.caughtUp()) {
        try {
          Thread.sleep(100); // the silences are being rebuilt: wait for them first
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      in.subscribe(List.of(Topic.ROLLOUT_STATUS.topicName(), Topic.GATE_DECISIONS.topicName()));
      while (running) {
        ConsumerRecords<String, byte[]> records = in.poll(Duration.ofMillis(500));
        for (ConsumerRecord<String, byte[]> r : records) {
          Object event;
          try {
            event = decoder.deserialize(r.topic(), r.headers(), r.value());
          } catch (RuntimeException e) {
            // the router reads the same records and dead-letters what cannot be decoded
            LOG.warn(
                "{}-{}@{} not decodable, skipped: {}",
                r.topic(),
                r.partition(),
                r.offset(),
                e.toString());
            continue;
          }
          handle(event);
        }
        if (!records.isEmpty()) {
          in.commitSync();
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    }
  }

  /** Asks the loop to end. */
  public void stop() {
    running = false;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }
}
