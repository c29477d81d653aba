package io.stackpilot.planner.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stack's typed fields: what they read, and every shape error named with its path. */
class StackSpecTest {
  final SpecParser parser = new SpecParser();

  static String stack(String component) {
    return """
        apiVersion: stackpilot.io/v1alpha1
        kind: ObservabilityStack
        metadata: {name: s}
        spec:
          components:
        %s"""
            .formatted(component.indent(4))
        + SpecParserTest.FLEET;
  }

  static final String CHART = "chart: {repository: r, name: c, version: \"1\"}";

  @Test
  void seed003ReadsAsTypedFields() throws Exception {
    SpecParser.Declared d =
        parser.parse(Files.readString(Path.of("../../examples/seed-003-argocd-thanos-s3.yaml")));
    StackSpec.Component thanos = d.stack().spec().components().get(1);

    assertThat(thanos.type()).isEqualTo(ComponentType.THANOS);
    assertThat(thanos.objectStorage().secretRef())
        .isEqualTo(
            new StackSpec.SecretRef("thanos-objstore-secret", Map.of("objstore", "objstore.yml")));
    assertThat(thanos.objectStorage().insecure()).isTrue();
    assertThat(thanos.thanos().sidecar().prometheus()).isEqualTo("kube-prometheus-stack");
    assertThat(thanos.thanos().compactor().retention())
        .isEqualTo(new ThanosSettings.Retention("7d", "30d", "180d"));
    assertThat(thanos.valuesOrEmpty())
        .containsEntry("existingObjstoreSecret", "thanos-objstore-secret");

    StackSpec.Component loki = d.stack().spec().components().get(2);
    assertThat(loki.loki().mode()).isEqualTo(LokiSettings.Mode.SINGLE_BINARY);
    assertThat(loki.loki().mode().chartValue()).isEqualTo("SingleBinary");
    assertThat(loki.retention()).isEqualTo("720h");
    assertThat(loki.objectStorage().extraBuckets()).containsEntry("ruler", "loki-ruler");
    assertThat(loki.routesOrEmpty())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.kind()).isEqualTo(StackSpec.RouteKind.INGRESS);
              assertThat(r.pathType()).isEqualTo("Exact");
              assertThat(r.basicAuth().name()).isEqualTo("monitoring-basic-auth");
            });
  }

  @Test
  void seed004ReadsAlloyGrafanaProbesAndSlos() throws Exception {
    SpecParser.Declared d =
        parser.parse(Files.readString(Path.of("../../examples/seed-004-flux-lgtm-pyroscope.yaml")));
    List<StackSpec.Component> c = d.stack().spec().components();
    StackSpec.Component gateway =
        c.stream().filter(x -> x.name().equals("alloy-gateway")).findFirst().orElseThrow();
    assertThat(gateway.alloy().mode()).isEqualTo(AlloySettings.Mode.GATEWAY);
    assertThat(gateway.alloy().otlp()).isEqualTo(new AlloySettings.Otlp(4317, 4318));
    assertThat(gateway.alloy().faro().port()).isEqualTo(12347);
    assertThat(gateway.alloy().writesOrEmpty())
        .extracting(StackSpec.Write::signal)
        .containsExactly(StackSpec.Signal.TRACES, StackSpec.Signal.METRICS, StackSpec.Signal.LOGS);

    StackSpec.Component grafana =
        c.stream().filter(x -> x.type() == ComponentType.GRAFANA).findFirst().orElseThrow();
    assertThat(grafana.grafana().oauth().secretRef().keysOrEmpty())
        .containsEntry("clientSecret", "GF_AUTH_GITHUB_CLIENT_SECRET");
    assertThat(grafana.grafana().plugins()).contains("grafana-pyroscope-app");
    assertThat(grafana.grafana().datasourcesOrEmpty())
        .filteredOn(GrafanaSettings.Datasource::sendsTenant)
        .extracting(GrafanaSettings.Datasource::name)
        .containsExactly("Mimir");

    StackSpec.Component sloth =
        c.stream().filter(x -> x.type() == ComponentType.SLOTH).findFirst().orElseThrow();
    assertThat(sloth.slosOrEmpty()).extracting(StackSpec.Slo::objective).contains(99.9);
    StackSpec.Component blackbox =
        c.stream()
            .filter(x -> x.type() == ComponentType.BLACKBOX_EXPORTER)
            .findFirst()
            .orElseThrow();
    assertThat(blackbox.probesOrEmpty())
        .extracting(StackSpec.Probe::module)
        .containsOnly("http_2xx");
  }

  @Test
  void aCredentialCannotBeWrittenIntoObjectStorage() {
    // only a secretRef is accepted: a key field is unknown, with its path
    assertThatThrownBy(
            () ->
                parser.parse(
                    stack(
                        """
                        - name: loki
                          type: loki
                          namespace: n
                          %s
                          objectStorage: {bucket: loki-chunks, secretAccessKey: abc}
                        """
                            .formatted(CHART))))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining(
            "stack.spec.components[0].objectStorage.secretAccessKey: unknown field");
  }

  @Test
  void aSectionBelongsToItsComponentType() {
    assertThatThrownBy(
            () ->
                parser.parse(
                    stack(
                        """
                        - name: tempo
                          type: tempo
                          namespace: n
                          %s
                          alloy: {mode: agent}
                        """
                            .formatted(CHART))))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining(
            "stack.spec.components[0].alloy: 'alloy' is for components of type alloy, not tempo");
  }

  @Test
  void anUnknownModeNamesTheChoices() {
    assertThatThrownBy(
            () ->
                parser.parse(
                    stack(
                        """
                        - name: loki
                          type: loki
                          namespace: n
                          %s
                          loki: {mode: monolithic}
                        """
                            .formatted(CHART))))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("stack.spec.components[0].loki.mode")
        .hasMessageContaining("single-binary, simple-scalable, distributed");
  }

  @Test
  void typedFieldShapesAreAllReported() {
    String yaml =
        stack(
            """
            - name: kps
              type: kube-prometheus-stack
              namespace: n
              %1$s
              storage: {storageClass: ceph-block, size: 20 gigs}
              retention: 3 days
              routes: [{host: grafana.example.com}]
            - name: thanos
              type: thanos
              namespace: n
              %1$s
              objectStorage: {bucket: b, secretRef: {keys: {objstore: objstore.yml}}}
              thanos: {sidecar: {prometheus: prometheus}}
            - name: sloth
              type: sloth
              namespace: n
              %1$s
              slos: [{name: a, service: s, objective: 100, errorQuery: e, totalQuery: t}]
            """
                .formatted(CHART));
    assertThatThrownBy(() -> parser.parse(yaml))
        .isInstanceOfSatisfying(
            SpecException.class,
            e ->
                assertThat(e.violations())
                    .extracting(SpecException.Violation::field)
                    .containsExactly(
                        "stack.spec.components[0].storage.size",
                        "stack.spec.components[0].retention",
                        "stack.spec.components[0].routes[0].kind",
                        "stack.spec.components[1].objectStorage.secretRef.name",
                        "stack.spec.components[1].thanos.sidecar.prometheus",
                        "stack.spec.components[2].slos[0].objective"));
  }

  @Test
  void aLonghornStorageClassParses() {
    String yaml =
        """
        apiVersion: stackpilot.io/v1alpha1
        kind: ObservabilityStack
        metadata: {name: s}
        spec:
          storageClasses:
            - {name: lg-hdd-raw-x1-delete, provisioner: driver.longhorn.io, reclaimPolicy: Delete, parameters: {numberOfReplicas: "1", dataEngine: "v1"}}
          components: [{name: a, type: other, namespace: n, chart: {repository: r, name: a, version: "1"}}]
        """
            + SpecParserTest.FLEET;
    assertThat(parser.parse(yaml).stack().spec().storageClassesOrEmpty())
        .singleElement()
        .satisfies(sc -> assertThat(sc.parametersOrEmpty()).containsEntry("dataEngine", "v1"));
  }

  @Test
  void theUntypedShapeStillWorks() throws Exception {
    SpecParser.Declared d =
        parser.parse(Files.readString(Path.of("../../examples/lgtm-multicluster.yaml")));
    assertThat(d.stack().spec().components()).hasSize(5);
    assertThat(d.fleet().spec().clusters()).hasSize(3);
    StackSpec.Component mimir = d.stack().spec().components().get(0);
    assertThat(mimir.storage()).isNull();
    assertThat(mimir.routesOrEmpty()).isEmpty();
    assertThat(mimir.chart().major()).isEqualTo(6);
    assertThat(new StackSpec.Chart("r", "c", "*").major()).isEqualTo(-1);
    assertThat(new StackSpec.Chart("r", "c", "v17.x").major()).isEqualTo(17);
    StackSpec.Component bare =
        new StackSpec.Component("a", ComponentType.OTHER, "n", null, null, null);
    assertThat(bare.valuesOrEmpty()).isEmpty();
    assertThat(bare.dependsOnOrEmpty()).isEmpty();
  }
}
