package io.stackpilot.fleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many successful writes (create, update, patch/apply, delete) clients made to each object of
 * one cluster, by object path: what a test of "applied exactly once" counts. The simulated
 * controllers' own writes are not counted.
 */
final class WriteCounts {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

  void count(HttpMethod method, String requestPath, MockResponse response) {
    int query = requestPath.indexOf('?');
    String path = query < 0 ? requestPath : requestPath.substring(0, query);
    if (method == HttpMethod.POST) {
      // a create names its object in the answer, not in the (collection) path
      String name = createdName(response);
      if (name.isEmpty()) {
        return;
      }
      path = path + "/" + name;
    }
    counts.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
  }

  /** The counts so far, by object path (e.g. {@code /api/v1/namespaces/x/configmaps/y}). */
  Map<String, Long> snapshot() {
    Map<String, Long> snapshot = new TreeMap<>();
    counts.forEach((path, count) -> snapshot.put(path, count.get()));
    return snapshot;
  }

  void reset() {
    counts.clear();
  }

  private static String createdName(MockResponse response) {
    if (response.getBody() == null || response.getBody().size() == 0) {
      return "";
    }
    try {
      JsonNode created = JSON.readTree(response.getBody().getBytes());
      return created.path("metadata").path("name").asText("");
    } catch (IOException e) {
      return "";
    }
  }
}
