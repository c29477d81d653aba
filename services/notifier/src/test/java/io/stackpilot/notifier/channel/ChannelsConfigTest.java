package io.stackpilot.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackpilot.notifier.routing.InvalidRoutingConfigException;
import io.stackpilot.notifier.routing.Receiver;
import io.stackpilot.notifier.routing.RoutingConfig;
import io.stackpilot.notifier.routing.RoutingConfigLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Channel settings are validated with the field path of each problem, all at once. */
class ChannelsConfigTest {

  static final String PUSHOVER_CREDENTIALS =
      "  token: {secretRef: {name: pushover, key: token}}\n"
          + "  user_key: {secretRef: {name: pushover, key: user}}\n";

  private static List<String> violations(String yaml) {
    try {
      Channels.validate(Fixtures.receiver(yaml), "receivers[2]");
    } catch (InvalidRoutingConfigException e) {
      return e.violations();
    }
    return List.of();
  }

  @Test
  void aValidReceiverWithEveryKindValidatesWithoutSecrets() {
    String yaml =
        "pushover_configs:\n- token_file: /etc/secrets/pushover/token\n  user_key_file: /etc/secrets/pushover/user\n"
            + "ntfy_configs:\n- url: https://ntfy.sh/alerts\n  token: {secretRef: {name: ntfy, key: token}}\n"
            + "webhook_configs:\n- url: http://hooks.internal/in\n  max_alerts: 10\n"
            + "slack_configs:\n- api_url: {secretRef: {name: slack, key: url}}\n"
            + "alertmanager_configs:\n- url: http://alertmanager:9093\n"
            + "email_configs:\n- to: a@example.org\n  from: b@example.org\n  smarthost: smtp.example.org:587\n";
    assertThatCode(() -> Channels.validate(Fixtures.receiver(yaml), "receivers[0]"))
        .doesNotThrowAnyException();
  }

  @Test
  void pushoverPriorityOutOfRange() {
    assertThat(violations("pushover_configs:\n-\n" + PUSHOVER_CREDENTIALS + "  priority: 3\n"))
        .containsExactly("receivers[2].pushover_configs[0].priority: must be between -2 and 2");
  }

  @Test
  void pushoverEmergencyNeedsRetryOfAtLeast30sAndExpireOfAtMost3h() {
    assertThat(
            violations(
                "pushover_configs:\n-\n"
                    + PUSHOVER_CREDENTIALS
                    + "  priority: 2\n  retry: 10s\n  expire: 4h\n"))
        .containsExactly(
            "receivers[2].pushover_configs[0].retry: must be at least 30s for emergency priority 2",
            "receivers[2].pushover_configs[0].expire: must be between 1s and 10800s (3h) for emergency priority 2");
    assertThat(
            violations(
                "pushover_configs:\n-\n"
                    + PUSHOVER_CREDENTIALS
                    + "  priorities: {critical: 2}\n  retry: 29s\n"))
        .containsExactly(
            "receivers[2].pushover_configs[0].retry: must be at least 30s for emergency priority 2");
    assertThat(
            violations(
                "pushover_configs:\n-\n" + PUSHOVER_CREDENTIALS + "  priorities: {critical: 5}\n"))
        .containsExactly(
            "receivers[2].pushover_configs[0].priorities.critical: must be between -2 and 2");
  }

  @Test
  void missingAndInlineCredentialsAreRefusedWithoutRepeatingTheValue() {
    List<String> v =
        violations(
            "pushover_configs:\n- token: azGDORePK8gMaC0QOYAMyEEuzJnyUi\n"
                + "- token: {secretRef: {name: pushover}}\n  user_key: {secretRef: {name: p, key: u}}\n"
                + "  token_file: /x\n");
    assertThat(v)
        .containsExactly(
            "receivers[2].pushover_configs[0].user_key: missing (or user_key_file)",
            "receivers[2].pushover_configs[0].token: must be a secret reference {secretRef: {name: ..., key: ...}}"
                + " or a token_file; credentials are never written in the configuration",
            "receivers[2].pushover_configs[1].token: set either token or token_file, not both");
    assertThat(String.join("\n", v)).doesNotContain("azGDORePK8gMaC0QOYAMyEEuzJnyUi");
    assertThat(
            violations(
                "ntfy_configs:\n- url: https://ntfy.sh/a\n  token: {secretRef: {name: ntfy}}\n"))
        .containsExactly("receivers[2].ntfy_configs[0].token.secretRef.key: missing");
  }

  @Test
  void unknownFieldsKindsAndBadValuesAreNamedByPath() {
    assertThat(
            violations(
                "ntfy_configs:\n- url: ftp://x/y\n  priority: 9\n  colour: red\n"
                    + "  actions: [{action: broadcast, label: x, url: 'https://x'}]\n"
                    + "webhook_configs:\n- max_alerts: -1\n  timeout: soon\n"
                    + "email_configs:\n- to: 'not an address@@'\n  smarthost: smtp.example.org\n"
                    + "opsgenie_configs: []\n"
                    + "teams: []\n"))
        .containsExactlyInAnyOrder(
            "receivers[2].email_configs[0].to: not an email address list: Local address contains control or whitespace",
            "receivers[2].email_configs[0].from: missing",
            "receivers[2].email_configs[0].smarthost: must be host:port, e.g. smtp.example.org:587",
            "receivers[2].ntfy_configs[0].colour: unknown field",
            "receivers[2].ntfy_configs[0].url: must be an absolute http or https URL",
            "receivers[2].ntfy_configs[0].priority: must be between 1 and 5",
            "receivers[2].ntfy_configs[0].actions[0].action: must be view or http",
            "receivers[2].opsgenie_configs: not supported by this notifier",
            "receivers[2].teams: unknown field",
            "receivers[2].webhook_configs[0].url: missing (or url_file)",
            "receivers[2].webhook_configs[0].max_alerts: must be between 0 and 2147483647",
            "receivers[2].webhook_configs[0].timeout: not a duration: 'soon'");
  }

  @Test
  void templatesAreCheckedAtLoad() {
    assertThat(
            violations(
                "slack_configs:\n- api_url_file: /x\n  title: '{{ .Staus }}'\n"
                    + "  message: '{{ range .Alerts }}{{ .Labels.pod }}'\n"))
        .containsExactly(
            "receivers[2].slack_configs[0].title: bad template: unknown field '.Staus' at offset 0",
            "receivers[2].slack_configs[0].message: bad template: missing {{end}}");
  }

  @Test
  void anUnreadableSecretIsAViolationNamedByReference() {
    assertThatThrownBy(
            () ->
                Channels.forReceiver(
                    Fixtures.receiver("pushover_configs:\n-\n" + PUSHOVER_CREDENTIALS),
                    "receivers[1]",
                    SecretSource.inMemory(Map.of("pushover", Map.of("token", "t0k3n"))),
                    Fixtures.HTTP,
                    Fixtures.CLOCK))
        .isInstanceOfSatisfying(
            InvalidRoutingConfigException.class,
            e ->
                assertThat(e.violations())
                    .containsExactly(
                        "receivers[1].pushover_configs[0].user_key: secret pushover/user is not readable"));
  }

  @Test
  void idsAreTheKeyWithoutConfigsAndTheIndex() {
    List<Channel> channels =
        Channels.forReceiver(
            Fixtures.receiver(
                "webhook_configs:\n- url: http://a/1\n- url: http://a/2\n"
                    + "alertmanager_configs:\n- url: http://am:9093\n"),
            "receivers[0]",
            SecretSource.inMemory(Map.of()),
            Fixtures.HTTP,
            Fixtures.CLOCK);
    assertThat(channels)
        .extracting(Channel::id)
        .containsExactly("alertmanager/0", "webhook/0", "webhook/1");
    assertThat(channels).extracting(Channel::receiver).containsOnly("team");
  }

  @Test
  void readsReceiversAsTheRoutingLoaderLoadsThem() {
    RoutingConfig config =
        RoutingConfigLoader.load(
            "route: {receiver: phone}\n"
                + "receivers:\n"
                + "- name: phone\n"
                + "  pushover_configs:\n"
                + "  - token: {secretRef: {name: pushover, key: token}}\n"
                + "    user_key: {secretRef: {name: pushover, key: user}}\n"
                + "    priorities: {critical: 2, warning: 0}\n");
    Receiver phone = config.receivers().get("phone");
    assertThatCode(() -> Channels.validate(phone, "receivers[0]")).doesNotThrowAnyException();
  }
}
