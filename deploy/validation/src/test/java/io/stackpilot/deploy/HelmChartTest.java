package io.stackpilot.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Proves that the chart lints clean with real Helm (helm-java) and that what it renders, with the
 * default values and with production-like and external-registry variants, is complete and safe:
 * required fields and labels, resources, probes, non-root read-only containers, secrets only by
 * reference, least-privilege RBAC that covers exactly what the applier writes.
 */
class HelmChartTest {
  static final Path CHART = Manifests.DEPLOY.resolve("helm/stackpilot");
  static final Path SOURCES = Manifests.DEPLOY.resolve("..");
  static final String RELEASE = "sp";
  static final String NAMESPACE = "stackpilot";
  static final List<String> COMPONENTS =
      List.of("registry", "planner", "applier", "verifier", "notifier");
  static final Set<String> READ_VERBS = Set.of("get", "list", "watch");
  static final Set<String> CLUSTER_SCOPED = Set.of("ClusterRole", "ClusterRoleBinding");

  /** Custom resources the fabric8 model does not know (ObservabilityChartTest checks them). */
  static final Set<String> PROMETHEUS_OPERATOR_KINDS = Set.of("ServiceMonitor", "PrometheusRule");

  @Test
  void lintsWithoutErrorsOrWarnings() {
    LintResult lint = new Helm(CHART).lint().strict().call();
    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }

  /** values.yaml is the reference: every key has a comment right above it. */
  @Test
  void everyValueIsDocumented() throws IOException {
    List<String> lines = Files.readAllLines(CHART.resolve("values.yaml"));
    List<String> undocumented = new ArrayList<>();
    String previous = "";
    int keys = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.matches("\\s*[A-Za-z0-9_.-]+:.*")) {
        keys++;
        if (!previous.strip().startsWith("#")) {
          undocumented.add((i + 1) + ": " + line.strip());
        }
      }
      if (!line.isBlank()) {
        previous = line;
      }
    }
    assertThat(keys).isGreaterThan(100);
    assertThat(undocumented).as("keys of values.yaml without a comment above").isEmpty();
  }

  @Test
  void defaultValuesRenderEveryComponentOnce() {
    Manifests m = render(null);
    checkAll(m);

    assertThat(m.ofKind("Deployment").map(Manifests::name))
        .containsExactlyInAnyOrder(names("registry", "planner", "applier", "verifier"));
    assertThat(m.ofKind("StatefulSet").map(Manifests::name)).containsExactly(name("notifier"));
    assertThat(m.ofKind("Service")).hasSize(5);
    assertThat(m.ofKind("ServiceAccount")).hasSize(5);
    assertThat(m.ofKind("PodDisruptionBudget")).hasSize(5);
    assertThat(m.ofKind("ConfigMap")).hasSize(5);
    assertThat(m.ofKind("ClusterRole").map(Manifests::name))
        .containsExactlyInAnyOrder(names("applier", "verifier"));
    assertThat(m.ofKind("ServiceMonitor")).isEmpty();
    workloads(m).forEach(w -> assertThat(w.path("spec").path("replicas").asInt()).isEqualTo(1));

    // the services use the bundled registry and Strimzi's bootstrap, with RF 3
    JsonNode planner = config(m, "planner");
    assertThat(planner.at("/stackpilot/registry/url").asText())
        .isEqualTo("http://sp-stackpilot-registry.stackpilot.svc:8081");
    assertThat(planner.at("/stackpilot/kafka/bootstrap-servers").asText())
        .isEqualTo("stackpilot-kafka-bootstrap.kafka.svc:9092");
    assertThat(planner.at("/stackpilot/kafka/replication-factor").asInt()).isEqualTo(3);
    assertThat(config(m, "registry").at("/stackpilot/registry/topic").asText())
        .isEqualTo("_schemas");
    // the planner's token from the Secret it names, nothing else
    JsonNode token =
        env(container(m.get("Deployment", name("planner"))), "STACKPILOT_PLANNER_API_TOKEN");
    assertThat(token.at("/valueFrom/secretKeyRef/name").asText())
        .isEqualTo("stackpilot-planner-api-token");
    assertThat(token.at("/valueFrom/secretKeyRef/key").asText()).isEqualTo("token");
    // no kubeconfig Secret: only in-cluster, through the service account
    assertThat(config(m, "applier").at("/stackpilot/kube/kubeconfig").isMissingNode()).isTrue();
  }

  @Test
  void productionVariantScalesOutScrapesAndMountsSecretsByReference() {
    Manifests m = render(resource("values-production.yaml"));
    checkAll(m);

    for (JsonNode w : workloads(m)) {
      boolean registry = Manifests.name(w).equals(name("registry"));
      assertThat(w.path("spec").path("replicas").asInt()).isEqualTo(registry ? 1 : 2);
    }
    JsonNode monitor = m.get("ServiceMonitor", RELEASE + "-stackpilot");
    assertThat(monitor.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
    assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/actuator/prometheus");
    assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("http");
    List<String> scraped = new ArrayList<>();
    monitor.at("/spec/selector/matchExpressions/0/values").forEach(v -> scraped.add(v.asText()));
    assertThat(scraped).containsExactlyInAnyOrder("planner", "applier", "verifier", "notifier");
    for (String component : scraped) {
      JsonNode service = m.get("Service", name(component));
      assertThat(service.at("/metadata/labels/app.kubernetes.io~1instance").asText())
          .isEqualTo(RELEASE);
      assertThat(service.at("/spec/ports/0/name").asText()).isEqualTo("http");
    }

    // the kubeconfig Secret reaches the applier and the verifier only, as a file they re-read
    for (String component : COMPONENTS) {
      JsonNode pod = pod(workload(m, component));
      boolean mounted = secretVolumes(pod).contains("fleet-kubeconfig");
      assertThat(mounted)
          .as(component)
          .isEqualTo(Set.of("applier", "verifier").contains(component));
      if (mounted) {
        assertThat(config(m, component).at("/stackpilot/kube/kubeconfig").asText())
            .isEqualTo("/etc/stackpilot/kube/kubeconfig");
        assertThat(config(m, component).at("/stackpilot/kube/contexts/perso").asText())
            .isEqualTo("perso-admin@perso");
      }
    }
    // the notifier: channel secrets mounted where SecretSource.mounted looks, routing by file
    JsonNode notifier = workload(m, "notifier");
    assertThat(secretVolumes(pod(notifier))).containsExactlyInAnyOrder("pushover", "smtp");
    assertThat(mountPaths(container(notifier)))
        .contains("/var/run/secrets/stackpilot/pushover", "/var/run/secrets/stackpilot/smtp");
    JsonNode notifierConfig = config(m, "notifier");
    assertThat(notifierConfig.at("/stackpilot/notifier/secrets/dir").asText())
        .isEqualTo("/var/run/secrets/stackpilot");
    assertThat(notifierConfig.at("/stackpilot/notifier/routing/file").asText())
        .isEqualTo("/etc/stackpilot/routing/routing.yml");
    assertThat(m.get("ConfigMap", name("notifier") + "-routing").at("/data/routing.yml").asText())
        .contains("secretRef");
    assertThat(
            env(container(notifier), "STACKPILOT_NOTIFIER_WEBHOOK_URL")
                .at("/valueFrom/secretKeyRef/name")
                .asText())
        .isEqualTo("notifier-webhook");
    assertThat(
            env(container(notifier), "STACKPILOT_NOTIFIER_API_TOKEN")
                .at("/valueFrom/secretKeyRef/name")
                .asText())
        .isEqualTo("notifier-api-token");
    assertThat(config(m, "verifier").at("/stackpilot/verifier/targets/prometheus-sli").asText())
        .isEqualTo("http://mimir.{cluster}.example/prometheus");
    assertThat(
            config(m, "planner")
                .at("/spring/cloud/stream/kafka/binder/configuration")
                .path("security.protocol")
                .asText())
        .isEqualTo("PLAINTEXT");
  }

  @Test
  void externalRegistryVariantRendersNoRegistryAndNoClusterAccess() {
    Manifests m = render(resource("values-external-registry.yaml"));
    checkAll(m);

    assertThat(m.all())
        .noneMatch(
            d -> d.at("/metadata/labels/app.kubernetes.io~1component").asText().equals("registry"));
    for (String component : List.of("planner", "applier", "verifier", "notifier")) {
      assertThat(config(m, component).at("/stackpilot/registry/url").asText())
          .isEqualTo("https://registry.example.org/apis/ccompat/v7");
      assertThat(pod(workload(m, component)).path("automountServiceAccountToken").asBoolean(true))
          .isFalse();
    }
    assertThat(m.ofKind("ClusterRole")).isEmpty();
    assertThat(m.ofKind("ClusterRoleBinding")).isEmpty();
    assertThat(workload(m, "notifier").path("kind").asText()).isEqualTo("Deployment");
    assertThat(
            env(container(workload(m, "planner")), "STACKPILOT_PLANNER_API_TOKEN").isMissingNode())
        .isTrue();
    m.ofKind("PodDisruptionBudget")
        .forEach(p -> assertThat(p.at("/spec/minAvailable").asInt()).isEqualTo(1));
  }

  /** The bundled registry assigns ids as the one writer of its topic: never two pods at once. */
  @Test
  void tracingIsOffByDefaultAndPointsEveryServiceAtTheCollectorWhenSet() {
    assertThat(config(render(null), "planner").at("/stackpilot/tracing").isMissingNode()).isTrue();

    String endpoint = "http://alloy.monitoring.svc:4318/v1/traces";
    Manifests m =
        Manifests.parse(
            template()
                .set("tracing.otlpEndpoint", endpoint)
                .set("tracing.samplingProbability", "0.2")
                .call());
    checkAll(m);
    for (String service : List.of("planner", "applier", "verifier", "notifier")) {
      JsonNode config = config(m, service);
      assertThat(config.at("/stackpilot/tracing/otlp-endpoint").asText()).isEqualTo(endpoint);
      assertThat(config.at("/stackpilot/tracing/sampling-probability").asDouble()).isEqualTo(0.2);
    }
    assertThat(config(m, "registry").at("/stackpilot/tracing").isMissingNode()).isTrue();
  }

  @Test
  void applierReplicasShareTheStepsPartitions() {
    assertThat(config(render(null), "applier").at("/stackpilot/applier/concurrency").asInt())
        .isEqualTo(6);
    Manifests three = Manifests.parse(template().set("applier.replicaCount", "3").call());
    checkAll(three);
    assertThat(config(three, "applier").at("/stackpilot/applier/concurrency").asInt()).isEqualTo(2);
    Manifests eight = Manifests.parse(template().set("applier.replicaCount", "8").call());
    assertThat(config(eight, "applier").at("/stackpilot/applier/concurrency").asInt()).isEqualTo(1);
    Manifests set =
        Manifests.parse(
            template().set("applier.replicaCount", "2").set("applier.concurrency", "2").call());
    assertThat(config(set, "applier").at("/stackpilot/applier/concurrency").asInt()).isEqualTo(2);
  }

  @Test
  void bundledRegistryRunsAsOnePodReplacedNotRolled() {
    JsonNode registry = workload(render(null), "registry");
    assertThat(registry.at("/spec/strategy/type").asText()).isEqualTo("Recreate");
    assertThatThrownBy(() -> template().set("registry.replicaCount", "2").call())
        .hasMessageContaining("registry.replicaCount must be 1");
  }

  @Test
  void noRegistryAtAllIsRefusedWithTheSettingToFix() {
    assertThatThrownBy(() -> template().set("registry.enabled", "false").call())
        .hasMessageContaining("schemaRegistry.url");
  }

  // ---------------------------------------------------------------------------------------------
  // The checks every rendering passes

  private static void checkAll(Manifests m) {
    assertThat(m.all()).isNotEmpty();
    m.all().forEach(HelmChartTest::hasRequiredFields);
    for (JsonNode doc : m.all()) {
      if (!PROMETHEUS_OPERATOR_KINDS.contains(doc.path("kind").asText())) {
        assertThat(KubernetesModel.knows(doc))
            .as(Manifests.describe(doc) + " is a known kind")
            .isTrue();
        assertThat(KubernetesModel.unknownFields(doc)).as("fields the API does not know").isEmpty();
      }
    }
    assertThat(m.ofKind("Secret")).as("the chart renders no Secret, only references").isEmpty();
    workloads(m).forEach(w -> checkWorkload(m, w));
    m.ofKind("Service").forEach(s -> selectsOneWorkload(m, s));
    checkDisruptionBudgets(m);
    checkServiceAccounts(m);
    checkRbac(m);
    m.ofKind("ConfigMap").forEach(HelmChartTest::holdsNoSecretValue);
  }

  private static void hasRequiredFields(JsonNode doc) {
    String what = Manifests.describe(doc);
    assertThat(doc.path("apiVersion").asText()).as(what + " apiVersion").isNotBlank();
    assertThat(doc.path("kind").asText()).as(what + " kind").isNotBlank();
    assertThat(Manifests.name(doc)).as(what + " name").matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    JsonNode labels = doc.at("/metadata/labels");
    assertThat(labels.path("app.kubernetes.io/name").asText()).as(what).isEqualTo("stackpilot");
    assertThat(labels.path("app.kubernetes.io/instance").asText()).as(what).isEqualTo(RELEASE);
    assertThat(labels.path("app.kubernetes.io/part-of").asText()).as(what).isEqualTo("stackpilot");
    assertThat(labels.path("app.kubernetes.io/managed-by").asText()).as(what).isEqualTo("Helm");
    assertThat(labels.path("app.kubernetes.io/component").asText()).as(what).isNotBlank();
    if (!CLUSTER_SCOPED.contains(doc.path("kind").asText())) {
      assertThat(doc.at("/metadata/namespace").asText()).as(what).isEqualTo(NAMESPACE);
    }
  }

  private static void checkWorkload(Manifests m, JsonNode w) {
    String what = Manifests.describe(w);
    String component = w.at("/metadata/labels/app.kubernetes.io~1component").asText();
    assertThat(w.path("apiVersion").asText()).isEqualTo("apps/v1");
    JsonNode selector = w.at("/spec/selector/matchLabels");
    JsonNode podLabels = w.at("/spec/template/metadata/labels");
    selector
        .fields()
        .forEachRemaining(
            e ->
                assertThat(podLabels.path(e.getKey()).asText())
                    .as(what + " selector")
                    .isEqualTo(e.getValue().asText()));

    JsonNode pod = pod(w);
    assertThat(pod.path("containers")).as(what).hasSize(1);
    JsonNode c = container(w);
    assertThat(c.path("image").asText()).as(what).matches("[^:\\s]+/[^:\\s]+:[\\w.-]+");
    assertThat(c.path("imagePullPolicy").asText()).as(what).isIn("IfNotPresent", "Always", "Never");
    assertThat(c.at("/resources/requests/cpu").asText()).as(what + " cpu request").isNotBlank();
    assertThat(c.at("/resources/requests/memory").asText())
        .as(what + " memory request")
        .isNotBlank();
    assertThat(c.at("/resources/limits/memory").asText()).as(what + " memory limit").isNotBlank();
    assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/actuator/health/liveness");
    assertThat(c.at("/readinessProbe/httpGet/path").asText())
        .isEqualTo("/actuator/health/readiness");
    assertThat(c.at("/startupProbe/httpGet/path").asText()).isEqualTo("/actuator/health/liveness");
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      assertThat(c.at("/" + probe + "/httpGet/port").asText())
          .as(what + " " + probe)
          .isEqualTo("http");
    }
    assertThat(c.at("/ports/0/name").asText()).isEqualTo("http");
    int port = c.at("/ports/0/containerPort").asInt();

    // non-root, read-only root filesystem, nothing escalates; /tmp is the one writable place
    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as(what).isTrue();
    assertThat(pod.at("/securityContext/runAsUser").asInt()).as(what).isPositive();
    assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).as(what).isTrue();
    assertThat(c.at("/securityContext/allowPrivilegeEscalation").asBoolean(true))
        .as(what)
        .isFalse();
    assertThat(c.at("/securityContext/capabilities/drop").toString()).as(what).contains("ALL");
    String tmpVolume = mountAt(c, "/tmp");
    assertThat(volume(pod, tmpVolume).has("emptyDir")).as(what + " /tmp").isTrue();
    for (JsonNode mount : c.path("volumeMounts")) {
      JsonNode v = volume(pod, mount.path("name").asText());
      if (!mount.path("mountPath").asText().equals("/tmp")) {
        assertThat(mount.path("readOnly").asBoolean()).as(what + " " + mount).isTrue();
      }
      if (v.has("configMap") && v.at("/configMap/name").asText().startsWith(RELEASE + "-")) {
        m.get("ConfigMap", v.at("/configMap/name").asText());
      }
    }

    // environment: the Avro packages, the config file, and secrets only through valueFrom
    assertThat(env(c, "JAVA_TOOL_OPTIONS").path("value").asText())
        .contains("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.stackpilot.events");
    for (JsonNode e : c.path("env")) {
      String name = e.path("name").asText();
      if (name.matches("(?i).*(TOKEN|PASSWORD|SECRET|CREDENTIAL|WEBHOOK_URL).*")) {
        assertThat(e.has("value")).as(what + " " + name + " is a literal").isFalse();
        assertThat(e.at("/valueFrom/secretKeyRef/name").asText())
            .as(what + " " + name)
            .isNotBlank();
      }
    }
    String location = env(c, "SPRING_CONFIG_ADDITIONAL_LOCATION").path("value").asText();
    assertThat(location).isEqualTo("file:/etc/stackpilot/config/" + component + ".yml");
    assertThat(volume(pod, mountAt(c, "/etc/stackpilot/config")).at("/configMap/name").asText())
        .isEqualTo(name(component));
    JsonNode config = config(m, component);
    assertThat(config.at("/server/port").asInt()).as(what + " server.port").isEqualTo(port);
    assertThat(config.at("/management/endpoint/health/probes/enabled").asBoolean()).isTrue();
    if (component.equals("registry")) {
      assertThat(config.at("/stackpilot/registry/bootstrap-servers").asText()).isNotBlank();
    } else {
      assertThat(config.at("/stackpilot/kafka/bootstrap-servers").asText()).isNotBlank();
      assertThat(config.at("/stackpilot/registry/url").asText()).startsWith("http");
    }
    // its own service account, rendered
    String account = pod.path("serviceAccountName").asText();
    assertThat(account).isEqualTo(name(component));
    m.get("ServiceAccount", account);
    if (w.path("kind").asText().equals("StatefulSet")) {
      m.get("Service", w.at("/spec/serviceName").asText());
    }
  }

  private static void selectsOneWorkload(Manifests m, JsonNode service) {
    JsonNode selector = service.at("/spec/selector");
    List<JsonNode> selected =
        workloads(m).stream()
            .filter(w -> matches(selector, w.at("/spec/template/metadata/labels")))
            .toList();
    assertThat(selected).as(Manifests.describe(service)).hasSize(1);
    assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
  }

  private static void checkDisruptionBudgets(Manifests m) {
    List<JsonNode> budgets = m.ofKind("PodDisruptionBudget").toList();
    assertThat(budgets).hasSameSizeAs(workloads(m));
    for (JsonNode pdb : budgets) {
      assertThat(pdb.path("apiVersion").asText()).isEqualTo("policy/v1");
      assertThat(
              pdb.at("/spec/maxUnavailable").isMissingNode()
                  ^ pdb.at("/spec/minAvailable").isMissingNode())
          .as(Manifests.describe(pdb) + " sets one of maxUnavailable, minAvailable")
          .isTrue();
      JsonNode selector = pdb.at("/spec/selector/matchLabels");
      assertThat(
              workloads(m).stream()
                  .filter(w -> w.at("/spec/selector/matchLabels").equals(selector)))
          .as(Manifests.describe(pdb))
          .hasSize(1);
    }
  }

  /** Only the applier and the verifier get a service account token, and only with RBAC. */
  private static void checkServiceAccounts(Manifests m) {
    boolean rbac = m.ofKind("ClusterRoleBinding").findAny().isPresent();
    for (JsonNode sa : m.ofKind("ServiceAccount").toList()) {
      String component = sa.at("/metadata/labels/app.kubernetes.io~1component").asText();
      boolean talksToKube = Set.of("applier", "verifier").contains(component);
      assertThat(sa.path("automountServiceAccountToken").asBoolean())
          .as(Manifests.describe(sa))
          .isEqualTo(talksToKube && rbac);
      assertThat(pod(workload(m, component)).path("automountServiceAccountToken").asBoolean())
          .isEqualTo(talksToKube && rbac);
    }
  }

  /**
   * The applier's ClusterRole covers exactly the kinds its renderer produces (read from
   * StepRenderer.KINDS), never Secrets, never deletes Namespaces; the verifier's only reads, and
   * covers what it watches (ClusterWatches.KINDS) and reads back; nobody else is bound.
   */
  private static void checkRbac(Manifests m) {
    assertThat(m.ofKind("Role")).isEmpty();
    assertThat(m.ofKind("RoleBinding")).isEmpty();
    for (JsonNode role : m.ofKind("ClusterRole").toList()) {
      for (JsonNode rule : role.path("rules")) {
        for (String field : List.of("apiGroups", "resources", "verbs")) {
          assertThat(strings(rule.path(field)))
              .as(Manifests.describe(role) + " " + field)
              .doesNotContain("*");
        }
        assertThat(strings(rule.path("resources"))).doesNotContain("secrets");
        assertThat(rule.has("nonResourceURLs")).isFalse();
      }
    }
    m.find("ClusterRole", name("verifier"))
        .ifPresent(
            verifier -> {
              Set<String> resources = new TreeSet<>();
              for (JsonNode rule : verifier.path("rules")) {
                assertThat(READ_VERBS)
                    .as("verifier verbs")
                    .containsAll(strings(rule.path("verbs")));
                resources.addAll(strings(rule.path("resources")));
              }
              assertThat(resources).containsAll(verifierWatchedResources());
              assertThat(resources).containsAll(applierRenderedResources());
            });
    m.find("ClusterRole", name("applier"))
        .ifPresent(
            applier -> {
              Set<String> resources = new TreeSet<>();
              for (JsonNode rule : applier.path("rules")) {
                Set<String> verbs = strings(rule.path("verbs"));
                Set<String> kinds = strings(rule.path("resources"));
                resources.addAll(kinds);
                assertThat(Set.of("get", "list", "create", "patch", "delete")).containsAll(verbs);
                assertThat(verbs).contains("get", "create", "patch");
                if (kinds.contains("namespaces")) {
                  assertThat(verbs).doesNotContain("delete");
                }
              }
              assertThat(resources).isEqualTo(applierRenderedResources());
            });
    for (JsonNode binding : m.ofKind("ClusterRoleBinding").toList()) {
      String component = binding.at("/metadata/labels/app.kubernetes.io~1component").asText();
      assertThat(component).isIn("applier", "verifier");
      m.get("ClusterRole", binding.at("/roleRef/name").asText());
      assertThat(binding.path("subjects")).hasSize(1);
      assertThat(binding.at("/subjects/0/name").asText()).isEqualTo(name(component));
      assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo(NAMESPACE);
      m.get("ServiceAccount", binding.at("/subjects/0/name").asText());
    }
  }

  /** A ConfigMap may name a secret ({secretRef: ...}) but never hold a credential's value. */
  private static void holdsNoSecretValue(JsonNode configMap) {
    configMap
        .path("data")
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode tree =
                  Manifests.parse(e.getValue().asText()).all().stream().findFirst().orElse(null);
              if (tree != null) {
                noSecretLeaves(Manifests.describe(configMap) + "/" + e.getKey(), tree);
              }
            });
  }

  private static void noSecretLeaves(String path, JsonNode node) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> {
                String key = e.getKey().toLowerCase(Locale.ROOT);
                boolean sensitive =
                    key.matches(".*(password|token|secret|api_key|user_key|credential).*")
                        && !key.equals("secrets");
                if (sensitive) {
                  assertThat(e.getValue().has("secretRef"))
                      .as(path + "." + e.getKey() + " must be a secretRef, not a value")
                      .isTrue();
                } else {
                  noSecretLeaves(path + "." + e.getKey(), e.getValue());
                }
              });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        noSecretLeaves(path + "[" + i + "]", node.get(i));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // What the services' code says they touch, read from their sources

  /** Resources of StepRenderer.KINDS: {@code new RenderedKind(api, "Kind", ...)}. */
  static Set<String> applierRenderedResources() {
    String source =
        read("services/applier/src/main/java/io/stackpilot/applier/render/StepRenderer.java");
    Matcher kinds = Pattern.compile("new RenderedKind\\(\\s*[^,]+,\\s*\"(\\w+)\"").matcher(source);
    Set<String> resources = new TreeSet<>();
    while (kinds.find()) {
      String kind = kinds.group(1).toLowerCase(Locale.ROOT);
      resources.add(kind.endsWith("y") ? kind.substring(0, kind.length() - 1) + "ies" : kind + "s");
    }
    assertThat(resources).as("kinds found in StepRenderer.KINDS").hasSizeGreaterThanOrEqualTo(8);
    return resources;
  }

  /** Resources of ClusterWatches.KINDS: {@code kind(group, version, "Kind", "plural")}. */
  static Set<String> verifierWatchedResources() {
    String source =
        read("services/verifier/src/main/java/io/stackpilot/verifier/ClusterWatches.java");
    Matcher kinds =
        Pattern.compile("kind\\(\"[^\"]*\",\\s*\"[^\"]*\",\\s*\"\\w+\",\\s*\"(\\w+)\"\\)")
            .matcher(source);
    Set<String> resources = new TreeSet<>();
    while (kinds.find()) {
      resources.add(kinds.group(1));
    }
    assertThat(resources).as("kinds found in ClusterWatches.KINDS").hasSizeGreaterThanOrEqualTo(7);
    return resources;
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private static TemplateCommand template() {
    return new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE);
  }

  private static Manifests render(Path valuesFile) {
    TemplateCommand template = template();
    if (valuesFile != null) {
      template = template.withValuesFile(valuesFile);
    }
    return Manifests.parse(template.call());
  }

  private static Path resource(String name) {
    return Path.of("src/test/resources", name).toAbsolutePath();
  }

  private static String read(String relative) {
    try {
      return Files.readString(SOURCES.resolve(relative));
    } catch (IOException e) {
      throw new AssertionError("cannot read " + relative, e);
    }
  }

  static String name(String component) {
    return RELEASE + "-stackpilot-" + component;
  }

  static String[] names(String... components) {
    return java.util.Arrays.stream(components).map(HelmChartTest::name).toArray(String[]::new);
  }

  private static List<JsonNode> workloads(Manifests m) {
    List<JsonNode> all = new ArrayList<>(m.ofKind("Deployment").toList());
    all.addAll(m.ofKind("StatefulSet").toList());
    return all;
  }

  private static JsonNode workload(Manifests m, String component) {
    return workloads(m).stream()
        .filter(w -> Manifests.name(w).equals(name(component)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no workload for " + component));
  }

  private static JsonNode pod(JsonNode workload) {
    return workload.at("/spec/template/spec");
  }

  private static JsonNode container(JsonNode workload) {
    return pod(workload).path("containers").path(0);
  }

  private static JsonNode env(JsonNode container, String name) {
    for (JsonNode e : container.path("env")) {
      if (e.path("name").asText().equals(name)) {
        return e;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  /** The component's Spring configuration, parsed from its ConfigMap. */
  private static JsonNode config(Manifests m, String component) {
    String yaml = m.get("ConfigMap", name(component)).at("/data/" + component + ".yml").asText();
    assertThat(yaml).as(component + ".yml in its ConfigMap").isNotBlank();
    return Manifests.parse(yaml).all().get(0);
  }

  private static String mountAt(JsonNode container, String path) {
    for (JsonNode mount : container.path("volumeMounts")) {
      if (mount.path("mountPath").asText().equals(path)) {
        return mount.path("name").asText();
      }
    }
    throw new AssertionError("nothing mounted at " + path);
  }

  private static List<String> mountPaths(JsonNode container) {
    List<String> paths = new ArrayList<>();
    container.path("volumeMounts").forEach(v -> paths.add(v.path("mountPath").asText()));
    return paths;
  }

  private static JsonNode volume(JsonNode pod, String name) {
    for (JsonNode v : pod.path("volumes")) {
      if (v.path("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no volume " + name);
  }

  private static Set<String> secretVolumes(JsonNode pod) {
    Set<String> secrets = new HashSet<>();
    pod.path("volumes")
        .forEach(
            v -> {
              if (v.has("secret")) {
                secrets.add(v.at("/secret/secretName").asText());
              }
            });
    return secrets;
  }

  private static boolean matches(JsonNode selector, JsonNode labels) {
    if (selector.size() == 0) {
      return false;
    }
    for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) selector::fields) {
      if (!labels.path(e.getKey()).asText().equals(e.getValue().asText())) {
        return false;
      }
    }
    return true;
  }

  private static Set<String> strings(JsonNode array) {
    Set<String> out = new TreeSet<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
