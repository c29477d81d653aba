package io.stackpilot.notifier.routing;

import static io.stackpilot.notifier.routing.Configs.labels;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The `route` example of Alertmanager's configuration docs behaves as its comments say: database
 * services page the database pager sooner, frontend alerts group by product and environment, others
 * stay at the root, and inhouse-service continues from the muted dev pager to the on-call pager
 * that is active only off hours.
 */
class AlertmanagerDocsExampleTest {

  private static final RoutingConfig CONFIG = Configs.load("alertmanager-docs-example.yaml");
  private static final Instant WORK_HOURS = Instant.parse("2026-03-04T10:00:00Z"); // Wednesday
  private static final Instant OFF_HOURS = Instant.parse("2026-03-04T20:00:00Z");

  @Test
  void databaseServicesGoToTheDatabasePagerWithTheRootsGrouping() {
    Route r = only(labels("service", "cassandra", "cluster", "eu", "alertname", "Down"));
    assertThat(r.receiver()).isEqualTo("database-pager");
    assertThat(r.groupWait()).isEqualTo(Duration.ofSeconds(10));
    assertThat(r.groupBy()).isEqualTo(Set.of("cluster", "alertname"));
    assertThat(r.groupInterval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(r.repeatInterval()).isEqualTo(Duration.ofHours(4));
    assertThat(only(labels("service", "mysql-proxy")).receiver())
        .as("the regex is anchored")
        .isEqualTo("default-receiver");
  }

  @Test
  void frontendAlertsAreGroupedByProductAndEnvironment() {
    var alert = labels("team", "frontend", "product", "shop", "environment", "prod", "x", "y");
    Route r = only(alert);
    assertThat(r.receiver()).isEqualTo("frontend-pager");
    assertThat(r.groupKey(alert))
        .isEqualTo("{}/{team=\"frontend\"}:{environment=\"prod\", product=\"shop\"}");
  }

  @Test
  void unmatchedAlertsStayAtTheRoot() {
    assertThat(only(labels("team", "backend")).receiver()).isEqualTo("default-receiver");
  }

  @Test
  void continueSendsInhouseServiceToBothPagers() {
    assertThat(CONFIG.route().match(labels("service", "inhouse-service")))
        .extracting(Route::receiver)
        .containsExactly("dev-pager", "on-call-pager");
  }

  @Test
  void devPagerIsMutedOffHoursAndOnCallPagerActiveOnlyThen() {
    assertThat(receiversNotifiedFrom(WORK_HOURS)).containsExactly("dev-pager");
    assertThat(receiversNotifiedFrom(OFF_HOURS)).containsExactly("on-call-pager");
    // 25 December is a holiday: on call even in the morning.
    assertThat(receiversNotifiedFrom(Instant.parse("2026-12-25T10:00:00Z")))
        .containsExactly("on-call-pager");
  }

  private static List<String> receiversNotifiedFrom(Instant start) {
    Driver d = new Driver(CONFIG, start);
    d.fire(labels("service", "inhouse-service", "alertname", "Slow"));
    return d.runFor(Duration.ofMinutes(1)).stream().map(Notification::receiver).toList();
  }

  private static Route only(java.util.Map<String, String> alert) {
    List<Route> routes = CONFIG.route().match(alert);
    assertThat(routes).hasSize(1);
    return routes.get(0);
  }
}
