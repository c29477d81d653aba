package io.stackpilot.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real HTTP endpoint on loopback that records every request body it is sent (a webhook). */
public final class HttpSink implements AutoCloseable {
  private final HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> idempotencyKeys = new CopyOnWriteArrayList<>();
  private volatile int status = 200;

  private HttpSink(HttpServer server) {
    this.server = server;
  }

  public static HttpSink start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      HttpSink sink = new HttpSink(server);
      server.createContext(
          "/",
          exchange -> {
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            sink.idempotencyKeys.add(key == null ? "" : key);
            try (InputStream in = exchange.getRequestBody()) {
              sink.bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(sink.status, -1);
            exchange.close();
          });
      server.start();
      return sink;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The URL to send to; the path is ignored. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/test";
  }

  /** Answer every later request with this status (to test failing receivers). */
  public void respondWith(int status) {
    this.status = status;
  }

  public List<String> bodies() {
    return List.copyOf(bodies);
  }

  /** The {@code Idempotency-Key} header of every request, in arrival order ("" when absent). */
  public List<String> idempotencyKeys() {
    return List.copyOf(idempotencyKeys);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
