package io.stackpilot.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.stackpilot.applier.ApplierApplication;
import io.stackpilot.fleet.simulator.FleetSimulator;
import io.stackpilot.notifier.NotifierApplication;
import io.stackpilot.planner.PlannerApplication;
import io.stackpilot.testing.HttpSink;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealComponent;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import io.stackpilot.verifier.VerifierApplication;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The platform observed by a real Prometheus (Debian's): it scrapes the four services'
 * /actuator/prometheus during a rollout, and every metric the Grafana dashboard and the
 * PrometheusRules query is one that this scrape holds.
 */
@ExtendWith(RealKafkaExtension.class)
class MetricsE2E {
  static final Path CHART_FILES = Path.of("../deploy/helm/stackpilot/files");
  static final String RUN = "mx" + UUID.randomUUID().toString().substring(0, 6);
  static final List<String> CLUSTERS = List.of(RUN + "-a", RUN + "-b", RUN + "-c");
  static final List<String> SERVICES = List.of("planner", "applier", "verifier", "notifier");
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  static final Map<String, ConfigurableApplicationContext> services = new LinkedHashMap<>();
  static FleetSimulator fleet;
  static HttpSink webhook;
  static RealComponent prometheus;

  @BeforeAll
  static void start(KafkaBroker broker, SchemaRegistry registry, @TempDir Path dir) {
    fleet = FleetSimulator.start(CLUSTERS);
    Path kubeconfig = fleet.writeKubeconfig(dir.resolve("kubeconfig"));
    webhook = HttpSink.start();
    String[] args =
        ServiceArgs.of(
            broker,
            registry,
            "--stackpilot.kube.kubeconfig=" + kubeconfig,
            "--stackpilot.notifier.webhook.url=" + webhook.url());
    services.put("planner", PlannerApplication.builder().run(args));
    services.put("applier", ApplierApplication.builder().run(args));
    services.put("verifier", VerifierApplication.builder().run(args));
    services.put("notifier", NotifierApplication.builder().run(args));
    StringBuilder scrape =
        new StringBuilder("global: {scrape_interval: 1s, evaluation_interval: 1s}\n")
            .append("scrape_configs:\n");
    services.forEach(
        (name, context) ->
            scrape
                .append("  - job_name: stackpilot-")
                .append(name)
                .append("\n    metrics_path: /actuator/prometheus\n")
                .append("    static_configs:\n      - targets: ['127.0.0.1:")
                .append(context.getEnvironment().getRequiredProperty("local.server.port"))
                .append("']\n"));
    prometheus = RealComponent.prometheus(dir.resolve("prometheus"), scrape.toString());
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    services.values().forEach(ConfigurableApplicationContext::close);
    if (webhook != null) {
      webhook.close();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void prometheusScrapesEveryServiceAndHoldsEveryMetricTheDashboardAndRulesQuery()
      throws Exception {
    String yaml =
        Files.readString(Path.of("../examples/lgtm-multicluster.yaml"))
            .replaceFirst("name: lgtm", "name: lgtm-" + RUN)
            .replace("homelab", "homelab-" + RUN)
            .replace("foundation", CLUSTERS.get(0))
            .replace("cryptellation", CLUSTERS.get(1))
            .replace("perso", CLUSTERS.get(2));
    HttpResponse<String> declared =
        new PlannerApi(services.get("planner"), ServiceArgs.API_TOKEN)
            .declare(yaml, "", "metrics e2e");
    assertThat(declared.statusCode()).as(declared.body()).isEqualTo(202);

    // every target up, and each service has read events; the applier applied, the verifier
    // gated, the notifier delivered
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(byLabel("up", "job"))
                  .containsOnlyKeys(SERVICES.stream().map(n -> "stackpilot-" + n).toList())
                  .allSatisfy((job, v) -> assertThat(v).as(job).isEqualTo(1));
              assertThat(byService("sum by (service) (stackpilot_events_consumed_total)"))
                  .containsOnlyKeys(SERVICES)
                  .allSatisfy((s, v) -> assertThat(v).as(s).isPositive());
              assertThat(byService("sum by (service) (stackpilot_events_published_total)"))
                  .containsKeys("planner", "applier", "verifier", "notifier");
              assertThat(
                      byService(
                          "sum by (service) (stackpilot_applier_steps_total{outcome=\"applied\"})"))
                  .containsEntry("applier", 15.0);
              assertThat(byService("sum by (service) (stackpilot_verifier_gates_total)"))
                  .containsKey("verifier");
              assertThat(
                      byService(
                          "sum by (service) (stackpilot_notifier_deliveries_total{outcome=\"sent\"})"))
                  .hasEntrySatisfying("notifier", v -> assertThat(v).isPositive());
              assertThat(
                      byService("max by (service) (kafka_consumer_fetch_manager_records_lag_max)"))
                  .containsOnlyKeys(SERVICES);
            });

    Set<String> exported = metricNames();
    JsonNode dashboard = JSON.readTree(CHART_FILES.resolve("stackpilot-dashboard.json").toFile());
    List<String> dashboardQueries = new ArrayList<>();
    dashboard.findValues("expr").forEach(e -> dashboardQueries.add(e.asText()));
    JsonNode rules =
        new YAMLMapper().readTree(CHART_FILES.resolve("stackpilot-rules.yaml").toFile());
    List<String> ruleQueries = new ArrayList<>();
    rules.findValues("expr").forEach(e -> ruleQueries.add(e.asText()));
    assertThat(dashboardQueries).hasSizeGreaterThanOrEqualTo(10);
    assertThat(ruleQueries).hasSize(5);

    Set<String> used = new TreeSet<>();
    for (String query : concat(dashboardQueries, ruleQueries)) {
      Set<String> names = PromQlNames.of(query);
      assertThat(names).as("metrics named by %s", query).isNotEmpty();
      Set<String> missing = new TreeSet<>(names);
      missing.removeAll(exported);
      assertThat(missing).as("metrics of %s that no service exports", query).isEmpty();
      // and Prometheus itself parses it (Grafana's $variables replaced as Grafana would)
      assertThat(queryStatus(grafanaToPromQl(query))).as(query).isEqualTo("success");
      used.addAll(names);
    }
    // the check can fail: a name no service exports is not in the scrape
    assertThat(exported).doesNotContain("stackpilot_events_consumed_typo_total");
    System.out.printf(
        "MetricsE2E: %d series names scraped; %d dashboard and %d rule queries use %s%n",
        exported.size(), dashboardQueries.size(), ruleQueries.size(), used);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  static String grafanaToPromQl(String query) {
    return query
        .replace("$__rate_interval", "1m")
        .replace("$__range", "5m")
        .replace("$service", ".*");
  }

  private static Set<String> metricNames() throws Exception {
    JsonNode body = get("/api/v1/label/__name__/values");
    Set<String> names = new TreeSet<>();
    body.path("data").forEach(n -> names.add(n.asText()));
    return names;
  }

  /**
   * An instant query's value per {@code service} label: the services' own (the scrape config adds
   * no target label), as the ServiceMonitor's honorLabels keeps it.
   */
  private static Map<String, Double> byService(String query) throws Exception {
    return byLabel(query, "service");
  }

  private static Map<String, Double> byLabel(String query, String label) throws Exception {
    JsonNode body = get("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    Map<String, Double> values = new LinkedHashMap<>();
    for (JsonNode r : body.path("data").path("result")) {
      values.put(r.path("metric").path(label).asText(), r.path("value").get(1).asDouble());
    }
    return values;
  }

  private static String queryStatus(String query) throws Exception {
    return get("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8))
        .path("status")
        .asText();
  }

  private static JsonNode get(String pathAndQuery) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(prometheus.url() + pathAndQuery)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }
}
