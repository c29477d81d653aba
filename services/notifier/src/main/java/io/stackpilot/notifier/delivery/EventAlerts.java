package io.stackpilot.notifier.delivery;

import io.stackpilot.events.AlertStatus;
import io.stackpilot.events.AlertStatusChanged;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.GateDecided;
import io.stackpilot.events.GateDecision;
import io.stackpilot.events.GateEvidence;
import io.stackpilot.events.HealthStatus;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.RolloutTransition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * Turns the events the notifier consumes into alerts for routing. An {@link AlertStatusChanged} is
 * an alert. A lifecycle verdict is a one-off event, made an alert of its own (its rollout among its
 * labels) that fires at once and ends {@code resolveAfter} after it was read. Each carries
 * annotations for the messages: an alert's own; for lifecycle events a {@code summary}, the event's
 * reason as {@code description}, and the {@code rollout} it belongs to.
 */
public final class EventAlerts {
  public static final String VERDICT_ALERTNAME = "StackpilotComponentVerified";
  public static final String ROLLOUT_ALERTNAME = "StackpilotRollout";
  public static final String GATE_ALERTNAME = "StackpilotGateDecided";

  private final Duration resolveAfter;

  public EventAlerts(Duration resolveAfter) {
    this.resolveAfter = resolveAfter;
  }

  /** The alerts an event stands for (none for an event the notifier does not route). */
  public List<SourcedAlert> of(SpecificRecord event, Instant now) {
    if (event instanceof AlertStatusChanged alert) {
      return List.of(alert(alert));
    }
    if (event instanceof ComponentVerified verdict) {
      return List.of(verdict(verdict, now));
    }
    if (event instanceof RolloutStatusChanged transition) {
      return List.of(transition(transition, now));
    }
    if (event instanceof GateDecided gate) {
      return List.of(gate(gate, now));
    }
    return List.of();
  }

  SourcedAlert transition(RolloutStatusChanged t, Instant now) {
    Map<String, String> labels = lifecycleLabels(ROLLOUT_ALERTNAME, t.getEnvelope());
    labels.put("stack", t.getStackName());
    labels.put("transition", t.getTransition().name());
    labels.put("phase", t.getPhase().name());
    labels.put("severity", severity(t.getTransition()));
    if (t.getWaveIndex() != null) {
      labels.put("wave", t.getWaveIndex().toString());
    }
    if (t.getStepId() != null) {
      labels.put("step", t.getStepId());
    }
    String summary =
        "Rollout "
            + t.getEnvelope().getCorrelationId()
            + " of "
            + t.getStackName()
            + ": "
            + t.getTransition().name();
    return oneOff(
        labels,
        t.getEnvelope(),
        "RolloutStatusChanged",
        now,
        lifecycleAnnotations(summary, t.getReason(), t.getEnvelope()));
  }

  SourcedAlert gate(GateDecided g, Instant now) {
    Map<String, String> labels = lifecycleLabels(GATE_ALERTNAME, g.getEnvelope());
    labels.put("decision", g.getDecision().name());
    labels.put("wave", Integer.toString(g.getWaveIndex()));
    labels.put("severity", severity(g.getDecision()));
    WaveDigest digest = WaveDigest.of(g.getClusters(), g.getEvidence());
    String summary =
        "Wave "
            + g.getWaveIndex()
            + " of rollout "
            + g.getEnvelope().getCorrelationId()
            + ": "
            + g.getDecision().name()
            + ", "
            + digest.counts();
    List<String> reasons = g.getReasons() == null ? List.of() : g.getReasons();
    Map<String, String> annotations =
        lifecycleAnnotations(summary, String.join("; ", reasons), g.getEnvelope());
    if (!digest.clusters().isEmpty()) {
      annotations.put("clusters", String.join(",", digest.clusters()));
    }
    if (!digest.text().isEmpty()) {
      annotations.put("digest", digest.text());
    }
    return oneOff(labels, g.getEnvelope(), "GateDecided", now, annotations);
  }

  /**
   * A wave's gate as one message: a line per cluster of the wave, in the event's order ("✅ hub:
   * loki, mimir" when all its checks passed, "❌ w1: loki unhealthy: <detail>" naming the failed
   * ones, "⚪ w2: not checked" without evidence), then a line per check that names no cluster of the
   * wave (an SLO, a wave-wide probe). Details are cut to {@link #MAX_DETAIL} characters and the
   * lines to {@link #MAX_LINE}, the whole to {@link #MAX_DIGEST_BYTES} bytes of UTF-8, the rest
   * counted on a last line, so that a wave of a hundred clusters still fits a channel's message
   * (ntfy takes 4,096 bytes).
   */
  record WaveDigest(List<String> clusters, int passed, int failed, int unchecked, String text) {
    static final int MAX_DETAIL = 80;
    static final int MAX_LINE = 160;
    static final int MAX_DIGEST_BYTES = 3000;

    static WaveDigest of(List<String> clusters, List<GateEvidence> evidence) {
      List<String> names =
          clusters == null ? List.of() : List.copyOf(new LinkedHashSet<>(clusters));
      Map<String, List<GateEvidence>> byCluster = new LinkedHashMap<>();
      names.forEach(c -> byCluster.put(c, new ArrayList<>()));
      List<GateEvidence> rest = new ArrayList<>();
      for (GateEvidence e : evidence == null ? List.<GateEvidence>of() : evidence) {
        String subject = String.valueOf(e.getSubject());
        int slash = subject.indexOf('/');
        List<GateEvidence> own = slash > 0 ? byCluster.get(subject.substring(0, slash)) : null;
        (own != null ? own : rest).add(e);
      }
      List<String> lines = new ArrayList<>();
      List<Boolean> lineFailed = new ArrayList<>();
      int passed = 0;
      int failed = 0;
      int unchecked = 0;
      for (Map.Entry<String, List<GateEvidence>> c : byCluster.entrySet()) {
        List<GateEvidence> checks = c.getValue();
        List<GateEvidence> bad = checks.stream().filter(e -> !e.getPassed()).toList();
        String line;
        if (checks.isEmpty()) {
          unchecked++;
          line = "\u26AA " + c.getKey() + ": not checked";
        } else if (bad.isEmpty()) {
          passed++;
          line =
              "\u2705 "
                  + c.getKey()
                  + ": "
                  + String.join(
                      ", ", checks.stream().map(e -> component(c.getKey(), e)).distinct().toList());
        } else {
          failed++;
          line =
              "\u274C "
                  + c.getKey()
                  + ": "
                  + String.join("; ", bad.stream().map(e -> failedCheck(c.getKey(), e)).toList());
        }
        lines.add(cut(line, MAX_LINE));
        lineFailed.add(!bad.isEmpty());
      }
      for (GateEvidence e : rest) {
        lines.add(
            cut(
                kindName(e)
                    + " "
                    + e.getSubject()
                    + ": "
                    + (e.getPassed() ? "passed" : "failed")
                    + detail(e, " "),
                MAX_LINE));
        lineFailed.add(!e.getPassed());
      }
      return new WaveDigest(names, passed, failed, unchecked, bounded(lines, lineFailed));
    }

    /** "3 of 3 clusters passed", with the failed and not checked ones when there are. */
    String counts() {
      if (clusters.isEmpty()) {
        return "no clusters";
      }
      StringBuilder out =
          new StringBuilder()
              .append(passed)
              .append(" of ")
              .append(clusters.size())
              .append(clusters.size() == 1 ? " cluster passed" : " clusters passed");
      if (failed > 0) {
        out.append(", ").append(failed).append(" failed");
      }
      if (unchecked > 0) {
        out.append(", ").append(unchecked).append(" not checked");
      }
      return out.toString();
    }

    /** The check's name within its cluster: "loki" of "hub/loki", "loki ready" of a probe's. */
    private static String check(String cluster, GateEvidence e) {
      return String.valueOf(e.getSubject()).substring(cluster.length() + 1);
    }

    /** The component a check is about: its name up to a space or slash. */
    private static String component(String cluster, GateEvidence e) {
      String name = check(cluster, e);
      int end = name.length();
      for (char stop : new char[] {' ', '/'}) {
        int at = name.indexOf(stop);
        if (at > 0) {
          end = Math.min(end, at);
        }
      }
      return name.substring(0, end);
    }

    private static String failedCheck(String cluster, GateEvidence e) {
      String kind = String.valueOf(e.getKind());
      String what =
          kind.equals("health") ? " unhealthy" : kind.equals("slo") ? " SLO failed" : " failed";
      return check(cluster, e) + what + detail(e, ": ");
    }

    private static String kindName(GateEvidence e) {
      String kind = String.valueOf(e.getKind());
      return kind.equals("slo") ? "SLO" : kind;
    }

    /** The separator and the detail on one line and cut, or nothing for an empty detail. */
    private static String detail(GateEvidence e, String separator) {
      String d = e.getDetail() == null ? "" : e.getDetail().replaceAll("\\s+", " ").strip();
      if (d.isEmpty()) {
        return "";
      }
      return separator + cut(d, MAX_DETAIL);
    }

    /** At most {@code max} code points, a cut text ending with an ellipsis. */
    private static String cut(String text, int max) {
      if (text.codePointCount(0, text.length()) <= max) {
        return text;
      }
      return text.substring(0, text.offsetByCodePoints(0, max - 1)) + "\u2026";
    }

    /** The lines up to the byte limit, then "… 40 more (3 failed)" for those left out. */
    private static String bounded(List<String> lines, List<Boolean> lineFailed) {
      StringBuilder out = new StringBuilder();
      int bytes = 0;
      int reserve = 64; // room for the last line
      for (int i = 0; i < lines.size(); i++) {
        String line = (i == 0 ? "" : "\n") + lines.get(i);
        int size = line.getBytes(StandardCharsets.UTF_8).length;
        boolean last = i == lines.size() - 1;
        if (bytes + size > MAX_DIGEST_BYTES - (last ? 0 : reserve)) {
          long more = lines.size() - i;
          long moreFailed = lineFailed.subList(i, lines.size()).stream().filter(f -> f).count();
          out.append(i == 0 ? "" : "\n")
              .append("\u2026 ")
              .append(more)
              .append(" more")
              .append(moreFailed > 0 ? " (" + moreFailed + " failed)" : "");
          break;
        }
        out.append(line);
        bytes += size;
      }
      return out.toString();
    }
  }

  private static Map<String, String> lifecycleLabels(String alertname, EventEnvelope env) {
    Map<String, String> labels = new TreeMap<>();
    labels.put("alertname", alertname);
    labels.put("rollout", String.valueOf(env.getCorrelationId()));
    if (env.getCluster() != null) {
      labels.put("cluster", env.getCluster());
    }
    return labels;
  }

  private SourcedAlert oneOff(
      Map<String, String> labels,
      EventEnvelope env,
      String type,
      Instant now,
      Map<String, String> annotations) {
    return new SourcedAlert(
        null,
        null,
        null,
        labels,
        env.getOccurredAt().toEpochMilli(),
        now.plus(resolveAfter).toEpochMilli(),
        cause(env, type),
        annotations);
  }

  /** summary, description (the event's reason, when it gives one) and the rollout's id. */
  static Map<String, String> lifecycleAnnotations(
      String summary, String reason, EventEnvelope env) {
    Map<String, String> annotations = new TreeMap<>();
    annotations.put("summary", summary);
    if (reason != null && !reason.isBlank()) {
      annotations.put("description", reason);
    }
    annotations.put("rollout", String.valueOf(env.getCorrelationId()));
    return annotations;
  }

  static String severity(RolloutTransition t) {
    switch (t) {
      case STEP_FAILED:
      case STEP_TIMED_OUT:
      case GATE_TIMED_OUT:
      case WAVE_FAILED:
      case ROLLBACK_STARTED:
      case ROLLED_BACK:
      case ABORTED:
        return "critical";
      case REJECTED:
      case PAUSED:
        return "warning";
      default:
        return "info";
    }
  }

  static String severity(GateDecision d) {
    switch (d) {
      case PROMOTE:
        return "info";
      case HOLD:
        return "warning";
      default:
        return "critical";
    }
  }

  static SourcedAlert alert(AlertStatusChanged e) {
    Long endsAt = e.getEndsAt() == null ? null : e.getEndsAt().toEpochMilli();
    if (e.getStatus() == AlertStatus.RESOLVED && endsAt == null) {
      endsAt = e.getEnvelope().getOccurredAt().toEpochMilli();
    }
    return new SourcedAlert(
        null,
        null,
        null,
        Map.copyOf(e.getLabels()),
        e.getStartsAt().toEpochMilli(),
        endsAt,
        cause(e.getEnvelope(), "AlertStatusChanged"),
        e.getAnnotations() == null ? Map.of() : Map.copyOf(e.getAnnotations()));
  }

  SourcedAlert verdict(ComponentVerified v, Instant now) {
    EventEnvelope env = v.getEnvelope();
    Map<String, String> labels = new TreeMap<>();
    labels.put("alertname", VERDICT_ALERTNAME);
    labels.put("cluster", String.valueOf(env.getCluster()));
    labels.put("component", v.getComponent());
    labels.put("health", v.getHealth().name());
    labels.put("severity", severity(v.getHealth()));
    labels.put("rollout", String.valueOf(env.getCorrelationId()));
    if (env.getTenant() != null) {
      labels.put("tenant", env.getTenant());
    }
    return new SourcedAlert(
        null,
        null,
        null,
        labels,
        env.getOccurredAt().toEpochMilli(),
        now.plus(resolveAfter).toEpochMilli(),
        cause(env, "ComponentVerified"),
        lifecycleAnnotations(
            v.getComponent() + " on " + env.getCluster() + ": " + v.getHealth().name(),
            v.getReason(),
            env));
  }

  static String severity(HealthStatus health) {
    switch (health) {
      case HEALTHY:
      case PROGRESSING:
        return "info";
      case DEGRADED:
      case MISSING:
        return "critical";
      default:
        return "warning";
    }
  }

  static SourcedAlert.Cause cause(EventEnvelope env, String type) {
    return new SourcedAlert.Cause(
        env.getEventId(),
        type,
        env.getCorrelationId(),
        env.getCluster(),
        env.getTenant(),
        env.getActor(),
        env.getOccurredAt().toEpochMilli());
  }
}
