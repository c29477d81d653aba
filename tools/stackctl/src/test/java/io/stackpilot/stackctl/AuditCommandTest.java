package io.stackpilot.stackctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * {@code audit}'s options and failures without a broker; the audit of a real recorded run is
 * AuditE2E's.
 */
class AuditCommandTest {

  @Test
  void oneSelectorAtATime() {
    Cli cli = Cli.run("audit", "--rollout", "r-1", "--cluster", "perso");

    assertThat(cli.code()).isEqualTo(ExitCode.USAGE);
    assertThat(cli.err()).contains("choose one of --rollout, --cluster and --component");
  }

  @Test
  void aPointInTimeStateIsOneClustersAndNotHtml() {
    assertThat(Cli.run("audit", "--at", "2026-11-21T10:00:00Z").err())
        .contains("--at needs --cluster");
    Cli html = Cli.run("audit", "--cluster", "perso", "--at", "2026-11-21T10:00:00Z", "-o", "html");
    assertThat(html.code()).isEqualTo(ExitCode.USAGE);
    assertThat(html.err()).contains("table or json");
  }

  @Test
  void instantsAreIso8601() {
    Cli cli = Cli.run("audit", "--since", "yesterday");

    assertThat(cli.code()).isEqualTo(ExitCode.USAGE);
    assertThat(cli.err()).contains("'yesterday' is not an ISO-8601 instant");
  }

  @Test
  void aSandboxIdMustBeUsableInATopicName() {
    Cli cli = Cli.run("audit", "--replay", "a/b");

    assertThat(cli.code()).isEqualTo(ExitCode.USAGE);
    assertThat(cli.err()).contains("sandbox id");
  }

  @Test
  void noBrokerIsUnreachable() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }

    Cli cli =
        Cli.run(
            "audit",
            "--rollout",
            "r-1",
            "--bootstrap-servers",
            "127.0.0.1:" + port,
            "--registry-url",
            "http://127.0.0.1:" + port,
            "--timeout",
            "2s");

    assertThat(cli.code()).as(cli.all()).isEqualTo(ExitCode.UNREACHABLE);
    assertThat(cli.err()).contains("could not read the topics at 127.0.0.1:" + port);
  }

  @Test
  void theHelpListsTheSelectorsAndOutputs() {
    Cli cli = Cli.run("audit", "--help");

    assertThat(cli.code()).isZero();
    assertThat(cli.out())
        .contains("--rollout", "--cluster", "--component", "--since", "--until", "--at")
        .contains("table|json|html", "--bootstrap-servers", "--registry-url", "--replay");
  }
}
