package io.stackpilot.notifier.routing;

import static io.stackpilot.notifier.routing.Configs.labels;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Alertmanager's own routing cases (dispatch/route_test.go: TestRouteMatch, TestRouteMatchers,
 * TestInheritParentGroupByAll), with the same inputs, options and route keys.
 */
class RouteMatchTest {

  private static final String RECEIVERS =
      """
      receivers:
        - name: notify-def
        - name: notify-A
        - name: notify-testing
        - name: notify-productionA
        - name: notify-productionB
        - name: notify-BC
      """;

  // TestRouteMatch's tree, with the deprecated match / match_re.
  private static final String MATCH_TREE =
      """
      route:
        receiver: 'notify-def'
        routes:
        - match:
            owner: 'team-A'
          receiver: 'notify-A'
          routes:
          - match:
              env: 'testing'
            receiver: 'notify-testing'
            group_by: [...]
          - match:
              env: "production"
            receiver: 'notify-productionA'
            group_wait: 1m
            continue: true
          - match_re:
              env: "produ.*"
              job: ".*"
            receiver: 'notify-productionB'
            group_wait: 30s
            group_interval: 5m
            repeat_interval: 1h
            group_by: ['job']
        - match_re:
            owner: 'team-(B|C)'
          group_by: ['foo', 'bar']
          group_wait: 2m
          receiver: 'notify-BC'
        - match:
            group_by: 'role'
          group_by: ['role']
          routes:
          - match:
              env: 'testing'
            receiver: 'notify-testing'
            routes:
            - match:
                wait: 'long'
              group_wait: 2m
      """;

  // TestRouteMatchers' tree: the same, with matchers lists in their several spellings.
  private static final String MATCHERS_TREE =
      """
      route:
        receiver: 'notify-def'
        routes:
        - matchers: ['{owner="team-A"}', '{level!="critical"}']
          receiver: 'notify-A'
          routes:
          - matchers: ['{env="testing"}', '{baz!~".*quux"}']
            receiver: 'notify-testing'
            group_by: [...]
          - matchers: ['{env="production"}']
            receiver: 'notify-productionA'
            group_wait: 1m
            continue: true
          - matchers: [ env=~"produ.*", job=~".*"]
            receiver: 'notify-productionB'
            group_wait: 30s
            group_interval: 5m
            repeat_interval: 1h
            group_by: ['job']
        - matchers: [owner=~"team-(B|C)"]
          group_by: ['foo', 'bar']
          group_wait: 2m
          receiver: 'notify-BC'
        - matchers: [group_by="role"]
          group_by: ['role']
          routes:
          - matchers: ['{env="testing"}']
            receiver: 'notify-testing'
            routes:
            - matchers: [wait="long"]
              group_wait: 2m
      """;

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration INTERVAL = Duration.ofMinutes(5);
  private static final Duration REPEAT = Duration.ofHours(4);

  /** Expected options and key of one matched route. */
  record Expect(
      String receiver,
      Set<String> groupBy,
      boolean all,
      Duration groupWait,
      Duration interval,
      Duration repeat,
      String key) {}

  private static Expect def(String receiver, String key) {
    return new Expect(receiver, Set.of(), false, WAIT, INTERVAL, REPEAT, key);
  }

  private static void assertRoutes(Route tree, Map<String, String> alert, Expect... expected) {
    List<Route> matched = tree.match(alert);
    assertThat(matched).as("routes for %s", alert).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      Route r = matched.get(i);
      Expect e = expected[i];
      assertThat(
              new Expect(
                  r.receiver(),
                  r.groupBy(),
                  r.groupByAll(),
                  r.groupWait(),
                  r.groupInterval(),
                  r.repeatInterval(),
                  r.key()))
          .as("route %d for %s", i, alert)
          .isEqualTo(e);
    }
  }

  @Test
  void testRouteMatchWithMatchAndMatchRe() {
    Route tree = RoutingConfigLoader.load(MATCH_TREE + RECEIVERS).route();
    assertRoutes(tree, labels("owner", "team-A"), def("notify-A", "{}/{owner=\"team-A\"}"));
    assertRoutes(
        tree, labels("owner", "team-A", "env", "unset"), def("notify-A", "{}/{owner=\"team-A\"}"));
    assertRoutes(
        tree,
        labels("owner", "team-C"),
        new Expect(
            "notify-BC",
            Set.of("foo", "bar"),
            false,
            Duration.ofMinutes(2),
            INTERVAL,
            REPEAT,
            "{}/{owner=~\"^(?:team-(B|C))$\"}"));
    assertRoutes(
        tree,
        labels("owner", "team-A", "env", "testing"),
        new Expect(
            "notify-testing",
            Set.of(),
            true,
            WAIT,
            INTERVAL,
            REPEAT,
            "{}/{owner=\"team-A\"}/{env=\"testing\"}"));
    assertRoutes(
        tree,
        labels("owner", "team-A", "env", "production"),
        new Expect(
            "notify-productionA",
            Set.of(),
            false,
            Duration.ofMinutes(1),
            INTERVAL,
            REPEAT,
            "{}/{owner=\"team-A\"}/{env=\"production\"}"),
        new Expect(
            "notify-productionB",
            Set.of("job"),
            false,
            WAIT,
            INTERVAL,
            Duration.ofHours(1),
            "{}/{owner=\"team-A\"}/{env=~\"^(?:produ.*)$\",job=~\"^(?:.*)$\"}"));
    assertGroupByRoleCases(tree);
  }

  @Test
  void testRouteMatchersWithMatchersLists() {
    Route tree = RoutingConfigLoader.load(MATCHERS_TREE + RECEIVERS).route();
    String a = "{}/{level!=\"critical\",owner=\"team-A\"}";
    assertRoutes(tree, labels("owner", "team-A"), def("notify-A", a));
    assertRoutes(tree, labels("owner", "team-A", "env", "unset"), def("notify-A", a));
    assertRoutes(
        tree,
        labels("owner", "team-C"),
        new Expect(
            "notify-BC",
            Set.of("foo", "bar"),
            false,
            Duration.ofMinutes(2),
            INTERVAL,
            REPEAT,
            "{}/{owner=~\"team-(B|C)\"}"));
    assertRoutes(
        tree,
        labels("owner", "team-A", "env", "testing"),
        new Expect(
            "notify-testing",
            Set.of(),
            true,
            WAIT,
            INTERVAL,
            REPEAT,
            a + "/{baz!~\".*quux\",env=\"testing\"}"));
    assertRoutes(
        tree,
        labels("owner", "team-A", "env", "production"),
        new Expect(
            "notify-productionA",
            Set.of(),
            false,
            Duration.ofMinutes(1),
            INTERVAL,
            REPEAT,
            a + "/{env=\"production\"}"),
        new Expect(
            "notify-productionB",
            Set.of("job"),
            false,
            WAIT,
            INTERVAL,
            Duration.ofHours(1),
            a + "/{env=~\"produ.*\",job=~\".*\"}"));
    // level=critical fails team A's `level!="critical"`, so the alert stays at the root.
    assertRoutes(tree, labels("owner", "team-A", "level", "critical"), def("notify-def", "{}"));
    assertGroupByRoleCases(tree);
  }

  private static void assertGroupByRoleCases(Route tree) {
    Expect role = def("notify-def", "{}/{group_by=\"role\"}");
    assertRoutes(
        tree,
        labels("group_by", "role"),
        new Expect(role.receiver(), Set.of("role"), false, WAIT, INTERVAL, REPEAT, role.key()));
    assertRoutes(
        tree,
        labels("env", "testing", "group_by", "role"),
        new Expect(
            "notify-testing",
            Set.of("role"),
            false,
            WAIT,
            INTERVAL,
            REPEAT,
            "{}/{group_by=\"role\"}/{env=\"testing\"}"));
    assertRoutes(
        tree,
        labels("env", "testing", "group_by", "role", "wait", "long"),
        new Expect(
            "notify-testing",
            Set.of("role"),
            false,
            Duration.ofMinutes(2),
            INTERVAL,
            REPEAT,
            "{}/{group_by=\"role\"}/{env=\"testing\"}/{wait=\"long\"}"));
  }

  @Test
  void testInheritParentGroupByAll() {
    Route tree =
        RoutingConfigLoader.load(
                """
                route:
                  receiver: r
                  routes:
                  - match:
                      env: 'parent'
                    group_by: ['...']
                    routes:
                    - match:
                        env: 'child1'
                    - match:
                        env: 'child2'
                      group_by: ['foo']
                receivers: [{name: r}]
                """)
            .route();
    Route parent = tree.routes().get(0);
    assertThat(parent.groupByAll()).isTrue();
    assertThat(parent.routes().get(0).groupByAll()).isTrue();
    assertThat(parent.routes().get(1).groupByAll()).isFalse();
  }

  @Test
  void groupKeysUseTheGroupByLabelsTheAlertHasOrAllOfThem() {
    Route tree = RoutingConfigLoader.load(MATCH_TREE + RECEIVERS).route();
    Map<String, String> alert = labels("owner", "team-C", "foo", "1", "zzz", "x");
    assertThat(tree.match(alert).get(0).groupKey(alert))
        .isEqualTo("{}/{owner=~\"^(?:team-(B|C))$\"}:{foo=\"1\"}");
    Map<String, String> all = labels("owner", "team-A", "env", "testing", "a", "b");
    assertThat(tree.match(all).get(0).groupKey(all))
        .isEqualTo(
            "{}/{owner=\"team-A\"}/{env=\"testing\"}:{a=\"b\", env=\"testing\", owner=\"team-A\"}");
  }
}
