package io.stackpilot.fleet.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The mock API server's watch replays the events it buffered before its WebSocket opened after the
 * current objects, so a watcher went back to an older state of an object and stayed there (the
 * flaky RollbackE2E: a HelmRelease read as "Fresh install in progress" after it was Ready).
 */
class OrderedWatchTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PATH = "/api/v1/namespaces/ns/configmaps/cm";
  private static final String WATCH = "/api/v1/namespaces/ns/configmaps?watch=true";

  @Test
  void aWatchNeverGoesBackToAnOlderResourceVersion() {
    ServerSideApplyDispatcher store = new ServerSideApplyDispatcher(List.of());
    store.applyObject(PATH, configMap("1"));

    WebSocketListener watch = store.handleWatch(WATCH).getWebSocketListener();
    // two writes land between the watch request and the opening of its WebSocket: buffered
    store.applyObject(PATH, configMap("2"));
    store.applyObject(PATH, configMap("3"));
    long current = resourceVersion(store);

    Recording socket = new Recording();
    watch.onOpen(socket, null);
    store.applyObject(PATH, configMap("4")); // sent after everything the opening queued
    long last = resourceVersion(store);
    await().atMost(Duration.ofSeconds(10)).until(() -> socket.versions().contains(last));

    List<Long> versions = socket.versions();
    assertThat(versions).first().isEqualTo(current); // the current object, as ADDED
    assertThat(versions).isSorted().endsWith(last);
    assertThat(socket.data()).last().isEqualTo("4");
  }

  @Test
  void eventsWithoutAResourceVersionPass() {
    List<String> sent = new ArrayList<>();
    OrderedWatch watch = new OrderedWatch(new WebSocketListener() {});
    for (String event :
        List.of(
            "{\"type\":\"ADDED\",\"object\":{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"7\"}}}",
            "{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"}}}",
            "{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"6\"}}}",
            "{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"b\",\"resourceVersion\":\"6\"}}}",
            "{\"type\":\"DELETED\",\"object\":{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"8\"}}}",
            "not json")) {
      if (watch.admit(event)) {
        sent.add(event);
      }
    }
    assertThat(sent).hasSize(5).noneMatch(e -> e.contains("\"a\",\"resourceVersion\":\"6\""));
  }

  private static ObjectNode configMap(String value) {
    ObjectNode object = JSON.createObjectNode();
    object.put("apiVersion", "v1").put("kind", "ConfigMap");
    object.putObject("metadata").put("name", "cm").put("namespace", "ns");
    object.putObject("data").put("value", value);
    return object;
  }

  private static long resourceVersion(ServerSideApplyDispatcher store) {
    return store.read(PATH).orElseThrow().path("metadata").path("resourceVersion").asLong();
  }

  /** A watch's WebSocket that keeps what is sent on it. */
  private static final class Recording implements WebSocket {
    private final List<JsonNode> events = Collections.synchronizedList(new ArrayList<>());

    List<Long> versions() {
      synchronized (events) {
        return events.stream().map(e -> e.at("/object/metadata/resourceVersion").asLong()).toList();
      }
    }

    List<String> data() {
      synchronized (events) {
        return events.stream().map(e -> e.at("/object/data/value").asText()).toList();
      }
    }

    @Override
    public RecordedRequest request() {
      return null;
    }

    @Override
    public boolean send(String text) {
      try {
        events.add(JSON.readTree(text));
      } catch (Exception e) {
        throw new AssertionError("not a watch event: " + text, e);
      }
      return true;
    }

    @Override
    public boolean send(byte[] bytes) {
      throw new AssertionError("a watch sends text");
    }

    @Override
    public boolean close(int code, String reason) {
      return true;
    }
  }
}
