package io.stackpilot.notifier.routing;

import static io.stackpilot.notifier.routing.Configs.labels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Matchers and durations behave as Alertmanager's pkg/labels and Prometheus' model do. */
class LabelMatcherTest {

  @Test
  void regexesAreAnchoredAtBothEnds() {
    LabelMatcher m = LabelMatcher.parse("service=~\"mysql|cassandra\"");
    assertThat(m.matches(labels("service", "mysql"))).isTrue();
    assertThat(m.matches(labels("service", "cassandra"))).isTrue();
    assertThat(m.matches(labels("service", "mysql-replica"))).isFalse();
    assertThat(m.matches(labels("service", "my-mysql"))).isFalse();
  }

  @Test
  void anAbsentLabelIsTheEmptyString() {
    assertThat(LabelMatcher.parse("env!=\"prod\"").matches(labels())).isTrue();
    assertThat(LabelMatcher.parse("env=\"\"").matches(labels())).isTrue();
    assertThat(LabelMatcher.parse("env=~\".*\"").matches(labels())).isTrue();
    assertThat(LabelMatcher.parse("env!~\".+\"").matches(labels())).isTrue();
    assertThat(LabelMatcher.parse("env=~\".+\"").matches(labels())).isFalse();
  }

  @Test
  void parsesTheFormsAlertmanagerAccepts() {
    assertThat(LabelMatcher.parse("{owner=\"team-A\"}").toString()).isEqualTo("owner=\"team-A\"");
    assertThat(LabelMatcher.parse("alertname = Watchdog").toString())
        .isEqualTo("alertname=\"Watchdog\"");
    assertThat(LabelMatcher.parse("baz!~\".*quux\"").type()).isEqualTo(LabelMatcher.Type.NOT_REGEX);
    assertThat(LabelMatcher.parse("msg=\"say \\\"hi\\\"\"").value()).isEqualTo("say \"hi\"");
  }

  @Test
  void refusesUnknownOperatorsAndBadRegexes() {
    assertThatThrownBy(() -> LabelMatcher.parse("severity=>critical"))
        .hasMessage("unknown operator '=>'");
    assertThatThrownBy(() -> LabelMatcher.parse("alertname=~\"Kube(Pod\""))
        .hasMessageStartingWith("invalid regular expression 'Kube(Pod'");
    assertThatThrownBy(() -> LabelMatcher.parse("=\"x\"")).hasMessageContaining("label name");
  }

  @Test
  void durationsArePrometheusDurations() {
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(Durations.parse("1w")).isEqualTo(Duration.ofDays(7));
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("0")).isZero();
    assertThatThrownBy(() -> Durations.parse("30")).hasMessageContaining("not a valid duration");
    assertThatThrownBy(() -> Durations.parse("30m1h")).hasMessageContaining("not a valid duration");
  }
}
