package io.stackpilot.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.stackpilot.contract.Topic;
import io.stackpilot.notifier.channel.Channel;
import io.stackpilot.notifier.routing.Route;
import io.stackpilot.registry.RegistryApplication;
import io.stackpilot.runtime.Envelopes;
import io.stackpilot.serde.ConfluentAvroSerializer;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Stage two on its failure paths, on the real broker with a real webhook receiver that can be made
 * to refuse: a resolve whose send fails is sent once the receiver is back (and its routed record
 * tombstoned after); a PENDING re-send that fails puts the entry before it back and is retried with
 * the same id; an outcome transaction that aborts (the registry is down) is written later, without
 * sending twice; unreadable records of both internal topics are dead-lettered and skipped.
 */
@ExtendWith(RealKafkaExtension.class)
class DeliveryFailuresIT {
  static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  static final Duration WAIT = Duration.ofSeconds(30);

  KafkaBroker broker;
  String run;
  String receiver;
  KafkaSettings settings;
  RoutingConfigSource configs;
  WebhookReceiver hook;
  DeliveryStage stage;
  Thread thread;

  @BeforeEach
  void setUp(KafkaBroker broker) throws Exception {
    this.broker = broker;
    run = "df" + Long.toHexString(System.nanoTime());
    receiver = "hook-" + run;
    settings = new KafkaSettings(broker.bootstrapServers(), null, "i1", run, 1);
    InternalTopics.create(settings, (short) 1);
    createIfMissing(
        Topic.NOTIFICATIONS_SENT.topicName(),
        Topic.NOTIFICATIONS_FAILED.topicName(),
        Topic.deadLetterTopic("notifier"));
    configs =
        new RoutingConfigSource(
            null,
            """
            route:
              receiver: %s
              group_by: [alertname]
              group_wait: 0s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: %s
            """
                .formatted(receiver, receiver));
    hook = WebhookReceiver.start();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (stage != null) {
      stage.stop();
      thread.join(10_000);
    }
    hook.close();
  }

  @Test
  void aResolveWhoseSendFailsIsSentOnceTheReceiverIsBackThenItsRoutedRecordIsTombstoned(
      SchemaRegistry registry) throws IOException {
    start(registry.url());
    SourcedAlert firing = routed("Down", Instant.now().minusSeconds(60), null);
    write(settings.routedTopic(), InternalTopics.alertKey(firing), json(firing));
    await().atMost(WAIT).until(() -> hook.statuses("Down").equals(List.of("firing")));

    hook.failing.set(true);
    SourcedAlert resolved =
        routed("Down", Instant.ofEpochMilli(firing.startsAt()), Instant.now().minusSeconds(1));
    write(settings.routedTopic(), InternalTopics.alertKey(resolved), json(resolved));
    await().atMost(WAIT).until(() -> hook.refused.get() >= 2); // the first try and a retry
    hook.failing.set(false);

    await().atMost(WAIT).until(() -> hook.statuses("Down").equals(List.of("firing", "resolved")));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(latest(settings.routedTopic()))
                    .as("the resolved alert's routed record, once its resolve is SENT")
                    .containsEntry(InternalTopics.alertKey(resolved), null));
    LogEntry last = entry(latest(settings.logTopic()).values().iterator().next());
    assertThat(last.state()).isEqualTo(LogEntry.SENT);
    assertThat(last.resolved()).containsExactly(resolved.fingerprint());
  }

  @Test
  void aPendingReSendThatFailsPutsThePreviousEntryBackAndIsRetriedWithItsId(SchemaRegistry registry)
      throws Exception {
    Instant t0 = Instant.now().minusSeconds(120);
    SourcedAlert a = routed("A", t0, null);
    SourcedAlert b = routed("B", t0, null);
    // group_by alertname: A and B are two groups; the pending entry is A's
    write(settings.routedTopic(), InternalTopics.alertKey(a), json(a));
    LogEntry sent =
        new LogEntry(
            receiver,
            a.groupKey(),
            "webhook/0",
            LogEntry.SENT,
            NotificationIds.of(
                receiver, "webhook/0", a.groupKey(), Set.of(a.fingerprint()), Set.of(), 1),
            1,
            Set.of(a.fingerprint()),
            Set.of(),
            t0.toEpochMilli(),
            0,
            Map.of(),
            List.of(),
            List.of(),
            null);
    // a previous owner decided the resolve of A (seq 2) and died before its outcome
    SourcedAlert aResolved = routed("A", t0, Instant.now().minusSeconds(5));
    write(settings.routedTopic(), InternalTopics.alertKey(aResolved), json(aResolved));
    String pendingId =
        NotificationIds.of(
            receiver, "webhook/0", a.groupKey(), Set.of(), Set.of(aResolved.fingerprint()), 2);
    LogEntry pending =
        new LogEntry(
            receiver,
            a.groupKey(),
            "webhook/0",
            LogEntry.PENDING,
            pendingId,
            2,
            Set.of(),
            Set.of(aResolved.fingerprint()),
            Instant.now().minusSeconds(4).toEpochMilli(),
            1,
            Map.of("alertname", "A"),
            List.of(),
            List.of(aResolved),
            sent);
    String key = DeliveryStage.logKey(sent);
    write(settings.logTopic(), key, JSON.writeValueAsBytes(sent));
    write(settings.logTopic(), key, JSON.writeValueAsBytes(pending));
    write(settings.routedTopic(), InternalTopics.alertKey(b), json(b));

    hook.failing.set(true);
    start(registry.url());
    await().atMost(WAIT).until(() -> hook.refused.get() >= 1);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              byte[] value = latest(settings.logTopic()).get(key);
              assertThat(value).as("the entry before the pending one, not a tombstone").isNotNull();
              assertThat(entry(value).seq()).isEqualTo(1);
              assertThat(entry(value).state()).isEqualTo(LogEntry.SENT);
            });
    hook.failing.set(false);

    await().atMost(WAIT).until(() -> hook.statuses("A").contains("resolved"));
    assertThat(hook.idsOf("A"))
        .as("retried with the pending notification's id")
        .contains(pendingId);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              LogEntry now = entry(latest(settings.logTopic()).get(key));
              assertThat(now.state()).isEqualTo(LogEntry.SENT);
              assertThat(now.seq()).isEqualTo(2);
              assertThat(now.notificationId()).isEqualTo(pendingId);
            });
    assertThat(hook.statuses("B")).containsExactly("firing");
  }

  @Test
  void anOutcomeWhoseTransactionAbortsIsWrittenLaterWithoutASecondSend(KafkaBroker broker)
      throws Exception {
    String schemas = "_schemas-" + run;
    AtomicReference<ConfigurableApplicationContext> own =
        new AtomicReference<>(RegistryApplication.start(broker.bootstrapServers(), 0, schemas));
    String url = RegistryApplication.url(own.get());
    int port = URI.create(url).getPort();
    try {
      // the registry goes away while the notification is being sent: its NotificationSent cannot
      // be encoded, so the outcome transaction aborts (the owner is not fenced)
      hook.beforeAnswer.set(() -> own.getAndSet(null).close());
      start(url);
      SourcedAlert firing = routed("Outcome", Instant.now().minusSeconds(60), null);
      write(settings.routedTopic(), InternalTopics.alertKey(firing), json(firing));
      await().atMost(WAIT).until(() -> hook.statuses("Outcome").size() == 1);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> sentEvents().isEmpty());

      own.set(RegistryApplication.start(broker.bootstrapServers(), port, schemas));
      await().atMost(WAIT).until(() -> sentEvents().size() == 1);
      LogEntry last = entry(latest(settings.logTopic()).values().iterator().next());
      assertThat(last.state()).isEqualTo(LogEntry.SENT);
      assertThat(hook.statuses("Outcome")).as("sent once, not again").hasSize(1);
      await().during(Duration.ofSeconds(2)).until(() -> sentEvents().size() == 1);
    } finally {
      ConfigurableApplicationContext c = own.get();
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void unreadableRecordsOfBothInternalTopicsAreDeadLetteredAndSkipped(SchemaRegistry registry) {
    write(settings.routedTopic(), "garbage", "not json".getBytes(StandardCharsets.UTF_8));
    write(settings.routedTopic(), "empty", "{}".getBytes(StandardCharsets.UTF_8));
    write(settings.logTopic(), "garbage", "{\"seq\":".getBytes(StandardCharsets.UTF_8));
    SourcedAlert firing = routed("AfterPoison", Instant.now().minusSeconds(60), null);
    write(settings.routedTopic(), InternalTopics.alertKey(firing), json(firing));
    start(registry.url());

    await().atMost(WAIT).until(() -> hook.statuses("AfterPoison").equals(List.of("firing")));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Map<String, String> reasons = deadLetters();
              assertThat(reasons).containsOnlyKeys("garbage@routed", "empty@routed", "garbage@log");
              assertThat(reasons.get("garbage@routed")).contains("Unrecognized token 'not'");
              assertThat(reasons.get("empty@routed")).contains("field routePath is missing");
              assertThat(reasons.get("garbage@log")).contains("end-of-input");
            });
  }

  // --- the stage, the records, the topics

  private void start(String registryUrl) {
    ConfluentAvroSerializer encoder = new ConfluentAvroSerializer();
    encoder.configure(Map.of("schema.registry.url", registryUrl), false);
    Channel webhook =
        new WebhookChannel(
            receiver, URI.create(hook.url()), HttpClient.newHttpClient(), new ObjectMapper());
    ChannelDirectory directory =
        (config, name) -> name.equals(receiver) ? List.of(webhook) : List.of();
    Deliverer deliverer =
        new Deliverer(
            new DeliveryPolicy(
                1, Duration.ofMillis(100), Duration.ofMillis(400), 100, 100, 1000, Duration.ZERO),
            Clock.systemUTC(),
            Sleeper.real());
    stage =
        new DeliveryStage(
            settings,
            configs,
            directory,
            deliverer,
            Clock.systemUTC(),
            JSON,
            new NotificationEvents(new Envelopes("notifier", Clock.systemUTC()), encoder),
            10,
            "notifier");
    thread = new Thread(stage, "delivery-" + run);
    thread.start();
  }

  private SourcedAlert routed(String alertname, Instant startsAt, Instant endsAt) {
    Map<String, String> labels = Map.of("alertname", alertname, "run", run);
    Route route = configs.current().config().route().match(labels).get(0);
    return new SourcedAlert(
            null,
            null,
            null,
            labels,
            startsAt.toEpochMilli(),
            endsAt == null ? null : endsAt.toEpochMilli(),
            new SourcedAlert.Cause(
                "e-" + alertname, "AlertStatusChanged", run, "c1", null, "test", 0))
        .routedTo(route.path(), route.receiver(), route.groupKey(labels));
  }

  private static byte[] json(SourcedAlert a) {
    try {
      return JSON.writeValueAsBytes(a);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static LogEntry entry(byte[] value) throws IOException {
    return JSON.readValue(value, LogEntry.class);
  }

  private void write(String topic, String key, byte[] value) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, 0, key, value)).get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every record of a topic (read_committed), in order. */
  private List<ConsumerRecord<String, byte[]>> all(List<String> topics) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      for (String t : topics) {
        consumer.partitionsFor(t).forEach(i -> tps.add(new TopicPartition(t, i.partition())));
      }
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
      while (tps.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  /** The last value of each key (null: a tombstone). */
  private Map<String, byte[]> latest(String topic) {
    Map<String, byte[]> last = new HashMap<>();
    all(List.of(topic)).forEach(r -> last.put(r.key(), r.value()));
    return last;
  }

  private List<ConsumerRecord<String, byte[]>> sentEvents() {
    return all(List.of(Topic.NOTIFICATIONS_SENT.topicName())).stream()
        .filter(r -> receiver.equals(r.key()))
        .toList();
  }

  /** This run's dead letters: key@routed|log -> the reason header. */
  private Map<String, String> deadLetters() {
    Map<String, String> out = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : all(List.of(Topic.deadLetterTopic("notifier")))) {
      String from = header(r, "kafka_dlt-original-topic");
      if (settings.routedTopic().equals(from)) {
        out.put(r.key() + "@routed", header(r, "stackpilot-dlq-reason"));
      } else if (settings.logTopic().equals(from)) {
        out.put(r.key() + "@log", header(r, "stackpilot-dlq-reason"));
      }
    }
    return out;
  }

  private static String header(ConsumerRecord<?, ?> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private void createIfMissing(String... topics) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      Set<String> existing = admin.listTopics().names().get();
      for (String t : topics) {
        if (!existing.contains(t)) {
          try {
            admin.createTopics(List.of(new NewTopic(t, 1, (short) 1))).all().get();
          } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
              throw e;
            }
          }
        }
      }
    }
  }

  /**
   * A webhook receiver: answers 503 while {@code failing}, else 200 and keeps the request (its
   * Idempotency-Key and the payload's status per alertname); {@code beforeAnswer} runs once, before
   * the first 200.
   */
  static final class WebhookReceiver implements AutoCloseable {
    record Accepted(String id, String status, String alertname) {}

    final AtomicBoolean failing = new AtomicBoolean();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicReference<Runnable> beforeAnswer = new AtomicReference<>();
    final List<Accepted> accepted = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    private WebhookReceiver(HttpServer server) {
      this.server = server;
    }

    static WebhookReceiver start() throws IOException {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      WebhookReceiver hook = new WebhookReceiver(server);
      server.setExecutor(hook.pool);
      server.createContext(
          "/",
          exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
              body = in.readAllBytes();
            }
            if (hook.failing.get()) {
              hook.refused.incrementAndGet();
              exchange.sendResponseHeaders(503, -1);
            } else {
              Runnable before = hook.beforeAnswer.getAndSet(null);
              if (before != null) {
                before.run();
              }
              JsonNode payload = JSON.readTree(body);
              hook.accepted.add(
                  new Accepted(
                      exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                      payload.path("status").asText(),
                      payload.path("alerts").path(0).path("labels").path("alertname").asText()));
              exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
          });
      server.start();
      return hook;
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    List<String> statuses(String alertname) {
      return accepted.stream()
          .filter(a -> a.alertname().equals(alertname))
          .map(Accepted::status)
          .toList();
    }

    List<String> idsOf(String alertname) {
      return accepted.stream()
          .filter(a -> a.alertname().equals(alertname))
          .map(Accepted::id)
          .toList();
    }

    @Override
    public void close() {
      server.stop(0);
      pool.shutdownNow();
    }
  }
}
