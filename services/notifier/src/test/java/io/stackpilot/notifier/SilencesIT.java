package io.stackpilot.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.AlertStatus;
import io.stackpilot.events.SilenceChange;
import io.stackpilot.events.SilenceChanged;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.TestRecords;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that a silence made through Alertmanager's API v2 mutes its alerts, is an event, survives
 * a SIGKILL and restart of the notifier (rebuilt from stackpilot.silences), and that expiring it
 * lets the alert through; and that a rollout wave's clusters are silenced from WAVE_STARTED to the
 * wave's gate decision.
 */
@ExtendWith(RealKafkaExtension.class)
class SilencesIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration START = Duration.ofSeconds(90);

  @Test
  void silencesMuteSurviveARestartExpireAndFollowAWave(
      KafkaBroker broker, SchemaRegistry registry, @TempDir Path dir) throws Exception {
    String run = "si" + Long.toHexString(System.nanoTime());
    Path routing = dir.resolve("routing.yaml");
    Files.writeString(
        routing,
        """
        route:
          receiver: local-webhook
          group_by: [alertname, run]
          group_wait: 1s
          group_interval: 1s
          repeat_interval: 1h
        receivers:
          - name: local-webhook
        """);
    try (CountingSink sink = CountingSink.start();
        Alerts alerts = new Alerts(broker.bootstrapServers(), registry.url());
        EventTap tap =
            EventTap.avro(
                broker.bootstrapServers(), registry.url(), List.of(Topic.SILENCES.topicName()))) {
      String[] common = {
        "--stackpilot.notifier.group=" + run,
        "--stackpilot.notifier.webhook.url=" + sink.url(),
        "--stackpilot.notifier.routing.file=" + routing,
        "--stackpilot.notifier.instance-id=a"
      };
      Process a = NotifierProcess.start(broker, registry, dir.resolve("a.log"), common);
      Process b = null;
      try {
        NotifierHttp api = NotifierHttp.of(dir.resolve("a.log"), START);

        HttpResponse<String> bad =
            api.post("/api/v2/silences", body(run, "Muted", "not-a-date", "user:test"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("field").asText()).isEqualTo("startsAt");

        HttpResponse<String> created =
            api.post(
                "/api/v2/silences",
                body(run, "Muted", Instant.now().minusSeconds(5).toString(), "user:test"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String id = JSON.readTree(created.body()).path("silenceID").asText();
        assertThat(state(api, id)).isEqualTo("active");
        // amtool's query: filter by matchers the silence has (other tests' silences share the
        // topic)
        assertThat(
                ids(api, "filter=" + encode("run=\"" + run + "\"") + "&filter=alertname%3DMuted"))
            .containsExactly(id);
        assertThat(ids(api, "filter=" + encode("run!=\"" + run + "\""))).doesNotContain(id);
        HttpResponse<String> badFilter = api.get("/api/v2/silences?filter=" + encode("run=>x"));
        assertThat(badFilter.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badFilter.body()).path("field").asText()).isEqualTo("filter");

        Instant startsAt = Instant.now();
        alerts.send(
            List.of(
                Alerts.event(labels("Muted", run), AlertStatus.FIRING, startsAt, null),
                Alerts.event(labels("Loud", run), AlertStatus.FIRING, startsAt, null)));
        await().atMost(Duration.ofSeconds(60)).until(() -> of(sink, run, "Loud").size() == 1);
        await().during(Duration.ofSeconds(3)).until(() -> of(sink, run, "Muted").isEmpty());

        SilenceChanged event = silenceEvent(tap, id, SilenceChange.CREATED);
        assertThat(event.getEnvelope().getActor()).isEqualTo("user:test");
        assertThat(event.getEnvelope().getCorrelationId()).isEqualTo(id);
        assertThat(event.getCreatedBy()).isEqualTo("user:test");

        // SIGKILL, then another replica: it rebuilds the silence from the topic before delivering
        a.destroyForcibly().waitFor();
        b =
            NotifierProcess.start(
                broker,
                registry,
                dir.resolve("b.log"),
                with(common, "--stackpilot.notifier.instance-id=b"));
        NotifierHttp again = NotifierHttp.of(dir.resolve("b.log"), START);
        assertThat(state(again, id)).isEqualTo("active");
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> NotifierProcess.count(dir.resolve("b.log"), "caught up") > 0);
        await().during(Duration.ofSeconds(4)).until(() -> of(sink, run, "Muted").isEmpty());

        assertThat(again.delete("/api/v2/silence/" + id).statusCode()).isEqualTo(200);
        assertThat(again.delete("/api/v2/silence/" + id).statusCode())
            .as("expiring twice is fine, as in Alertmanager")
            .isEqualTo(200);
        assertThat(again.delete("/api/v2/silence/no-such-silence").statusCode()).isEqualTo(404);
        assertThat(state(again, id)).isEqualTo("expired");
        await().atMost(Duration.ofSeconds(30)).until(() -> of(sink, run, "Muted").size() == 1);
        assertThat(silenceEvent(tap, id, SilenceChange.EXPIRED).getEnvelope().getActor())
            .isEqualTo("user:test");

        // a wave: its clusters are silenced until its gate decision
        String rollout = "rollout-" + run;
        String cluster = run + "-c1";
        TestRecords.sendEvent(
            broker.bootstrapServers(),
            registry.url(),
            Topic.ROLLOUT_STATUS.topicName(),
            rollout,
            io.stackpilot.notifier.silence.LifecycleEvents.waveStarted(
                rollout, 1, List.of(cluster)));
        String waveSilence =
            await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> silenceBy(again, "stackpilot:rollout/" + rollout), s -> s != null);
        assertThat(state(again, waveSilence)).isEqualTo("active");
        alerts.send(
            List.of(
                Alerts.event(
                    Map.of("alertname", "WaveAlert", "run", run, "cluster", cluster),
                    AlertStatus.FIRING,
                    Instant.now(),
                    null)));
        await().during(Duration.ofSeconds(4)).until(() -> of(sink, run, "WaveAlert").isEmpty());
        TestRecords.sendEvent(
            broker.bootstrapServers(),
            registry.url(),
            Topic.GATE_DECISIONS.topicName(),
            rollout,
            io.stackpilot.notifier.silence.LifecycleEvents.gateDecided(
                rollout, 1, List.of(cluster)));
        await().atMost(Duration.ofSeconds(30)).until(() -> of(sink, run, "WaveAlert").size() == 1);
        assertThat(state(again, waveSilence)).isEqualTo("expired");
        SilenceChanged waveCreated = silenceEvent(tap, waveSilence, SilenceChange.CREATED);
        assertThat(waveCreated.getEnvelope().getCorrelationId()).isEqualTo(rollout);
        assertThat(waveCreated.getEnvelope().getCausationId()).isNotNull();
        assertThat(waveCreated.getEnvelope().getActor())
            .as("every event of a rollout names the actor who declared it")
            .isEqualTo("user:alice");
        assertThat(waveCreated.getCreatedBy()).isEqualTo("stackpilot:rollout/" + rollout);

        // wave 2's gate read before its start (the two topics are not ordered with each other):
        // the wave is closed under its silence id, and its late start opens nothing
        String closedId = io.stackpilot.notifier.silence.WaveSilencer.silenceId(rollout, 2);
        String cluster2 = run + "-c2";
        TestRecords.sendEvent(
            broker.bootstrapServers(),
            registry.url(),
            Topic.GATE_DECISIONS.topicName(),
            rollout,
            io.stackpilot.notifier.silence.LifecycleEvents.gateDecided(
                rollout, 2, List.of(cluster2)));
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> again.get("/api/v2/silence/" + closedId).statusCode() == 200);
        assertThat(state(again, closedId)).isEqualTo("expired");
        TestRecords.sendEvent(
            broker.bootstrapServers(),
            registry.url(),
            Topic.ROLLOUT_STATUS.topicName(),
            rollout,
            io.stackpilot.notifier.silence.LifecycleEvents.waveStarted(
                rollout, 2, List.of(cluster2)));
        alerts.send(
            List.of(
                Alerts.event(
                    Map.of("alertname", "LateWaveAlert", "run", run, "cluster", cluster2),
                    AlertStatus.FIRING,
                    Instant.now(),
                    null)));
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> of(sink, run, "LateWaveAlert").size() == 1);
        assertThat(state(again, closedId)).isEqualTo("expired");
      } finally {
        for (Process p : new Process[] {a, b}) {
          if (p != null) {
            p.destroyForcibly().waitFor();
          }
        }
      }
    }
  }

  private static String body(String run, String alertname, String startsAt, String createdBy)
      throws Exception {
    return JSON.writeValueAsString(
        Map.of(
            "matchers",
            List.of(
                Map.of("name", "run", "value", run, "isRegex", false, "isEqual", true),
                Map.of("name", "alertname", "value", alertname, "isRegex", false)),
            "startsAt",
            startsAt,
            "endsAt",
            Instant.now().plus(Duration.ofHours(1)).toString(),
            "createdBy",
            createdBy,
            "comment",
            "test " + run));
  }

  private static List<String> ids(NotifierHttp api, String query) throws Exception {
    HttpResponse<String> r = api.get("/api/v2/silences?" + query);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<String> out = new java.util.ArrayList<>();
    JSON.readTree(r.body()).forEach(s -> out.add(s.path("id").asText()));
    return out;
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String state(NotifierHttp api, String id) throws Exception {
    HttpResponse<String> r = api.get("/api/v2/silence/" + id);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).path("status").path("state").asText();
  }

  private static String silenceBy(NotifierHttp api, String createdBy) throws Exception {
    for (JsonNode s : JSON.readTree(api.get("/api/v2/silences").body())) {
      if (createdBy.equals(s.path("createdBy").asText())) {
        return s.path("id").asText();
      }
    }
    return null;
  }

  private static SilenceChanged silenceEvent(EventTap tap, String id, SilenceChange change) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                tap.values(SilenceChanged.class).stream()
                    .filter(e -> e.getSilenceId().equals(id) && e.getChange() == change)
                    .findFirst()
                    .orElse(null),
            e -> e != null);
  }

  private static Map<String, String> labels(String alertname, String run) {
    return Map.of("alertname", alertname, "run", run);
  }

  private static List<CountingSink.Request> of(CountingSink sink, String run, String alertname) {
    return sink.requests("run", run).stream()
        .filter(r -> alertname.equals(r.alerts().get(0).get("alertname")))
        .toList();
  }

  private static String[] with(String[] common, String replace) {
    String[] args = common.clone();
    args[args.length - 1] = replace;
    return args;
  }
}
