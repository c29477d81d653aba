package io.stackpilot.verifier.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.stackpilot.testing.RealComponent;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Burn rates measured by a real Prometheus (Debian's package) from three days of request counters
 * backfilled with promtool: 0.1 % errors until the last hour, then 1.5 %. The queries are the ones
 * seed 004's Sloth SLO declares; the expected ratios are worked out by hand from the data.
 */
class PrometheusSliIT {
  static final String ERRORS =
      "sum(rate(http_requests_total{job=\"myapp\",status=~\"5..\"}[{{.window}}]))";
  static final String TOTAL = "sum(rate(http_requests_total{job=\"myapp\"}[{{.window}}]))";
  static final int PER_MINUTE = 1000;

  static RealComponent prometheus;
  static Instant at;

  @BeforeAll
  static void backfillAndStart(@TempDir Path dir) throws Exception {
    at = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
    Path data = dir.resolve("openmetrics.txt");
    Files.writeString(data, counters(at));
    RealComponent.promtool(
        dir,
        "tsdb",
        "create-blocks-from",
        "openmetrics",
        data.toString(),
        dir.resolve("prometheus/data").toString());
    prometheus = RealComponent.prometheus(dir.resolve("prometheus"), "global: {}\n");
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
  }

  @Test
  void errorRatiosPerWindowAreTheHandComputedOnesAndPageOnTheLastHour() {
    PrometheusSli sli = new PrometheusSli(prometheus.url(), HttpClient.newHttpClient(), SECONDS_10);
    Map<Duration, Double> ratios =
        sli.errorRatios(ERRORS, TOTAL, BurnRates.windows(BurnRates.DEFAULT_PERIOD), at);

    // windows inside the last hour: 15 errors per 1,000 requests
    assertThat(ratios.get(Duration.ofMinutes(5))).isCloseTo(0.015, within(1e-12));
    assertThat(ratios.get(Duration.ofHours(1))).isCloseTo(0.015, within(1e-12));
    // 6 h: 5 h at 1 per 1,000 and 1 h at 15 per 1,000: (300 + 900) / 360,000
    assertThat(ratios.get(Duration.ofHours(6))).isCloseTo(1_200.0 / 360_000, within(1e-12));
    // 1 d: (1,380 + 900) / 1,440,000; 3 d: (4,260 + 900) / 4,320,000
    assertThat(ratios.get(Duration.ofDays(1))).isCloseTo(2_280.0 / 1_440_000, within(1e-12));
    assertThat(ratios.get(Duration.ofDays(3))).isCloseTo(5_160.0 / 4_320_000, within(1e-12));

    List<BurnRates.Evaluated> evaluated =
        BurnRates.evaluate(ratios, 0.999, BurnRates.DEFAULT_PERIOD);
    // page 1 h: burn 15 > 14.4 in 1 h and 5 m; page 6 h: 3.33 < 6; ticket 1 d: 1.58 < 3;
    // ticket 3 d: 1.19 > 1, and 6 h's 3.33 > 1
    assertThat(evaluated)
        .extracting(e -> e.alert().longWindow() + ":" + e.firing())
        .containsExactly("PT1H:true", "PT6H:false", "PT24H:false", "PT72H:true");
    assertThat(evaluated.get(0).longBurnRate()).isCloseTo(15.0, within(1e-9));
  }

  @Test
  void aWindowWithoutEventsBurnsNothingAndAQueryOfManySeriesIsRefused() {
    PrometheusSli sli = new PrometheusSli(prometheus.url(), HttpClient.newHttpClient(), SECONDS_10);
    double none =
        sli.errorRatios(
                ERRORS.replace("myapp", "nothing"),
                TOTAL.replace("myapp", "nothing"),
                List.of(Duration.ofHours(1)),
                at)
            .get(Duration.ofHours(1));
    assertThat(none).isNaN();
    assertThat(BurnRates.burnRate(none, 0.999)).isZero();

    assertThatThrownBy(
            () ->
                sli.errorRatios(
                    "rate(http_requests_total[{{.window}}])",
                    "rate(http_requests_total[{{.window}}])",
                    List.of(Duration.ofHours(1)),
                    at))
        .hasMessageContaining("returns 2 series, not one ratio");
    assertThatThrownBy(
            () ->
                sli.errorRatios("sum(rate(x[{{.window}}]", TOTAL, List.of(Duration.ofHours(1)), at))
        .hasMessageContaining("refused the query (400 bad_data)");
  }

  @Test
  void aStoppedPrometheusIsAClearFailureNotAnSli(@TempDir Path dir) {
    RealComponent other = RealComponent.prometheus(dir, "global: {}\n");
    PrometheusSli sli = new PrometheusSli(other.url(), HttpClient.newHttpClient(), SECONDS_10);
    assertThat(sli.errorRatios(ERRORS, TOTAL, List.of(Duration.ofMinutes(5)), at)).isNotNull();
    other.close();

    assertThatThrownBy(() -> sli.errorRatios(ERRORS, TOTAL, List.of(Duration.ofMinutes(5)), at))
        .isInstanceOf(PrometheusSli.SliException.class)
        .hasMessageContaining("did not answer: ConnectException");
  }

  static final Duration SECONDS_10 = Duration.ofSeconds(10);

  /** One sample a minute for 3 days and 10 minutes up to {@code end}, as OpenMetrics. */
  static String counters(Instant end) {
    long t1 = end.getEpochSecond();
    long start = t1 - Duration.ofDays(3).toSeconds() - 600;
    List<String> ok = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    long okCount = 0;
    long errorCount = 0;
    for (long t = start; t <= t1; t += 60) {
      long e = t > t1 - 3_600 ? 15 : 1;
      okCount += PER_MINUTE - e;
      errorCount += e;
      ok.add("http_requests_total{job=\"myapp\",status=\"200\"} " + okCount + " " + t);
      errors.add("http_requests_total{job=\"myapp\",status=\"500\"} " + errorCount + " " + t);
    }
    return "# HELP http_requests Requests served.\n# TYPE http_requests counter\n"
        + String.join("\n", ok)
        + "\n"
        + String.join("\n", errors)
        + "\n# EOF\n";
  }
}
