package io.stackpilot.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * A webhook receiver that keeps every request: when, its Idempotency-Key, and the payload's status
 * and alerts. It counts requests per notification id and in total, as a receiver that honours
 * Idempotency-Key would see them (first request delivers, later ones with the same key are
 * re-sends).
 */
final class CountingSink implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request: the notification id, the payload's status and the alerts' labels. */
  record Request(Instant at, String id, String status, List<Map<String, String>> alerts) {}

  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> perId = new ConcurrentHashMap<>();

  private CountingSink(HttpServer server) {
    this.server = server;
  }

  static CountingSink start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      CountingSink sink = new CountingSink(server);
      server.setExecutor(sink.pool);
      server.createContext(
          "/",
          exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
              sink.record(
                  exchange.getRequestHeaders().getFirst("Idempotency-Key"), in.readAllBytes());
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
      server.start();
      return sink;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void record(String id, byte[] body) throws IOException {
    JsonNode payload = JSON.readTree(body);
    List<Map<String, String>> alerts = new ArrayList<>();
    for (JsonNode alert : payload.path("alerts")) {
      Map<String, String> labels = new ConcurrentHashMap<>();
      alert
          .path("labels")
          .fields()
          .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      labels.put("__status", alert.path("status").asText());
      alerts.add(labels);
    }
    requests.add(new Request(Instant.now(), id, payload.path("status").asText(), alerts));
    perId.merge(String.valueOf(id), 1, Integer::sum);
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/eo";
  }

  /** Requests whose alerts carry this label value (one test's alerts among others'). */
  List<Request> requests(String label, String value) {
    return requests.stream()
        .filter(r -> r.alerts().stream().anyMatch(a -> value.equals(a.get(label))))
        .toList();
  }

  /** Requests per notification id, among those. */
  static Map<String, Long> perId(List<Request> requests) {
    return requests.stream().collect(Collectors.groupingBy(Request::id, Collectors.counting()));
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
