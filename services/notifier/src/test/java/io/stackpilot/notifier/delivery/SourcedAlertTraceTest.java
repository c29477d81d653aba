package io.stackpilot.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The routed alert's cause keeps the routing's traceparent through the JSON state topic. */
class SourcedAlertTraceTest {
  static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  final ObjectMapper json = new ObjectMapper();

  @Test
  void theTraceparentSurvivesTheRoutedAlertsTopicAndRoutingToAnotherGroup() throws Exception {
    SourcedAlert traced = alert().tracedBy(TRACEPARENT).routedTo("route/1", "ops", "{}");

    SourcedAlert read = json.readValue(json.writeValueAsBytes(traced), SourcedAlert.class);

    assertThat(read.cause().traceparent()).isEqualTo(TRACEPARENT);
    assertThat(read).isEqualTo(traced);
  }

  @Test
  void anAlertWrittenBeforeTracingReadsWithoutATrace() throws Exception {
    String before = json.writeValueAsString(alert()).replace(",\"traceparent\":null", "");
    assertThat(before).doesNotContain("traceparent");

    SourcedAlert read = json.readValue(before, SourcedAlert.class);

    assertThat(read.cause().traceparent()).isNull();
    assertThat(read.cause().eventId()).isEqualTo("e1");
    assertThat(alert().tracedBy(null)).isEqualTo(alert());
  }

  private static SourcedAlert alert() {
    return new SourcedAlert(
        "route",
        "ops",
        "{}",
        Map.of("alertname", "ComponentUnhealthy"),
        0,
        null,
        new SourcedAlert.Cause("e1", "ComponentVerified", "rollout-1", "perso", null, "user:a", 0));
  }
}
