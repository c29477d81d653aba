package io.stackpilot.stackctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apply} and {@code plan}: the diff, "no changes", an active rollout, a registered fleet.
 */
class ApplyCommandTest {
  private static final String STACK = "kind: ObservabilityStack\nmetadata: {name: lgtm}\n";

  private static final String DIFF =
      """
      [{"cluster":"foundation","component":"loki","change":"UPGRADE","fromDigest":"sha256:1111111111111111aaaa","toDigest":"sha256:2222222222222222bbbb","fromVersion":"6.1.0","toVersion":"6.2.0"},
       {"cluster":"perso","component":"pyroscope","change":"INSTALL","fromDigest":null,"toDigest":"sha256:3333333333333333cccc","fromVersion":null,"toVersion":"1.9.0"}]""";

  private FakePlanner planner;
  private Path stack;
  private Path token;

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    planner = new FakePlanner();
    stack = dir.resolve("stack.yaml");
    Files.writeString(stack, STACK);
    token = dir.resolve("token");
    Files.writeString(token, "s3cret");
  }

  @AfterEach
  void stop() {
    planner.close();
  }

  @Test
  void applyPrintsWhatChangesPerClusterAndComponent() {
    planner.on("POST", "/rollouts", 202, accepted("r-1", false, DIFF));

    Cli cli = apply();

    assertThat(cli.code()).as(cli.all()).isZero();
    FakePlanner.Request sent = planner.only();
    assertThat(sent.target()).isEqualTo("POST /api/v1/rollouts?dryRun=false");
    assertThat(sent.body()).isEqualTo(STACK);
    assertThat(sent.header("Authorization")).isEqualTo("Bearer s3cret");
    assertThat(sent.header("Stackpilot-Reason")).isEqualTo("add pyroscope");
    assertThat(cli.out().lines().toList())
        .contains(
            "lgtm: 2 steps on 2 clusters, 1 waves",
            "  changes:",
            "     UPGRADE  foundation/loki  6.1.0 -> 6.2.0  (sha256:111111111111 -> sha256:222222222222)",
            "     INSTALL  perso/pyroscope  none -> 1.9.0   (none -> sha256:333333333333)",
            "rollout r-1");
  }

  @Test
  void anUnchangedStackIsNoChangesAndStartsNothing() {
    planner.on("POST", "/rollouts", 200, accepted(null, true, "[]"));

    // --watch would need a broker: an unchanged stack must not start watching
    Cli cli = Cli.run(args("--watch", "--bootstrap", "127.0.0.1:1", "--timeout", "1ms"));

    assertThat(cli.code()).as(cli.all()).isZero();
    assertThat(cli.out()).contains("lgtm: no changes").doesNotContain("rollout ");
  }

  @Test
  void anActiveRolloutOfTheStackIsAConflictNamingIt() {
    planner.on(
        "POST",
        "/rollouts",
        409,
        """
        {"title":"Conflict","status":409,"detail":"rollout r-0 of stack lgtm is still PROGRESSING","rolloutId":"r-0"}""");

    Cli cli = apply();

    assertThat(cli.code()).isEqualTo(ExitCode.CONFLICT);
    assertThat(cli.out())
        .contains("refused (HTTP 409): rollout r-0 of stack lgtm is still PROGRESSING")
        .contains("active rollout: r-0 (stackctl rollout status r-0)");
  }

  @Test
  void fleetNamesARegisteredFleet() {
    planner.on("POST", "/rollouts", 202, accepted("r-2", false, DIFF));

    Cli cli = Cli.run(args("--fleet", "home lab", "--override", "TEMPO-STORAGE-TRACE"));

    assertThat(cli.code()).as(cli.all()).isZero();
    assertThat(planner.only().target())
        .isEqualTo(
            "POST /api/v1/rollouts?dryRun=false&override=TEMPO-STORAGE-TRACE&fleet=home+lab");
  }

  @Test
  void planShowsTheDiffTooAndNeedsNoToken() {
    planner.on("POST", "/rollouts", 200, accepted(null, false, DIFF));

    Cli cli =
        Cli.run("plan", "-f", stack.toString(), "--fleet", "homelab", "--server", planner.url());

    assertThat(cli.code()).as(cli.all()).isZero();
    FakePlanner.Request sent = planner.only();
    assertThat(sent.target()).isEqualTo("POST /api/v1/rollouts?dryRun=true&fleet=homelab");
    assertThat(sent.header("Authorization")).isNull();
    assertThat(cli.out()).contains("UPGRADE  foundation/loki");
  }

  @Test
  void aMissingFileIsAUsageErrorNotAnUnreachablePlanner() {
    Cli cli =
        Cli.run(
            "apply", "-f", stack.resolveSibling("nope.yaml").toString(), "--server", planner.url());

    assertThat(cli.code()).isEqualTo(ExitCode.USAGE);
    assertThat(cli.err()).contains("cannot read");
    assertThat(planner.requests()).isEmpty();
  }

  private Cli apply() {
    return Cli.run(args());
  }

  private String[] args(String... more) {
    String[] base = {
      "apply",
      "-f",
      stack.toString(),
      "--reason",
      "add pyroscope",
      "--token-file",
      token.toString(),
      "--server",
      planner.url()
    };
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  private static String accepted(String rolloutId, boolean unchanged, String diff) {
    return """
        {"rolloutId":%s,"eventId":%s,"stack":"lgtm","components":["loki","pyroscope"],
         "clusters":["foundation","perso"],"steps":2,"specRevision":"sha256:feed","dryRun":%s,
         "waves":[{"index":0,"name":"canary","clusters":["foundation","perso"],"soakSeconds":0}],
         "plan":[],"findings":[],"unchanged":%s,"diff":%s}"""
        .formatted(
            rolloutId == null ? "null" : "\"" + rolloutId + "\"",
            rolloutId == null ? "null" : "\"e-1\"",
            rolloutId == null,
            unchanged,
            diff);
  }
}
