package io.stackpilot.stackctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code rollout status} and {@code rollout ls} against a double of the planner's contract. */
class RolloutStatusCommandTest {
  private FakePlanner planner;

  @BeforeEach
  void start() throws Exception {
    planner = new FakePlanner();
  }

  @AfterEach
  void stop() {
    planner.close();
  }

  @Test
  void aCompletedRolloutPrintsPhaseProgressAndWavesAndExitsZero() {
    planner.on("GET", "/rollouts/r-1", 200, Contract.completed("r-1"));

    Cli cli = Cli.run("rollout", "status", "r-1", "--server", planner.url());

    assertThat(cli.code()).as(cli.all()).isZero();
    assertThat(planner.only().target()).isEqualTo("GET /api/v1/rollouts/r-1");
    assertThat(cli.out())
        .contains("rollout   r-1")
        .contains("phase     COMPLETED")
        .contains("reason    all 3 waves promoted")
        .contains(
            "progress  waves 3/3 promoted; steps 6/6 applied, 6 requested, 6 healthy, 0 failed")
        .contains("WAVE  NAME     STATE     CLUSTERS")
        .contains("0     canary   PROMOTED  foundation")
        .contains("1     batch-1  PROMOTED  cryptellation, perso")
        .doesNotContain("failed or timed-out");
  }

  @Test
  void aHaltedRolloutListsItsFailedAndTimedOutStepsWithTheirDetailAndExitsFour() {
    planner.on("GET", "/rollouts/r-2", 200, Contract.halted("r-2"));

    Cli cli = Cli.run("rollout", "status", "r-2", "--server", planner.url());

    assertThat(cli.code()).as(cli.all()).isEqualTo(ExitCode.FAILED);
    assertThat(cli.out())
        .contains("phase     HALTED")
        .contains("1     batch-1  FAILED    cryptellation, perso")
        .contains("2     batch-2  PENDING   edge")
        .contains("2 failed or timed-out steps:")
        .containsPattern(
            "1 +cryptellation +loki +UPGRADE +APPLY +FAILED +CrdMissing: no kind ServiceMonitor")
        .containsPattern("1 +perso +tempo +INSTALL +APPLY +TIMED_OUT +not healthy within 600s");
    // healthy and pending steps are not listed
    assertThat(cli.out().lines().filter(l -> l.contains("RECONFIGURE"))).isEmpty();
  }

  @Test
  void everyNonTerminalPhaseIsInProgressWithoutWait() {
    for (String phase : new String[] {"PROGRESSING", "GATING", "PAUSED", "ROLLING_BACK"}) {
      planner.on("GET", "/rollouts/r-" + phase, 200, Contract.inPhase("r-" + phase, phase, 1));
      Cli cli = Cli.run("rollout", "status", "r-" + phase, "--server", planner.url());
      assertThat(cli.code()).as(phase + ": " + cli.all()).isEqualTo(ExitCode.IN_PROGRESS);
      assertThat(cli.out()).contains("phase     " + phase);
    }
    for (String phase : new String[] {"ROLLED_BACK", "ABORTED", "REJECTED"}) {
      planner.on("GET", "/rollouts/r-" + phase, 200, Contract.inPhase("r-" + phase, phase, 1));
      Cli cli = Cli.run("rollout", "status", "r-" + phase, "--server", planner.url());
      assertThat(cli.code()).as(phase + ": " + cli.all()).isEqualTo(ExitCode.FAILED);
    }
  }

  @Test
  void jsonOutputIsThePlannersAnswerAsItCame() throws Exception {
    String body = Contract.halted("r-3");
    planner.on("GET", "/rollouts/r-3", 200, body);

    Cli cli = Cli.run("rollout", "status", "r-3", "-o", "json", "--server", planner.url());

    assertThat(cli.code()).isEqualTo(ExitCode.FAILED);
    assertThat(cli.out().strip()).isEqualTo(body.strip());
    assertThat(new ObjectMapper().readTree(cli.out()).path("phase").asText()).isEqualTo("HALTED");
  }

  @Test
  void anUnknownRolloutIsNotFound() {
    Cli cli = Cli.run("rollout", "status", "nope", "--server", planner.url());

    assertThat(cli.code()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(cli.err()).contains("rollout nope not found");
    assertThat(planner.only().target()).isEqualTo("GET /api/v1/rollouts/nope");
  }

  @Test
  void waitAsksAgainUntilTheRolloutEndsAndShowsEachMove() {
    planner
        .on("GET", "/rollouts/r-4", 200, Contract.inPhase("r-4", "PROGRESSING", 0))
        .on("GET", "/rollouts/r-4", 200, Contract.inPhase("r-4", "PROGRESSING", 0))
        .on("GET", "/rollouts/r-4", 200, Contract.inPhase("r-4", "GATING", 1))
        .on("GET", "/rollouts/r-4", 200, Contract.completed("r-4"));

    Cli cli =
        Cli.run(
            "rollout", "status", "r-4", "--wait", "--interval", "10ms", "--server", planner.url());

    assertThat(cli.code()).as(cli.all()).isZero();
    assertThat(planner.requests()).hasSize(4);
    // one line per move, not per poll; then the final status
    assertThat(cli.out().lines().filter(l -> l.startsWith("rollout r-4  lgtm  ")).toList())
        .containsExactly(
            "rollout r-4  lgtm  PROGRESSING  waves 0/3 promoted; steps 0/6 applied, 0 requested,"
                + " 0 healthy, 0 failed",
            "rollout r-4  lgtm  GATING  waves 1/3 promoted; steps 2/6 applied, 2 requested,"
                + " 2 healthy, 0 failed");
    assertThat(cli.out()).contains("phase     COMPLETED");
  }

  @Test
  void waitEndsWithTheTerminalPhasesCode() {
    planner
        .on("GET", "/rollouts/r-5", 200, Contract.inPhase("r-5", "ROLLING_BACK", 1))
        .on("GET", "/rollouts/r-5", 200, Contract.halted("r-5"));

    Cli cli =
        Cli.run(
            "rollout", "status", "r-5", "--wait", "--interval", "10ms", "--server", planner.url());

    assertThat(cli.code()).isEqualTo(ExitCode.FAILED);
  }

  @Test
  void waitTimesOutWithTheLastStatus() {
    planner.on("GET", "/rollouts/r-6", 200, Contract.inPhase("r-6", "PAUSED", 1));

    Cli cli =
        Cli.run(
            "rollout",
            "status",
            "r-6",
            "--wait",
            "--timeout",
            "150ms",
            "--interval",
            "20ms",
            "--server",
            planner.url());

    assertThat(cli.code()).isEqualTo(ExitCode.TIMEOUT);
    assertThat(cli.err()).contains("timed out after PT0.15S: rollout r-6 still PAUSED");
    assertThat(cli.out()).contains("phase     PAUSED");
    // asks at the interval: no busy loop
    assertThat(planner.requests().size()).isBetween(1, 10);
  }

  @Test
  void waitToleratesAMomentaryNotFoundOfAJustAcceptedRollout() {
    planner
        .on("GET", "/rollouts/r-7", 404, Contract.problem(404, "Not Found", "no rollout r-7"))
        .on("GET", "/rollouts/r-7", 200, Contract.completed("r-7"));

    Cli cli =
        Cli.run(
            "rollout", "status", "r-7", "--wait", "--interval", "10ms", "--server", planner.url());

    assertThat(cli.code()).as(cli.all()).isZero();
    assertThat(planner.requests()).hasSize(2);
  }

  @Test
  void waitReportsNotFoundWhenTheRolloutNeverAppears() {
    Cli cli =
        Cli.run(
            "rollout",
            "status",
            "nope",
            "--wait",
            "--timeout",
            "100ms",
            "--interval",
            "20ms",
            "--server",
            planner.url());

    assertThat(cli.code()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(cli.err()).contains("rollout nope not found");
  }

  @Test
  void anUnreachablePlannerIsTen() {
    String url = planner.url();
    planner.close();

    Cli cli = Cli.run("rollout", "status", "r-1", "--server", url);

    assertThat(cli.code()).isEqualTo(ExitCode.UNREACHABLE);
    assertThat(cli.err()).contains("planner unreachable at " + url);
  }

  @Test
  void lsListsRolloutsNewestFirstAndFiltersByStack() {
    planner.on(
        "GET",
        "/rollouts",
        200,
        """
        {"rollouts":[
          {"rolloutId":"r-9","stack":"lgtm","phase":"PROGRESSING","progress":%s,"updatedAt":"2026-11-21T11:00:00Z"},
          {"rolloutId":"r-8","stack":"lgtm","phase":"HALTED","progress":%s,"updatedAt":"2026-11-21T10:00:00Z"}]}"""
            .formatted(Contract.progress(1, 2, 2, 0), Contract.progress(1, 3, 3, 2)));

    Cli cli = Cli.run("rollout", "ls", "--stack", "lgtm", "--server", planner.url());

    assertThat(cli.code()).as(cli.all()).isZero();
    assertThat(planner.only().target()).isEqualTo("GET /api/v1/rollouts?stack=lgtm");
    assertThat(cli.out().lines().toList())
        .containsExactly(
            "ROLLOUT  STACK  PHASE        WAVES  APPLIED  FAILED  UPDATED",
            "r-9      lgtm   PROGRESSING  1/3    2/6      0       2026-11-21T11:00:00Z",
            "r-8      lgtm   HALTED       1/3    3/6      2       2026-11-21T10:00:00Z");
  }

  @Test
  void lsWithoutStackAsksForEveryRollout() {
    planner.on("GET", "/rollouts", 200, "{\"rollouts\":[]}");

    Cli cli = Cli.run("rollout", "ls", "--server", planner.url());

    assertThat(cli.code()).isZero();
    assertThat(planner.only().target()).isEqualTo("GET /api/v1/rollouts");
    assertThat(cli.out()).isEqualToIgnoringNewLines("no rollouts");
  }
}
