package io.stackpilot.local;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local run's notification receiver: a real HTTP endpoint that takes the notifier's
 * Alertmanager-format webhooks and prints their summary, as a phone would show it.
 */
final class WebhookReceiver implements AutoCloseable {
  private static final Pattern SUMMARY = Pattern.compile("\"summary\":\"([^\"]*)\"");
  private static final Pattern STATUS = Pattern.compile("^\\{.*?\"status\":\"([a-z]+)\"");

  private final HttpServer server;
  private final AtomicInteger received = new AtomicInteger();

  WebhookReceiver(int port, PrintStream out) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext(
        "/",
        exchange -> {
          String body;
          try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
          }
          received.incrementAndGet();
          out.println(
              "                        webhook   received             ["
                  + find(STATUS, body)
                  + "] "
                  + find(SUMMARY, body));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/stackpilot";
  }

  int received() {
    return received.get();
  }

  private static String find(Pattern p, String body) {
    Matcher m = p.matcher(body);
    return m.find() ? m.group(1) : "?";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
