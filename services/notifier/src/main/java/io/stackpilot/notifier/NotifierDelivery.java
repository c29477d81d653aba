package io.stackpilot.notifier;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackpilot.notifier.ack.ReceiptTracker;
import io.stackpilot.notifier.channel.Channel;
import io.stackpilot.notifier.channel.Channels;
import io.stackpilot.notifier.channel.SecretSource;
import io.stackpilot.notifier.delivery.AlertRouter;
import io.stackpilot.notifier.delivery.ChannelDirectory;
import io.stackpilot.notifier.delivery.Deliverer;
import io.stackpilot.notifier.delivery.DeliveryPolicy;
import io.stackpilot.notifier.delivery.DeliveryStage;
import io.stackpilot.notifier.delivery.EventAlerts;
import io.stackpilot.notifier.delivery.InternalTopics;
import io.stackpilot.notifier.delivery.KafkaSettings;
import io.stackpilot.notifier.delivery.NotificationEvents;
import io.stackpilot.notifier.delivery.RoutingConfigSource;
import io.stackpilot.notifier.delivery.Sleeper;
import io.stackpilot.notifier.delivery.WebhookChannel;
import io.stackpilot.notifier.routing.InvalidRoutingConfigException;
import io.stackpilot.notifier.routing.Receiver;
import io.stackpilot.notifier.routing.RoutingConfig;
import io.stackpilot.notifier.routing.Silences;
import io.stackpilot.runtime.Envelopes;
import io.stackpilot.runtime.metrics.StackpilotMetrics;
import io.stackpilot.serde.ConfluentAvroSerializer;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The notifier's wiring: the routing configuration (file or defaults), the two Kafka stages and
 * delivery. The default configuration sends every alert, on its own, to the webhook receiver of
 * {@code stackpilot.notifier.webhook.*}, as the notifier did before routing.
 */
@Configuration
class NotifierDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(NotifierDelivery.class);

  /**
   * The routing when no file is given: every alert alone, at once, to the webhook receiver, except
   * rollout transitions and gate decisions, which go to a receiver without channels (the webhook
   * got verdicts only before routing existed; a routing file can send them anywhere).
   */
  static String defaultRouting(String receiver) {
    return defaultRouting(receiver, Digest.VERDICT);
  }

  /**
   * What the webhook receiver of the default routing gets for a rollout: each verdict ({@code
   * verdict}, as before routing existed), or one message per wave, the gate decision that digests
   * its clusters ({@code wave}; the verdicts then go nowhere). Rollout transitions go nowhere in
   * both, other alerts each on its own to the webhook.
   */
  enum Digest {
    VERDICT,
    WAVE;

    /** {@code stackpilot.notifier.events.digest}: verdict or wave (case and blanks ignored). */
    static Digest of(String value) {
      String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
      switch (v) {
        case "":
        case "verdict":
          return VERDICT;
        case "wave":
          return WAVE;
        default:
          throw new IllegalArgumentException(
              "stackpilot.notifier.events.digest: '" + value + "' is neither verdict nor wave");
      }
    }
  }

  /** The default routing with the webhook getting each verdict or one digest per wave. */
  static String defaultRouting(String receiver, Digest digest) {
    String unrouted =
        digest == Digest.WAVE
            ? EventAlerts.ROLLOUT_ALERTNAME + "|" + EventAlerts.VERDICT_ALERTNAME
            : EventAlerts.ROLLOUT_ALERTNAME + "|" + EventAlerts.GATE_ALERTNAME;
    return """
        route:
          receiver: %1$s
          group_by: ['...']
          group_wait: 0s
          group_interval: 1m
          repeat_interval: 24h
          routes:
            - matchers: ['alertname=~"%2$s"']
              receiver: unrouted-lifecycle
        receivers:
          - name: %1$s
          - name: unrouted-lifecycle
        """
        .formatted(receiver, unrouted);
  }

  @Bean
  RoutingConfigSource routingConfigSource(
      @Value("${stackpilot.notifier.routing.file:}") String file,
      @Value("${stackpilot.notifier.webhook.receiver:webhook}") String receiver,
      @Value("${stackpilot.notifier.events.digest:verdict}") String digest) {
    Digest mode = Digest.of(digest);
    if (!file.isBlank() && mode != Digest.VERDICT) {
      LOG.warn(
          "stackpilot.notifier.events.digest={} applies to the default routing only;"
              + " the routing file {} decides where verdicts and gate decisions go",
          digest,
          file);
    }
    return new RoutingConfigSource(
        file.isBlank() ? null : Path.of(file), defaultRouting(receiver, mode));
  }

  @Bean
  KafkaSettings notifierKafkaSettings(
      @Value("${stackpilot.kafka.bootstrap-servers}") String bootstrap,
      @Value("${stackpilot.registry.url}") String registry,
      @Value("${stackpilot.notifier.instance-id}") String instanceId,
      @Value("${stackpilot.notifier.group:notifier}") String group,
      @Value("${stackpilot.notifier.internal-partitions:6}") int partitions) {
    return new KafkaSettings(bootstrap, registry, instanceId, group, partitions);
  }

  @Bean
  DeliveryPolicy deliveryPolicy(
      @Value("${stackpilot.notifier.webhook.max-attempts:3}") int maxAttempts,
      @Value("${stackpilot.notifier.delivery.initial-backoff:200ms}") Duration initialBackoff,
      @Value("${stackpilot.notifier.delivery.max-backoff:30s}") Duration maxBackoff,
      @Value("${stackpilot.notifier.delivery.rate-per-second:50}") double rate,
      @Value("${stackpilot.notifier.delivery.burst:100}") int burst,
      @Value("${stackpilot.notifier.delivery.breaker-threshold:5}") int breakerThreshold,
      @Value("${stackpilot.notifier.delivery.breaker-open-for:30s}") Duration openFor) {
    return new DeliveryPolicy(
        maxAttempts, initialBackoff, maxBackoff, rate, burst, breakerThreshold, openFor);
  }

  @Bean
  ChannelDirectory channelDirectory(
      @Value("${stackpilot.notifier.webhook.url}") URI url,
      @Value("${stackpilot.notifier.webhook.receiver:webhook}") String receiver,
      @Value("${stackpilot.notifier.secrets.dir:/var/run/secrets/stackpilot}") Path secrets,
      Clock clock,
      ReceiptTracker receipts) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Channel webhook = new WebhookChannel(receiver, url, http, new ObjectMapper());
    // Pushover channels report their emergency receipts, which the ack package follows
    return receipts.tracking(
        new ConfiguredChannels(receiver, webhook, SecretSource.mounted(secrets), http, clock));
  }

  /**
   * The receiver named by {@code stackpilot.notifier.webhook.receiver}, when the file gives it no
   * channels, is the webhook of {@code stackpilot.notifier.webhook.url}; every other receiver has
   * the channels of its {@code *_configs}, built once per configuration.
   */
  static final class ConfiguredChannels implements ChannelDirectory {
    private final String webhookReceiver;
    private final Channel webhook;
    private final SecretSource secrets;
    private final HttpClient http;
    private final Clock clock;
    private final Map<String, List<Channel>> built = new ConcurrentHashMap<>();
    private volatile RoutingConfig builtFor;

    ConfiguredChannels(
        String webhookReceiver,
        Channel webhook,
        SecretSource secrets,
        HttpClient http,
        Clock clock) {
      this.webhookReceiver = webhookReceiver;
      this.webhook = webhook;
      this.secrets = secrets;
      this.http = http;
      this.clock = clock;
    }

    /** Synchronized: delivery asks with its step's configuration, the receipt reader too. */
    @Override
    public synchronized List<Channel> channels(RoutingConfig config, String name) {
      Receiver r = config.receivers().get(name);
      if (r == null || !hasChannels(r)) {
        return name.equals(webhookReceiver) ? List.of(webhook) : List.of();
      }
      if (builtFor != config) {
        built.clear();
        builtFor = config;
      }
      return built.computeIfAbsent(name, n -> build(r));
    }

    private List<Channel> build(Receiver r) {
      try {
        return Channels.forReceiver(r, "receivers[" + r.name() + "]", secrets, http, clock);
      } catch (InvalidRoutingConfigException e) {
        LOG.error("receiver {} has no usable channel: {}", r.name(), e.violations());
        return List.of();
      }
    }
  }

  private static boolean hasChannels(Receiver r) {
    return r.settings().keySet().stream().anyMatch(k -> k.endsWith("_configs"));
  }

  @Bean
  NotifierLoops notifierLoops(
      KafkaSettings settings,
      RoutingConfigSource configs,
      ChannelDirectory channels,
      DeliveryPolicy policy,
      Envelopes envelopes,
      Clock clock,
      Silences silences,
      ReceiptTracker receipts,
      @Value("${spring.application.name}") String service,
      @Value("${stackpilot.kafka.replication-factor:1}") short replication,
      @Value("${stackpilot.notifier.events.resolve-after:24h}") Duration resolveAfter,
      @Value("${stackpilot.notifier.delivery.chunk:50}") int chunk,
      @Value("${stackpilot.notifier.routing.poll-interval:2s}") Duration pollInterval,
      StackpilotMetrics metrics) {
    ObjectMapper json =
        new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    ConfluentAvroSerializer encoder = new ConfluentAvroSerializer();
    encoder.configure(Map.of("schema.registry.url", settings.registryUrl()), false);
    AlertRouter router =
        new AlertRouter(settings, configs, new EventAlerts(resolveAfter), clock, json, service)
            .metrics(metrics);
    DeliveryStage stage =
        new DeliveryStage(
                settings,
                configs,
                channels,
                new Deliverer(policy, clock, Sleeper.real()).metrics(metrics),
                clock,
                json,
                new NotificationEvents(envelopes, encoder),
                chunk,
                service,
                silences)
            .metrics(metrics);
    // each emergency receipt is polled by the replica that owns its group
    receipts.followOwned(stage::owns);
    return new NotifierLoops(
        () -> InternalTopics.create(settings, replication), router, stage, configs, pollInterval);
  }
}
