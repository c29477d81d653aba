package io.stackpilot.e2e;

import static io.stackpilot.e2e.RolloutEvents.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.stackpilot.applier.ApplierApplication;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.NotificationSent;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.fleet.simulator.FleetSimulator;
import io.stackpilot.notifier.NotifierApplication;
import io.stackpilot.planner.PlannerApplication;
import io.stackpilot.serde.ConfluentAvroDeserializer;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.HttpSink;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import io.stackpilot.verifier.VerifierApplication;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * No Secret value appears in any rendered object, event, log line or webhook body of a run: the
 * four services roll out seed 004's stack (which references its credentials as Secrets) to two
 * simulated clusters that hold those Secrets with random sentinel values, with the planner's API
 * token and the notifier's webhook token also sentinels, and a stack that inlines credentials is
 * refused; then every log line, every record of every topic, every object of every simulated
 * cluster but the Secrets, every webhook body and every API answer is scanned for the sentinels.
 * The scanner is shown to find them where they are (the Secrets, the refused request).
 */
@ExtendWith({RealKafkaExtension.class, OutputCaptureExtension.class})
class NoSecretLeakE2E {
  static final List<String> CLUSTERS = List.of("leak-hub", "leak-edge");
  static final String NAMESPACE = "observability";
  static final int COMPONENTS = 10; // seed 004's

  /** This run's sentinel: every secret value starts with it, and it appears nowhere else. */
  static final String RUN = "sp-sentinel-" + UUID.randomUUID();

  static final String API_TOKEN = RUN + "-planner-api-token";
  static final String WEBHOOK_TOKEN = RUN + "-webhook-token";

  /**
   * The Secrets seed 004 references (observability-s3, grafana-admin, grafana-github-oauth), and
   * the seeds' other credential Secrets (seeds 000 and 003): name to keys.
   */
  static final Map<String, List<String>> SECRETS =
      Map.of(
          "observability-s3",
          List.of("S3_ENDPOINT", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"),
          "grafana-admin",
          List.of("admin-user", "admin-password"),
          "grafana-github-oauth",
          List.of("GF_AUTH_GITHUB_CLIENT_ID", "GF_AUTH_GITHUB_CLIENT_SECRET"),
          "grafana-admin-secret",
          List.of("admin-password"),
          "thanos-objstore-secret",
          List.of("objstore.yml"));

  static final List<ConfigurableApplicationContext> services = new ArrayList<>();
  static final LeakScanner scanner = new LeakScanner();
  static FleetSimulator fleet;
  static HttpSink webhook;
  static KafkaBroker broker;
  static SchemaRegistry registry;
  static PlannerApi api;

  @BeforeAll
  static void start(KafkaBroker kafka, SchemaRegistry schemaRegistry, @TempDir Path dir) {
    broker = kafka;
    registry = schemaRegistry;
    scanner.secret("this run's sentinel prefix", RUN);
    fleet = FleetSimulator.start(CLUSTERS);
    // seed 004 declares blackbox probes and Sloth SLOs: their CRDs are installed
    ClusterObjects.installRenderedCrds(fleet);
    for (String cluster : CLUSTERS) {
      createSecrets(cluster);
    }
    scanner.secret("the planner's API token", API_TOKEN);
    scanner.secret("the notifier's webhook token", WEBHOOK_TOKEN);
    Path kubeconfig = fleet.writeKubeconfig(dir.resolve("kubeconfig"));
    webhook = HttpSink.start();
    List<String> args = new ArrayList<>();
    // ServiceArgs' fixed API token is replaced by a sentinel (a repeated property would be joined)
    Arrays.stream(ServiceArgs.of(broker, registry))
        .filter(a -> !a.startsWith("--stackpilot.planner.api-token="))
        .forEach(args::add);
    args.add("--stackpilot.planner.api-token=" + API_TOKEN);
    args.add("--stackpilot.kube.kubeconfig=" + kubeconfig);
    // a webhook URL carrying its token, as Slack's and most receivers' URLs do
    args.add("--stackpilot.notifier.webhook.url=" + webhook.url() + "?token=" + WEBHOOK_TOKEN);
    // the services log at DEBUG, so a leak behind a debug line is found too
    for (String pkg :
        List.of("planner", "applier", "verifier", "notifier", "kube", "runtime", "serde")) {
      args.add("--logging.level.io.stackpilot." + pkg + "=DEBUG");
    }
    String[] argv = args.toArray(String[]::new);
    services.add(PlannerApplication.builder().run(argv));
    services.add(ApplierApplication.builder().run(argv));
    services.add(VerifierApplication.builder().run(argv));
    services.add(NotifierApplication.builder().run(argv));
    api = new PlannerApi(services.get(0), API_TOKEN);
  }

  @AfterAll
  static void stop() {
    services.forEach(ConfigurableApplicationContext::close);
    if (webhook != null) {
      webhook.close();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void noSecretValueAppearsInObjectsEventsLogsOrWebhooks(CapturedOutput output) throws Exception {
    List<String> answers = new ArrayList<>();
    String suffix = UUID.randomUUID().toString().substring(0, 8);

    // 1. a stack that writes credentials into its values is refused, naming each field
    String inline = inlineCredentials("leak-inline-" + suffix);
    assertThat(scanner.scan("the refused request", inline))
        .as("the scanner finds a sentinel written as is")
        .isNotEmpty();
    for (String query : List.of("?dryRun=true", "")) {
      HttpResponse<String> refused = api.declare(inline, query, "credentials inline");
      answers.add(refused.body());
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
      assertThat(refused.body())
          .contains("SECRET-INLINE")
          .contains("stack.spec.components[0].values.adminPassword")
          .contains("stack.spec.components[1].values.tempo.storage.trace.s3.secret_key")
          .contains("stack.spec.components[1].values.tempo.metricsGenerator.remoteWriteUrl");
    }

    // 2. seed 004, which references its credentials, rolls out to both clusters
    String stack = seed004("leak-" + suffix);
    assertThat(stack).contains("observability-s3", "grafana-admin", "grafana-github-oauth");
    try (EventTap tap =
        EventTap.avro(broker.bootstrapServers(), registry.url(), Topic.allNames())) {
      HttpResponse<String> accepted = api.declare(stack, "", "no secret leaks");
      answers.add(accepted.body());
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      String rolloutId = PlannerApi.rolloutId(accepted);
      int steps = Integer.parseInt(accepted.body().replaceAll(".*\"steps\":(\\d+).*", "$1"));
      assertThat(steps).isEqualTo(COMPONENTS * CLUSTERS.size());

      await()
          .atMost(Duration.ofSeconds(240))
          .untilAsserted(
              () -> {
                assertThat(of(tap, RolloutStatusChanged.class, rolloutId))
                    .extracting(RolloutStatusChanged::getPhase)
                    .doesNotContain(RolloutPhase.HALTED, RolloutPhase.ROLLED_BACK)
                    .contains(RolloutPhase.COMPLETED);
                assertThat(of(tap, ComponentVerified.class, rolloutId)).hasSize(steps);
                assertThat(of(tap, NotificationSent.class, rolloutId)).hasSize(steps);
              });
      answers.add(api.get("/api/v1/rollouts/" + rolloutId).body());
      answers.add(api.get("/api/v1/fleets").body());

      List<String> leaks = new ArrayList<>();
      leaks.addAll(scanLogs(output, rolloutId));
      leaks.addAll(scanTopics(steps));
      leaks.addAll(scanClusters());
      for (String body : webhook.bodies()) {
        leaks.addAll(scanner.scan("webhook body", body));
      }
      assertThat(webhook.bodies()).hasSizeGreaterThanOrEqualTo(steps);
      for (String answer : answers) {
        leaks.addAll(scanner.scan("planner API answer", answer));
      }
      assertThat(leaks).as("secret values found outside their Secrets").isEmpty();
    }
  }

  /** The log: it holds the services' lines (a scan of an empty capture proves nothing). */
  private static List<String> scanLogs(CapturedOutput output, String rolloutId) {
    String log = output.getAll();
    assertThat(log)
        .contains("RolloutStatusChanged COMPLETED") // planner
        .contains("step " + rolloutId + "/leak-hub/loki done (APPLY)") // applier
        .contains("loki on leak-edge (APPLY): HEALTHY") // verifier
        .contains("published NotificationSent[") // notifier
        .contains("DEBUG"); // the services' debug lines are in
    List<String> hits = new ArrayList<>();
    String[] lines = log.split("\n");
    for (int i = 0; i < lines.length; i++) {
      hits.addAll(scanner.scan("log line " + (i + 1), lines[i]));
    }
    return hits;
  }

  /**
   * Every committed record of every catalog topic, dead-letter topic and the registry's schemas,
   * read to the end: key, headers, raw value bytes and the decoded event.
   */
  private static List<String> scanTopics(int steps) {
    List<String> topics = new ArrayList<>(Topic.allNames());
    for (String service : List.of("planner", "applier", "verifier", "notifier")) {
      topics.add(Topic.deadLetterTopic(service));
    }
    topics.add("_schemas");
    List<ConsumerRecord<byte[], byte[]>> records =
        TopicDump.read(broker.bootstrapServers(), topics);
    ConfluentAvroDeserializer avro = new ConfluentAvroDeserializer();
    avro.configure(
        Map.of("schema.registry.url", registry.url(), "specific.avro.reader", "true"), false);
    List<String> hits = new ArrayList<>();
    int decoded = 0;
    for (ConsumerRecord<byte[], byte[]> r : records) {
      String where = r.topic() + "-" + r.partition() + "@" + r.offset();
      hits.addAll(scanner.scan(where + " key", latin1(r.key())));
      for (Header h : r.headers()) {
        hits.addAll(scanner.scan(where + " header " + h.key(), latin1(h.value())));
      }
      hits.addAll(scanner.scan(where + " value bytes", latin1(r.value())));
      if (Topic.byName(r.topic()).isPresent() && r.value() != null) {
        Object event = avro.deserialize(r.topic(), r.value());
        if (event instanceof SpecificRecord) {
          decoded++;
        }
        hits.addAll(scanner.scan(where + " decoded", String.valueOf(event)));
      }
    }
    // at least each step's request, result, verdict and notification were decoded and scanned
    assertThat(decoded).isGreaterThanOrEqualTo(4 * steps);
    return hits;
  }

  /**
   * Every object of every kind the renderer writes or the simulated controllers create, in every
   * namespace of every cluster; the Secrets are scanned too, and must be where the values are.
   */
  private static List<String> scanClusters() {
    List<String> hits = new ArrayList<>();
    for (String cluster : CLUSTERS) {
      KubernetesClient client = fleet.client(cluster);
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (ClusterObjects.Kind kind : ClusterObjects.everythingButSecrets()) {
        List<GenericKubernetesResource> objects = ClusterObjects.list(client, kind);
        counts.put(kind.kind(), objects.size());
        for (GenericKubernetesResource o : objects) {
          String where = cluster + " " + kind.kind() + " " + o.getMetadata().getName();
          hits.addAll(scanner.scan(where, Serialization.asJson(o)));
        }
      }
      // what seed 004 renders, so an empty listing cannot pass for a clean one
      assertThat(counts)
          .as(cluster)
          .containsEntry("HelmRelease", COMPONENTS)
          .containsEntry("Probe", 3)
          .containsEntry("PrometheusServiceLevel", 3)
          .containsEntry("Namespace", 1);
      assertThat(counts.get("ConfigMap")).as(cluster).isGreaterThanOrEqualTo(COMPONENTS);
      assertThat(counts.get("HelmRepository") + counts.get("OCIRepository")).isEqualTo(COMPONENTS);
      assertThat(counts.get("Deployment") + counts.get("StatefulSet") + counts.get("Pod"))
          .as(cluster)
          .isPositive();

      List<String> inSecrets = new ArrayList<>();
      for (var secret : client.secrets().inAnyNamespace().list().getItems()) {
        inSecrets.addAll(
            scanner.scan(cluster + " Secret " + secret.getMetadata().getName(), json(secret)));
      }
      assertThat(inSecrets)
          .as("the scanner finds the values in the Secrets of %s", cluster)
          .hasSizeGreaterThanOrEqualTo(SECRETS.size());
    }
    return hits;
  }

  private static String json(Object o) {
    return Serialization.asJson(o);
  }

  /** Bytes as text, one char per byte: an ASCII sentinel inside Avro binary reads as itself. */
  private static String latin1(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** Creates every Secret in {@code cluster}, each value a sentinel, as the seeds' SOPS would. */
  private static void createSecrets(String cluster) {
    SECRETS.forEach(
        (name, keys) -> {
          Map<String, String> data = new LinkedHashMap<>();
          for (String key : keys) {
            String value = RUN + "-" + cluster + "-" + name + "-" + key;
            scanner.secret(cluster + "/" + name + "/" + key, value);
            data.put(
                key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
          }
          fleet
              .client(cluster)
              .secrets()
              .inNamespace(NAMESPACE)
              .resource(
                  new SecretBuilder()
                      .withNewMetadata()
                      .withName(name)
                      .withNamespace(NAMESPACE)
                      .endMetadata()
                      .withType("Opaque")
                      .withData(data)
                      .build())
              .create();
        });
  }

  /** Seed 004's stack under {@code name}, to both clusters: hub canary, then edge. */
  private static String seed004(String name) throws Exception {
    String example = Files.readString(Path.of("../examples/seed-004-flux-lgtm-pyroscope.yaml"));
    String stack = example.substring(0, example.indexOf("\n---\n"));
    assertThat(stack).contains("\n  name: observability\n");
    return stack.replace("\n  name: observability\n", "\n  name: " + name + "\n")
        + """

        ---
        apiVersion: stackpilot.io/v1alpha1
        kind: Fleet
        metadata:
          name: %s
        spec:
          clusters:
            - {name: leak-hub, context: leak-hub, tenant: hub}
            - {name: leak-edge, context: leak-edge, tenant: edge}
          rollout:
            canary: [leak-hub]
            batchSize: 1
            soakSeconds: 0
        """
            .formatted(name);
  }

  /** A stack that writes credentials as values: an admin password, an S3 key, a URL password. */
  private static String inlineCredentials(String name) {
    return """
        apiVersion: stackpilot.io/v1alpha1
        kind: ObservabilityStack
        metadata:
          name: %1$s
        spec:
          components:
            - name: grafana
              type: grafana
              namespace: %2$s
              chart: {repository: https://grafana.github.io/helm-charts, name: grafana, version: 10.1.4}
              values:
                adminUser: admin
                adminPassword: %3$s-inline-admin-password
            - name: tempo
              type: tempo
              namespace: %2$s
              chart: {repository: https://grafana.github.io/helm-charts, name: tempo, version: 1.24.0}
              values:
                tempo:
                  storage:
                    trace:
                      backend: s3
                      s3:
                        bucket: tempo
                        endpoint: s3.example.com
                        access_key: ${AWS_ACCESS_KEY_ID}
                        secret_key: %3$s-inline-s3-secret-key
                  metricsGenerator:
                    enabled: true
                    remoteWriteUrl: http://writer:%3$s-inline-url-password@prometheus:9090/api/v1/write
        ---
        apiVersion: stackpilot.io/v1alpha1
        kind: Fleet
        metadata:
          name: %1$s
        spec:
          clusters:
            - {name: leak-hub, context: leak-hub, tenant: hub}
        """
        .formatted(name, NAMESPACE, RUN);
  }
}
