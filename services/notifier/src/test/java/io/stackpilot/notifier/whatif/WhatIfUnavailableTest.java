package io.stackpilot.notifier.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/** A what-if whose brokers do not answer is a 503 to retry, not a 500. */
class WhatIfUnavailableTest {

  @Test
  void brokersThatDoNotAnswerGiveA503WithRetryAfter() {
    // nothing listens on port 1: the metadata request times out
    WhatIfController whatIf =
        new WhatIfController(
            "127.0.0.1:1",
            "http://127.0.0.1:1",
            Duration.ofHours(24),
            "webhook",
            Duration.ofSeconds(1));

    var response =
        whatIf.whatIf(
            """
            route:
              receiver: team
            receivers:
              - name: team
            """,
            null,
            null);

    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("10");
    assertThat(response.getBody().get("error").toString())
        .startsWith("the event log cannot be read now");
  }
}
