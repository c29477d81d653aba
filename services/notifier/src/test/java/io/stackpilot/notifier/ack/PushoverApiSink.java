package io.stackpilot.notifier.ack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP endpoint on loopback that plays Pushover's message and receipts API as documented:
 * {@code POST /1/messages.json} (an emergency message, priority 2, gets a receipt), {@code GET
 * /1/receipts/{receipt}.json} (acknowledged once the test says so) and {@code POST
 * /1/receipts/{receipt}/cancel.json}. It records every message form and every cancel.
 */
public final class PushoverApiSink implements AutoCloseable {
  private final HttpServer server;
  private final String user;
  private final List<Map<String, String>> messages = new CopyOnWriteArrayList<>();
  private final List<String> receiptsIssued = new CopyOnWriteArrayList<>();
  private final List<String> cancelled = new CopyOnWriteArrayList<>();
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final AtomicInteger polls = new AtomicInteger();
  private final AtomicInteger next = new AtomicInteger();

  private PushoverApiSink(HttpServer server, String user) {
    this.server = server;
    this.user = user;
  }

  /** Starts it; acknowledgements name this user key, as Pushover's acknowledged_by does. */
  public static PushoverApiSink start(String user) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      PushoverApiSink sink = new PushoverApiSink(server, user);
      server.createContext("/1/", sink::handle);
      server.start();
      return sink;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String apiUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/1/";
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String answer;
    if (path.equals("/1/messages.json")) {
      Map<String, String> form = form(body);
      messages.add(form);
      if ("2".equals(form.get("priority"))) {
        String receipt =
            "rcpt" + next.incrementAndGet() + "x" + Long.toHexString(System.nanoTime());
        receiptsIssued.add(receipt);
        answer = "{\"status\":1,\"request\":\"req\",\"receipt\":\"" + receipt + "\"}";
      } else {
        answer = "{\"status\":1,\"request\":\"req\"}";
      }
    } else if (path.endsWith("/cancel.json")) {
      cancelled.add(
          path.substring("/1/receipts/".length(), path.length() - "/cancel.json".length()));
      answer = "{\"status\":1,\"request\":\"req\"}";
    } else if (path.startsWith("/1/receipts/") && path.endsWith(".json")) {
      polls.incrementAndGet();
      String receipt = path.substring("/1/receipts/".length(), path.length() - ".json".length());
      boolean acked = acknowledged.contains(receipt);
      long now = Instant.now().getEpochSecond();
      answer =
          "{\"status\":1,\"acknowledged\":"
              + (acked ? 1 : 0)
              + ",\"acknowledged_at\":"
              + (acked ? now : 0)
              + ",\"acknowledged_by\":\""
              + (acked ? user : "")
              + "\",\"acknowledged_by_device\":\""
              + (acked ? "phone" : "")
              + "\",\"last_delivered_at\":"
              + now
              + ",\"expired\":0,\"expires_at\":"
              + (now + 3600)
              + ",\"called_back\":0,\"called_back_at\":0,\"request\":\"req\"}";
    } else {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
      return;
    }
    byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }

  /** The person taps "acknowledge" on this receipt's notification. */
  public void acknowledge(String receipt) {
    acknowledged.add(receipt);
  }

  public List<Map<String, String>> messages() {
    return List.copyOf(messages);
  }

  public List<String> receipts() {
    return List.copyOf(receiptsIssued);
  }

  public List<String> cancelled() {
    return List.copyOf(cancelled);
  }

  public int polls() {
    return polls.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
