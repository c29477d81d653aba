package io.stackpilot.stackctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The exit codes scripts rely on, and the help that documents them. */
class ExitCodeTest {

  @Test
  void httpStatusesMapToTheDocumentedCodes() {
    assertThat(ExitCode.ofStatus(200)).isEqualTo(0);
    assertThat(ExitCode.ofStatus(202)).isEqualTo(0);
    assertThat(ExitCode.ofStatus(400)).isEqualTo(1);
    assertThat(ExitCode.ofStatus(415)).isEqualTo(1);
    assertThat(ExitCode.ofStatus(422)).isEqualTo(2);
    assertThat(ExitCode.ofStatus(401)).isEqualTo(3);
    assertThat(ExitCode.ofStatus(403)).isEqualTo(3);
    assertThat(ExitCode.ofStatus(409)).isEqualTo(6);
    assertThat(ExitCode.ofStatus(404)).isEqualTo(8);
    assertThat(ExitCode.ofStatus(500)).isEqualTo(10);
    assertThat(ExitCode.ofStatus(503)).isEqualTo(10);
  }

  @Test
  void phasesMapToCompletedFailedOrInProgress() {
    assertThat(ExitCode.ofPhase("COMPLETED")).isEqualTo(0);
    for (String phase : new String[] {"HALTED", "ROLLED_BACK", "ABORTED", "REJECTED"}) {
      assertThat(ExitCode.ofPhase(phase)).as(phase).isEqualTo(4);
    }
    for (String phase : new String[] {"PROGRESSING", "GATING", "PAUSED", "ROLLING_BACK", "NEW"}) {
      assertThat(ExitCode.ofPhase(phase)).as(phase).isEqualTo(7);
    }
  }

  @Test
  void theHelpListsEveryExitCode() {
    Cli cli = Cli.run("--help");

    assertThat(cli.code()).isZero();
    for (String code :
        new String[] {"0", "1", "2", "3", "4", "5", "6", "7", "8", "10", "64", "70"}) {
      assertThat(cli.out()).containsPattern("(?m)^  " + code + " +\\S");
    }
  }

  @Test
  void eachCommandsHelpListsTheCodesItCanReturn() {
    assertThat(Cli.run("rollout", "status", "--help").out())
        .containsPattern("(?m)^  7 +rollout still in progress")
        .containsPattern("(?m)^  8 +not found")
        .containsPattern("(?m)^  5 +timed out");
    assertThat(Cli.run("rollout", "pause", "--help").out())
        .containsPattern("(?m)^  6 +conflict")
        .containsPattern("(?m)^  3 +unauthorized");
    assertThat(Cli.run("apply", "--help").out())
        .containsPattern("(?m)^  6 +conflict")
        .containsPattern("(?m)^  2 +blocked");
    assertThat(Cli.run("fleet", "apply", "--help").out()).containsPattern("(?m)^  1 +invalid");
  }

  @Test
  void aBadOptionIsAUsageErrorThatNoOtherMeaningShares() {
    assertThat(Cli.run("rollout", "status").code()).isEqualTo(ExitCode.USAGE);
    assertThat(Cli.run("rollout", "status", "r-1", "-o", "yaml").code()).isEqualTo(ExitCode.USAGE);
    assertThat(Cli.run("rollout", "status", "r-1", "--timeout", "soon").code())
        .isEqualTo(ExitCode.USAGE);
  }

  @Test
  void durationsAreShortOrIso() {
    assertThat(Durations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("PT2M")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("pt2m")).isEqualTo(Duration.ofMinutes(2));
  }
}
