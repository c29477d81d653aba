package io.stackpilot.stackctl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test double of the planner's documented REST contract (base path /api/v1, JSON bodies, RFC 7807
 * problems) on a JDK HTTP server. Each route answers its scripted responses in turn, the last one
 * again and again; an unscripted route answers 404. Every request is recorded.
 */
final class FakePlanner implements AutoCloseable {
  /** A request as the planner received it. */
  record Request(
      String method, String path, String query, Map<String, List<String>> headers, String body) {
    String header(String name) {
      List<String> values = headers.get(name);
      return values == null ? null : values.get(0);
    }

    String target() {
      return method + " " + path + (query == null ? "" : "?" + query);
    }
  }

  private record Response(int status, String contentType, String body) {}

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<Response>> routes = new ConcurrentHashMap<>();

  FakePlanner() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Scripts the next answer of {@code METHOD /api/v1/path} (path without the query). */
  FakePlanner on(String method, String path, int status, String json) {
    String contentType = status >= 400 ? "application/problem+json" : "application/json";
    routes
        .computeIfAbsent(method + " /api/v1" + path, k -> new ArrayDeque<>())
        .add(new Response(status, contentType, json));
    return this;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  Request only() {
    if (requests.size() != 1) {
      throw new AssertionError("expected one request, got " + requests);
    }
    return requests.get(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String path = exchange.getRequestURI().getRawPath();
    requests.add(
        new Request(
            exchange.getRequestMethod(),
            path,
            exchange.getRequestURI().getRawQuery(),
            caseInsensitive(exchange.getRequestHeaders()),
            body));
    Deque<Response> scripted = routes.get(exchange.getRequestMethod() + " " + path);
    Response response;
    if (scripted == null) {
      response =
          new Response(
              404, "application/problem+json", Contract.problem(404, "Not Found", "no " + path));
    } else {
      synchronized (scripted) {
        response = scripted.size() > 1 ? scripted.poll() : scripted.peek();
      }
    }
    byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", response.contentType());
    exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  private static Map<String, List<String>> caseInsensitive(Map<String, List<String>> headers) {
    Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    copy.putAll(headers);
    return copy;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
