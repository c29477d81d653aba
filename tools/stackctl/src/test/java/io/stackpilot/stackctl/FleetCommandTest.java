package io.stackpilot.stackctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fleet ls} and {@code fleet apply} against a double of the planner's contract. */
class FleetCommandTest {
  private static final String FLEETS =
      """
      {"fleets":[{"name":"homelab","revision":"sha256:0123456789abcdef0123","clusters":[
        {"name":"foundation","context":"foundation","tenant":"t-found","labels":{"role":"hub"}},
        {"name":"cryptellation","context":"cryptellation","tenant":"t-crypt","labels":{}},
        {"name":"perso","context":"perso","tenant":"t-perso","labels":{}}]}]}""";

  private static final String CLUSTERS =
      """
      {"clusters":[
        {"name":"foundation","fleet":"homelab","tenant":"t-found","components":[
          {"stack":"lgtm","component":"loki","digest":"sha256:a","chartVersion":"6.1.0","health":"HEALTHY","rolloutId":"r-1","updatedAt":"2026-11-21T10:00:00Z"},
          {"stack":"lgtm","component":"tempo","digest":"sha256:b","chartVersion":"1.9.0","health":"DEGRADED","rolloutId":"r-1","updatedAt":"2026-11-21T10:00:00Z"}]},
        {"name":"cryptellation","fleet":"homelab","tenant":"t-crypt","components":[
          {"stack":"lgtm","component":"loki","digest":"sha256:a","chartVersion":"6.1.0","health":null,"rolloutId":"r-2","updatedAt":"2026-11-21T10:01:00Z"}]}]}""";

  private FakePlanner planner;
  private Path dir;

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    planner = new FakePlanner();
    this.dir = dir;
  }

  @AfterEach
  void stop() {
    planner.close();
  }

  @Test
  void lsShowsOneRowPerClusterAndTheHealthOfEachComponent() {
    planner.on("GET", "/fleets", 200, FLEETS).on("GET", "/clusters", 200, CLUSTERS);

    Cli cli = Cli.run("fleet", "ls", "--server", planner.url());

    assertThat(cli.code()).as(cli.all()).isZero();
    assertThat(planner.requests())
        .extracting(FakePlanner.Request::target)
        .containsExactlyInAnyOrder("GET /api/v1/fleets", "GET /api/v1/clusters");
    assertThat(cli.out().lines().toList())
        .containsExactly(
            "CLUSTER        FLEET    TENANT   loki     tempo",
            "foundation     homelab  t-found  HEALTHY  DEGRADED",
            "cryptellation  homelab  t-crypt  ?        -",
            "perso          homelab  t-perso  -        -");
  }

  @Test
  void aComponentNameTwoStacksShareGetsAColumnPerStack() {
    planner
        .on("GET", "/fleets", 200, "{\"fleets\":[]}")
        .on(
            "GET",
            "/clusters",
            200,
            """
            {"clusters":[{"name":"edge","fleet":null,"tenant":null,"components":[
              {"stack":"lgtm","component":"alloy","health":"HEALTHY"},
              {"stack":"profiling","component":"alloy","health":"MISSING"}]}]}""");

    Cli cli = Cli.run("fleet", "ls", "--server", planner.url());

    assertThat(cli.out().lines().toList())
        .containsExactly(
            "CLUSTER  FLEET  TENANT  lgtm/alloy  profiling/alloy",
            "edge     -      -       HEALTHY     MISSING");
  }

  @Test
  void lsAsJsonHasBothAnswers() throws Exception {
    planner.on("GET", "/fleets", 200, FLEETS).on("GET", "/clusters", 200, CLUSTERS);

    Cli cli = Cli.run("fleet", "ls", "-o", "json", "--server", planner.url());

    JsonNode json = new ObjectMapper().readTree(cli.out());
    assertThat(json.path("fleets").get(0).path("name").asText()).isEqualTo("homelab");
    assertThat(json.path("clusters").get(0).path("components").get(1).path("health").asText())
        .isEqualTo("DEGRADED");
  }

  @Test
  void applyPutsTheFleetDocumentOnlyAsWrittenWithTheCallersHeaders() throws Exception {
    String fleet =
        """
        apiVersion: stackpilot.io/v1alpha1
        kind: Fleet
        metadata:
          name: homelab   # the three home clusters
        spec:
          clusters:
            - name: foundation
              context: foundation
        """;
    Path file = dir.resolve("stack-and-fleet.yaml");
    Files.writeString(
        file,
        "apiVersion: stackpilot.io/v1alpha1\nkind: ObservabilityStack\nmetadata: {name: lgtm}\n---\n"
            + fleet);
    Path token = dir.resolve("token");
    Files.writeString(token, "s3cret");
    planner.on(
        "PUT",
        "/fleets/homelab",
        200,
        """
        {"fleet":"homelab","revision":"sha256:0123456789abcdef0123","clusters":["foundation"],"eventId":"e-1"}""");

    Cli cli =
        Cli.run(
            "fleet",
            "apply",
            "-f",
            file.toString(),
            "--reason",
            "add foundation",
            "--token-file",
            token.toString(),
            "--server",
            planner.url());

    assertThat(cli.code()).as(cli.all()).isZero();
    FakePlanner.Request sent = planner.only();
    assertThat(sent.target()).isEqualTo("PUT /api/v1/fleets/homelab");
    assertThat(sent.header("Content-Type")).isEqualTo("application/yaml");
    assertThat(sent.header("Authorization")).isEqualTo("Bearer s3cret");
    assertThat(sent.header("Stackpilot-Reason")).isEqualTo("add foundation");
    assertThat(sent.body()).isEqualTo(fleet).doesNotContain("ObservabilityStack");
    assertThat(cli.out())
        .contains("fleet homelab revision sha256:0123456789ab: foundation (event e-1)");
  }

  @Test
  void aFleetThePlannerRefusesPrintsItsViolationsAndIsInvalid() throws Exception {
    Path file = dir.resolve("fleet.yaml");
    Files.writeString(file, "kind: Fleet\nmetadata:\n  name: homelab\nspec: {clusters: []}\n");
    planner.on(
        "PUT",
        "/fleets/homelab",
        400,
        """
        {"title":"invalid stack or fleet","status":400,"detail":"1 violation",
         "violations":[{"field":"fleet.spec.clusters","message":"must not be empty"}]}""");

    Cli cli = Cli.run("fleet", "apply", "-f", file.toString(), "--server", planner.url());

    assertThat(cli.code()).isEqualTo(ExitCode.INVALID);
    assertThat(cli.out())
        .contains("refused (HTTP 400): 1 violation")
        .contains("fleet.spec.clusters: must not be empty");
  }

  @Test
  void aFileWithoutAFleetIsInvalidAndNothingIsSent() throws Exception {
    Path file = dir.resolve("stack.yaml");
    Files.writeString(file, "kind: ObservabilityStack\nmetadata: {name: lgtm}\n");

    Cli cli = Cli.run("fleet", "apply", "-f", file.toString(), "--server", planner.url());

    assertThat(cli.code()).isEqualTo(ExitCode.INVALID);
    assertThat(cli.out()).contains("no Fleet document");
    assertThat(planner.requests()).isEmpty();
  }
}
