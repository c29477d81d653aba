package io.stackpilot.verifier.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.events.ProbeKind;
import io.stackpilot.testing.HttpSink;
import io.stackpilot.testing.RealComponent;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeds' curl checklist as probes, against the real Prometheus, Alertmanager and blackbox
 * exporter from Debian's packages: readiness endpoints, the remote-write→query canary, a blackbox
 * probe; each one fails with a clear reason once its component is stopped.
 */
class ProbesIT {
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  static RealComponent prometheus;
  static RealComponent alertmanager;
  static RealComponent blackbox;
  static HttpSink site;
  final HttpProbes probes = new HttpProbes(HttpClient.newHttpClient(), TIMEOUT, Clock.systemUTC());
  final MetricsCanary canary =
      new MetricsCanary(HttpClient.newHttpClient(), TIMEOUT, Clock.systemUTC());

  @BeforeAll
  static void start(@TempDir Path dir) {
    prometheus = RealComponent.prometheus(dir.resolve("prometheus"), "global: {}\n");
    alertmanager =
        RealComponent.alertmanager(
            dir.resolve("alertmanager"),
            "route: {receiver: blackhole}\nreceivers: [{name: blackhole}]\n");
    blackbox =
        RealComponent.blackboxExporter(
            dir.resolve("blackbox"), "modules:\n  http_2xx: {prober: http, timeout: 5s}\n");
    site = HttpSink.start();
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {prometheus, alertmanager, blackbox, site}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // stopping what the test started; nothing to report
      }
    }
  }

  @Test
  void readinessEndpointsAnswerAndAStoppedComponentSaysWhy(@TempDir Path dir) {
    ProbeOutcome ready = probes.readiness(prometheus.url(), "prometheus", "perso");
    assertThat(ready.success()).as(ready.message()).isTrue();
    assertThat(ready.kind()).isEqualTo(ProbeKind.READINESS);
    assertThat(ready.target()).isEqualTo(prometheus.url() + "/-/ready");
    assertThat(probes.readiness(alertmanager.url(), "alertmanager", null).success()).isTrue();
    assertThat(probes.readiness(blackbox.url(), "blackbox-exporter", null).success()).isTrue();

    RealComponent doomed =
        RealComponent.alertmanager(dir, "route: {receiver: x}\nreceivers: [{name: x}]\n");
    assertThat(probes.readiness(doomed.url(), "alertmanager", null).success()).isTrue();
    doomed.close();
    ProbeOutcome down = probes.readiness(doomed.url(), "alertmanager", null);
    assertThat(down.success()).isFalse();
    assertThat(down.httpStatus()).isNull();
    assertThat(down.message()).startsWith("no answer: ConnectException");
  }

  @Test
  void aRemoteWrittenSampleIsReadBackAndAStoppedPrometheusFailsTheCanary(@TempDir Path dir) {
    String probeId = "canary-" + UUID.randomUUID();
    ProbeOutcome written =
        canary.writeRead(prometheus.url(), "/api/v1/write", prometheus.url(), null, probeId);
    assertThat(written.success()).as(written.message()).isTrue();
    assertThat(written.kind()).isEqualTo(ProbeKind.WRITE_READ);
    assertThat(written.message()).contains(probeId);
    System.out.printf("metrics canary: written and read back in %d ms%n", written.latencyMillis());

    RealComponent stopped = RealComponent.prometheus(dir, "global: {}\n");
    stopped.close();
    ProbeOutcome failed =
        canary.writeRead(stopped.url(), "/api/v1/write", stopped.url(), null, probeId);
    assertThat(failed.success()).isFalse();
    assertThat(failed.message()).startsWith("no answer: ConnectException");
  }

  @Test
  void theBlackboxExporterProbesATargetAndReportsAFailingOne() {
    ProbeOutcome up = probes.blackbox(blackbox.url(), site.url(), "http_2xx");
    assertThat(up.success()).as(up.message()).isTrue();
    assertThat(up.kind()).isEqualTo(ProbeKind.BLACKBOX);

    site.respondWith(503);
    ProbeOutcome down = probes.blackbox(blackbox.url(), site.url(), "http_2xx");
    assertThat(down.success()).isFalse();
    assertThat(down.httpStatus()).as("the exporter answered; the target failed").isEqualTo(200);
    assertThat(down.message())
        .isEqualTo("probe_success 0 for " + site.url() + " with module http_2xx");
    site.respondWith(200);
  }
}
