package io.stackpilot.stackctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rollout pause|resume|abort}: what stackctl sends, and what the answers mean. */
class RolloutControlCommandTest {
  private FakePlanner planner;
  private Path token;

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    planner = new FakePlanner();
    token = dir.resolve("token");
    Files.writeString(token, "s3cret\n");
  }

  @AfterEach
  void stop() {
    planner.close();
  }

  @Test
  void pauseSendsTheTokenActorAndReasonAndPrintsTheNewPhase() {
    planner.on(
        "POST",
        "/rollouts/r-1/pause",
        200,
        Contract.rollout(
            "r-1",
            "PAUSED",
            "maintenance window",
            Contract.progress(1, 2, 2, 0),
            new String[] {"PROMOTED", "PENDING", "PENDING"},
            new String[] {"HEALTHY", "HEALTHY", "PENDING", "PENDING", "PENDING", "PENDING"},
            "[]"));

    Cli cli =
        Cli.run(
            "rollout",
            "pause",
            "r-1",
            "--reason",
            "maintenance window",
            "--token-file",
            token.toString(),
            "--server",
            planner.url());

    assertThat(cli.code()).as(cli.all()).isZero();
    FakePlanner.Request sent = planner.only();
    assertThat(sent.target()).isEqualTo("POST /api/v1/rollouts/r-1/pause");
    assertThat(sent.header("Authorization")).isEqualTo("Bearer s3cret");
    assertThat(sent.header("Stackpilot-Actor"))
        .isEqualTo("user:" + System.getProperty("user.name"));
    assertThat(sent.header("Stackpilot-Reason")).isEqualTo("maintenance window");
    assertThat(sent.body()).isEmpty();
    assertThat(cli.out())
        .contains("rollout r-1  lgtm  PAUSED  waves 1/3 promoted")
        .contains("user:alice: maintenance window");
  }

  @Test
  void resumeAndAbortPostToTheirVerbs() {
    planner.on("POST", "/rollouts/r-1/resume", 200, Contract.inPhase("r-1", "PROGRESSING", 1));
    planner.on("POST", "/rollouts/r-1/abort", 200, Contract.inPhase("r-1", "ABORTED", 1));

    Cli resume = run("resume", "r-1");
    Cli abort = run("abort", "r-1");

    assertThat(resume.code()).as(resume.all()).isZero();
    assertThat(abort.code()).as(abort.all()).isZero();
    assertThat(planner.requests())
        .extracting(FakePlanner.Request::target)
        .containsExactly("POST /api/v1/rollouts/r-1/resume", "POST /api/v1/rollouts/r-1/abort");
    assertThat(abort.out()).contains("ABORTED");
  }

  @Test
  void aPhaseThatDoesNotAllowItIsAConflictWithThePlannersDetail() {
    planner.on(
        "POST",
        "/rollouts/r-1/resume",
        409,
        Contract.problem(
            409, "Conflict", "rollout r-1 is PROGRESSING: only a PAUSED rollout resumes"));

    Cli cli = run("resume", "r-1");

    assertThat(cli.code()).isEqualTo(ExitCode.CONFLICT);
    assertThat(cli.out())
        .contains("refused (HTTP 409): rollout r-1 is PROGRESSING: only a PAUSED rollout resumes");
  }

  @Test
  void anUnknownRolloutIsNotFound() {
    Cli cli = run("abort", "nope");

    assertThat(cli.code()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(cli.out()).contains("rollout nope not found");
  }

  @Test
  void aWrongOrMissingTokenIsUnauthorized() {
    planner.on(
        "POST",
        "/rollouts/r-1/pause",
        401,
        Contract.problem(401, "Unauthorized", "missing or wrong bearer token in Authorization"));

    Cli cli = Cli.run("rollout", "pause", "r-1", "--reason", "x", "--server", planner.url());

    assertThat(cli.code()).isEqualTo(ExitCode.UNAUTHORIZED);
    assertThat(planner.only().header("Authorization")).isNull();
    assertThat(cli.out())
        .contains("refused (HTTP 401): missing or wrong bearer token")
        .contains("--token-file");
  }

  @Test
  void aReasonIsRequiredAndNothingIsSentWithoutOne() {
    Cli cli = Cli.run("rollout", "abort", "r-1", "--server", planner.url());

    assertThat(cli.code()).isEqualTo(ExitCode.USAGE);
    assertThat(cli.err()).contains("Missing required option: '--reason=<reason>'");
    assertThat(planner.requests()).isEmpty();
  }

  @Test
  void anUnreadableTokenFileIsAUsageError() {
    Cli cli =
        Cli.run(
            "rollout",
            "pause",
            "r-1",
            "--reason",
            "x",
            "--token-file",
            token.resolveSibling("missing").toString(),
            "--server",
            planner.url());

    assertThat(cli.code()).isEqualTo(ExitCode.USAGE);
    assertThat(cli.err()).contains("cannot read --token-file");
    assertThat(planner.requests()).isEmpty();
  }

  private Cli run(String verb, String id) {
    return Cli.run(
        "rollout",
        verb,
        id,
        "--reason",
        "because",
        "--token-file",
        token.toString(),
        "--server",
        planner.url());
  }
}
