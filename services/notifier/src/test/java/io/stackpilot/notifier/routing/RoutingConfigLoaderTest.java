package io.stackpilot.notifier.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A bad routing file is refused whole, with every violation at the path of its field. */
class RoutingConfigLoaderTest {

  @Test
  void aBadFileIsRefusedWithEveryFieldPath() {
    InvalidRoutingConfigException e =
        catchThrowableOfType(() -> Configs.load("bad.yaml"), InvalidRoutingConfigException.class);
    assertThat(e).isNotNull();
    List<String> v = e.violations();
    assertThat(v)
        .contains(
            "route.group_wait: not a valid duration string: '30 seconds'",
            "route.routes[1].matchers[0]: unknown operator '=>'",
            "route.routes[1].group_by: cannot have wildcard group_by ('...') and other labels at"
                + " the same time",
            "route.routes[1].repeat_interval: repeat_interval cannot be zero",
            "route.routes[1].contine: unknown field",
            "receivers: 'pushover' used at route.routes[0].receiver is not defined",
            "time_intervals: 'quiet-hours' used at route.routes[1].mute_time_intervals[0] is not"
                + " defined",
            "receivers[1].name: receiver 'default' is defined more than once",
            "time_intervals[0].time_intervals[0].weekdays[0]: start 'friday' is after end"
                + " 'monday'",
            "time_intervals[0].time_intervals[0].days_of_month[0]: 0 is not a valid day of the"
                + " month: out of range",
            "time_intervals[0].time_intervals[0].location: unknown time zone 'Mars/Olympus'");
    assertThat(v)
        .anySatisfy(
            s ->
                assertThat(s)
                    .startsWith(
                        "route.routes[1].matchers[1]: invalid regular expression 'Kube(Pod'"));
    assertThat(v)
        .anySatisfy(
            s ->
                assertThat(s)
                    .startsWith(
                        "inhibit_rules[0].target_matchers[0]: invalid regular expression '(warn'"));
    assertThat(v)
        .anySatisfy(
            s ->
                assertThat(s)
                    .startsWith(
                        "time_intervals[0].time_intervals[0].times[0].start_time: invalid"));
    assertThat(v).hasSize(14);
    assertThat(e).hasMessageContaining("14 violations");
  }

  @Test
  void theRootRouteFollowsAlertmanagersRules() {
    assertThatThrownBy(
            () ->
                RoutingConfigLoader.load(
                    """
                    route:
                      matchers: [a="b"]
                      continue: true
                    receivers: []
                    """))
        .isInstanceOfSatisfying(
            InvalidRoutingConfigException.class,
            e ->
                assertThat(e.violations())
                    .containsExactlyInAnyOrder(
                        "route.receiver: root route must specify a default receiver",
                        "route.matchers: root route must not have any matchers",
                        "route.continue: cannot have continue in root route"));
    assertThatThrownBy(() -> RoutingConfigLoader.load("receivers: [{name: a}]\n"))
        .hasMessageContaining("route: missing");
    assertThatThrownBy(() -> RoutingConfigLoader.load("route: [unclosed"))
        .isInstanceOf(InvalidRoutingConfigException.class)
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void loadsTheDocsExampleAndSeed002WithReceiverSettingsKept() {
    RoutingConfig docs = Configs.load("alertmanager-docs-example.yaml");
    assertThat(docs.route().routes()).hasSize(4);
    assertThat(docs.timeIntervals()).containsOnlyKeys("offhours", "holidays");
    RoutingConfig seed = Configs.load("seed-002.yaml");
    assertThat(seed.receivers()).containsOnlyKeys("null", "pushover-critical", "pushover-warning");
    assertThat(seed.receivers().get("pushover-critical").settings().toString())
        .contains("priority=1");
    assertThat(seed.inhibitRules()).hasSize(1);
  }
}
