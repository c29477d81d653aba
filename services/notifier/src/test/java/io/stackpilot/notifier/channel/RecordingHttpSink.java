package io.stackpilot.notifier.channel;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP endpoint on loopback that records each request exactly (method, path, query, headers,
 * body) and answers with a chosen status and body. The shared {@code HttpSink} records bodies only,
 * and channels must be checked on their headers and paths too.
 */
final class RecordingHttpSink implements AutoCloseable {

  /** One request as it arrived. */
  record Request(String method, String path, String rawQuery, Headers headers, String body) {
    String header(String name) {
      return headers.getFirst(name);
    }

    /** The body (or query) read as an application/x-www-form-urlencoded form. */
    static Map<String, String> form(String encoded) {
      Map<String, String> out = new LinkedHashMap<>();
      if (encoded == null || encoded.isEmpty()) {
        return out;
      }
      for (String pair : encoded.split("&")) {
        int eq = pair.indexOf('=');
        out.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
      return out;
    }

    Map<String, String> form() {
      return form(body);
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile int status = 200;
  private volatile String responseBody = "";
  private volatile Map<String, String> responseHeaders = Map.of();
  private volatile boolean hang;

  private RecordingHttpSink(HttpServer server) {
    this.server = server;
  }

  static RecordingHttpSink start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(Executors.newCachedThreadPool());
      RecordingHttpSink sink = new RecordingHttpSink(server);
      server.createContext(
          "/",
          exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
              body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Headers headers = new Headers();
            headers.putAll(exchange.getRequestHeaders());
            sink.requests.add(
                new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(),
                    headers,
                    body));
            if (sink.hang) {
              try {
                sink.release.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            byte[] out = sink.responseBody.getBytes(StandardCharsets.UTF_8);
            sink.responseHeaders.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(sink.status, out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
              try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
              }
            }
            exchange.close();
          });
      server.start();
      return sink;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  String url(String path) {
    return base() + path;
  }

  RecordingHttpSink respond(int status, String body) {
    this.status = status;
    this.responseBody = body;
    return this;
  }

  RecordingHttpSink respondHeader(String name, String value) {
    this.responseHeaders = Map.of(name, value);
    return this;
  }

  /** Never answer (until closed): a receiver that accepted the connection and hangs. */
  RecordingHttpSink hang() {
    this.hang = true;
    return this;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  Request only() {
    if (requests.size() != 1) {
      throw new AssertionError("expected exactly one request, got " + requests.size());
    }
    return requests.get(0);
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
  }
}
