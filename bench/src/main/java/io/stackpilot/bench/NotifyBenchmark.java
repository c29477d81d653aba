package io.stackpilot.bench;

import com.sun.net.httpserver.HttpServer;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.AlertStatus;
import io.stackpilot.events.AlertStatusChanged;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.notifier.NotifierApplication;
import io.stackpilot.serde.ConfluentAvroSerializer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The notifier benchmark: alerts through the notifier service (routing, its two Kafka stages, the
 * notification log, delivery through a real webhook channel) to a local HTTP sink, next to a bare
 * HttpClient loop posting the very bodies the notifier sent to the same sink, in one run.
 *
 * <p>Each alert is its own group ({@code group_by: ['...']}) with {@code group_wait: 0s}, so a
 * notification follows each alert and the latency is the pipeline's, timers excluded: from the
 * alert event's {@code occurredAt} (stamped as it is sent) to the sink receiving its request. The
 * per-receiver rate limit is lifted for the run ({@code rate-per-second}); everything else is the
 * service's default.
 */
@Command(
    name = "notify-benchmark",
    mixinStandardHelpOptions = true,
    description =
        "Sends alerts through the notifier service to a local webhook sink and posts the same"
            + " requests with a bare HttpClient loop; prints alerts/s, latency p50/p99, the"
            + " notifier's CPU per alert, peak RSS and the ratios.")
public final class NotifyBenchmark implements Callable<Integer> {
  static final Pattern BENCH_ID = Pattern.compile("\"bench_id\"\\s*:\\s*\"(\\d+)\"");

  @Option(names = "--alerts", defaultValue = "5000", description = "alerts in the measured pass")
  int alerts;

  @Option(names = "--warmup", defaultValue = "500", description = "alerts before measuring")
  int warmup;

  @Option(
      names = "--jvm-options",
      defaultValue = "-Xmx512m",
      description = "JVM options of the notifier's process, space-separated")
  String jvmOptions;

  @Option(names = "--timeout-seconds", defaultValue = "600", description = "longest pass")
  int timeoutSeconds;

  /** What the sink saw: when each alert's request came, and the bodies, in arrival order. */
  static final class Sink implements AutoCloseable {
    final HttpServer server;
    final Map<String, Long> arrivedAt = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<byte[]> bodies = new ConcurrentLinkedQueue<>();

    Sink() throws Exception {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.createContext(
          "/",
          exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            long now = System.currentTimeMillis();
            Matcher m = BENCH_ID.matcher(new String(body, StandardCharsets.UTF_8));
            while (m.find()) {
              arrivedAt.putIfAbsent(m.group(1), now);
            }
            bodies.add(body);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("notify-bench");
    System.out.println(
        "load average at start: " + Files.readString(Path.of("/proc/loadavg")).trim());
    try (BenchEnvironment env = BenchEnvironment.start(null, null);
        Sink sink = new Sink()) {
      Path routing = dir.resolve("routing.yaml");
      Files.writeString(
          routing,
          """
          route:
            receiver: bench
            group_by: ['...']
            group_wait: 0s
            group_interval: 5m
            repeat_interval: 24h
          receivers:
            - name: bench
              webhook_configs: [{url: "%s"}]
          """
              .formatted(sink.url()));
      List<String> args =
          List.of(
              "--stackpilot.kafka.bootstrap-servers=" + env.bootstrapServers(),
              "--stackpilot.registry.url=" + env.registryUrl(),
              "--stackpilot.notifier.routing.file=" + routing,
              "--stackpilot.notifier.delivery.rate-per-second=1000000",
              "--stackpilot.notifier.delivery.burst=1000000",
              "--server.port=0",
              "--logging.level.root=WARN",
              "--spring.main.banner-mode=off");
      try (ServiceProcess notifier =
              ServiceProcess.start(
                  "notifier",
                  NotifierApplication.class,
                  Arrays.asList(jvmOptions.trim().split("\\s+")),
                  args,
                  dir.resolve("notifier.log"));
          KafkaProducer<String, Object> producer = producer(env)) {
        env.awaitAssigned(
            "notifier",
            Topic.ALERTS.topicName(),
            Topic.ALERTS.partitions(),
            Duration.ofMinutes(3),
            notifier::checkAlive);
        String run = UUID.randomUUID().toString().substring(0, 8);
        pass(producer, sink, notifier, run + "-warmup", warmup);
        sink.bodies.clear();
        double cpu0 = notifier.cpuSeconds();
        Result service = pass(producer, sink, notifier, run, alerts);
        double cpu = notifier.cpuSeconds() - cpu0;
        ProcessMemory memory = notifier.memory();
        List<byte[]> bodies = new ArrayList<>(sink.bodies);
        Result bare = bareLoop(sink, bodies);
        System.out.printf(
            "%-28s %8s %10s %8s %9s %9s %11s%n",
            "measurement", "alerts", "alerts/s", "ratio", "p50-ms", "p99-ms", "cpu-ms/alert");
        print("(b) bare HttpClient loop", bare, 1.0, Double.NaN);
        print("(a) notifier service", service, service.perSecond() / bare.perSecond(), cpu);
        System.out.printf(
            "notifier: peak RSS %.0f MB, %d threads, %d fds; jvm %s%n",
            memory.hwmMb(), memory.threads(), memory.fds(), jvmOptions);
        System.out.println(
            "load average at end: " + Files.readString(Path.of("/proc/loadavg")).trim());
      }
    }
    return 0;
  }

  record Result(int count, double seconds, double[] latenciesMs) {
    double perSecond() {
      return count / seconds;
    }
  }

  private static void print(String label, Result r, double ratio, double cpuSeconds) {
    System.out.printf(
        "%-28s %8d %10.0f %7.3fx %9.1f %9.1f %11s%n",
        label,
        r.count(),
        r.perSecond(),
        ratio,
        ApplyResult.percentile(r.latenciesMs(), 50),
        ApplyResult.percentile(r.latenciesMs(), 99),
        Double.isNaN(cpuSeconds) ? "-" : String.format("%.2f", cpuSeconds * 1000 / r.count()));
  }

  /** Sends {@code n} firing alerts as fast as the producer takes them, waits for all requests. */
  private Result pass(
      KafkaProducer<String, Object> producer, Sink sink, ServiceProcess notifier, String run, int n)
      throws Exception {
    Map<String, Long> sentAt = new TreeMap<>();
    long t0 = System.currentTimeMillis();
    for (int i = 0; i < n; i++) {
      String id = Long.toString(Math.abs((long) run.hashCode()) * 1_000_000L + i);
      Instant now = Instant.now();
      sentAt.put(id, now.toEpochMilli());
      AlertStatusChanged alert = alert(run, id, now);
      producer.send(new ProducerRecord<>(Topic.ALERTS.topicName(), alert.getFingerprint(), alert));
    }
    producer.flush();
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    while (!sink.arrivedAt.keySet().containsAll(sentAt.keySet())) {
      notifier.checkAlive();
      if (System.nanoTime() > deadline) {
        long got = sentAt.keySet().stream().filter(sink.arrivedAt::containsKey).count();
        throw new IllegalStateException(got + " of " + n + " alerts reached the sink in time");
      }
      Thread.sleep(50); // polling the sink's map; nothing to block on
    }
    double[] latencies = new double[n];
    long last = 0;
    int i = 0;
    for (Map.Entry<String, Long> e : sentAt.entrySet()) {
      long arrived = sink.arrivedAt.get(e.getKey());
      latencies[i++] = arrived - e.getValue();
      last = Math.max(last, arrived);
    }
    return new Result(n, (last - t0) / 1000.0, latencies);
  }

  /** The same request bodies, posted one after the other by a bare HttpClient. */
  private static Result bareLoop(Sink sink, List<byte[]> bodies) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create(sink.url());
    double[] latencies = new double[bodies.size()];
    long t0 = System.nanoTime();
    for (int i = 0; i < bodies.size(); i++) {
      long start = System.nanoTime();
      HttpResponse<Void> response =
          http.send(
              HttpRequest.newBuilder(uri)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i)))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("the sink answered " + response.statusCode());
      }
      latencies[i] = (System.nanoTime() - start) / 1e6;
    }
    return new Result(bodies.size(), (System.nanoTime() - t0) / 1e9, latencies);
  }

  private static AlertStatusChanged alert(String run, String id, Instant now) {
    Map<String, String> labels = new TreeMap<>();
    labels.put("alertname", "BenchAlert");
    labels.put("bench_id", id);
    labels.put("run", run);
    labels.put("severity", "warning");
    labels.put("cluster", "bench-" + (Long.parseLong(id) % 100));
    return AlertStatusChanged.newBuilder()
        .setEnvelope(
            EventEnvelope.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(now)
                .setActor("service:bench")
                .setCluster(labels.get("cluster"))
                .setCorrelationId("bench-" + run)
                .setProducer("bench")
                .build())
        .setStatus(AlertStatus.FIRING)
        .setFingerprint(labels.toString())
        .setLabels(labels)
        .setStartsAt(now)
        .build();
  }

  private static KafkaProducer<String, Object> producer(BenchEnvironment env) {
    ConfluentAvroSerializer serializer = new ConfluentAvroSerializer();
    serializer.configure(Map.of("schema.registry.url", env.registryUrl()), false);
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            env.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            5),
        new StringSerializer(),
        serializer);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new NotifyBenchmark()).execute(args));
  }
}
