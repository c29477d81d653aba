package io.stackpilot.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.events.GateDecided;
import io.stackpilot.events.GateDecision;
import io.stackpilot.events.GateEvidence;
import io.stackpilot.testing.Events;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A gate decision is the digest of its wave: one alert whose annotations say how many of the wave's
 * clusters passed, list them, and give a line per cluster (failed checks with their detail) and one
 * per check that names no cluster, such as an SLO.
 */
class WaveDigestTest {
  static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  final EventAlerts eventAlerts = new EventAlerts(Duration.ofHours(24));

  static GateEvidence evidence(String kind, String subject, boolean passed, String detail) {
    return GateEvidence.newBuilder()
        .setKind(kind)
        .setSubject(subject)
        .setPassed(passed)
        .setDetail(detail)
        .build();
  }

  static GateDecided gate(
      String rollout, int wave, List<String> clusters, List<GateEvidence> evidence) {
    return GateDecided.newBuilder()
        .setEnvelope(Events.envelope("g-" + rollout + "-" + wave, rollout, null))
        .setWaveIndex(wave)
        .setClusters(clusters)
        .setDecision(GateDecision.HOLD)
        .setReasons(List.of("health w1/loki: ingester ring unhealthy"))
        .setEvidence(evidence)
        .build();
  }

  @Test
  void aGateOfThreeClustersWithOneFailedCheckAndAnSlo() {
    GateDecided g =
        gate(
            "r-9",
            1,
            List.of("hub", "w1", "w2"),
            List.of(
                evidence("health", "hub/loki", true, "all 3 objects ready"),
                evidence("health", "hub/mimir", true, "all 5 objects ready"),
                evidence("health", "w1/loki", false, "ingester ring unhealthy"),
                evidence("health", "w1/mimir", true, ""),
                evidence("probe", "w2/mimir ready", true, "200 in 12 ms"),
                evidence("slo", "availability", false, "burn rate 14.2 > 10")));

    SourcedAlert alert = eventAlerts.of(g, NOW).get(0);

    assertThat(alert.labels())
        .as("the labels of before, none per cluster")
        .isEqualTo(
            Map.of(
                "alertname", "StackpilotGateDecided",
                "rollout", "r-9",
                "decision", "HOLD",
                "wave", "1",
                "severity", "warning"));
    assertThat(alert.alert().annotations())
        .isEqualTo(
            Map.of(
                "summary",
                "Wave 1 of rollout r-9: HOLD, 2 of 3 clusters passed, 1 failed",
                "description",
                "health w1/loki: ingester ring unhealthy",
                "rollout",
                "r-9",
                "clusters",
                "hub,w1,w2",
                "digest",
                "\u2705 hub: loki, mimir\n"
                    + "\u274C w1: loki unhealthy: ingester ring unhealthy\n"
                    + "\u2705 w2: mimir\n"
                    + "SLO availability: failed burn rate 14.2 > 10"));
  }

  @Test
  void aClusterWithoutEvidenceIsNotCheckedAndTheEventsOrderIsKept() {
    GateDecided g =
        gate(
            "r-10",
            2,
            List.of("zeta", "alpha"),
            List.of(evidence("health", "alpha/loki", true, "ready")));

    Map<String, String> annotations = eventAlerts.of(g, NOW).get(0).alert().annotations();

    assertThat(annotations.get("summary"))
        .isEqualTo("Wave 2 of rollout r-10: HOLD, 1 of 2 clusters passed, 1 not checked");
    assertThat(annotations.get("clusters")).isEqualTo("zeta,alpha");
    assertThat(annotations.get("digest")).isEqualTo("\u26AA zeta: not checked\n\u2705 alpha: loki");
  }

  @Test
  void longDetailsAreCutAndAHundredClustersStayBounded() {
    List<String> clusters = IntStream.range(0, 100).mapToObj(i -> "cluster-" + i).toList();
    List<GateEvidence> evidence = new ArrayList<>();
    for (String c : clusters) {
      evidence.add(evidence("health", c + "/loki", false, "x".repeat(500)));
    }

    Map<String, String> annotations =
        eventAlerts.of(gate("r-11", 3, clusters, evidence), NOW).get(0).alert().annotations();

    String digest = annotations.get("digest");
    assertThat(digest.lines())
        .allSatisfy(l -> assertThat(l.codePointCount(0, l.length())).isLessThanOrEqualTo(160));
    assertThat(digest.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(EventAlerts.WaveDigest.MAX_DIGEST_BYTES);
    assertThat(digest).startsWith("\u274C cluster-0: loki unhealthy: xxx").contains("x\u2026");
    assertThat(digest.lines().reduce((a, b) -> b).orElseThrow())
        .matches("\u2026 \\d+ more \\(\\d+ failed\\)");
    assertThat(annotations.get("summary")).endsWith("0 of 100 clusters passed, 100 failed");
    assertThat(annotations.get("clusters").split(",")).hasSize(100);
  }
}
