package io.stackpilot.fleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local run's fault control API, on loopback:
 *
 * <ul>
 *   <li>{@code GET /faults}: what is in force in every cluster;
 *   <li>{@code GET /faults/{cluster}}: in one cluster;
 *   <li>{@code POST /faults/{cluster}} with a {@link FaultSpecs} JSON body: adds those faults;
 *   <li>{@code DELETE /faults/{cluster}}: clears them (and makes the cluster reachable).
 * </ul>
 *
 * Answers JSON; 404 for an unknown cluster, 400 for a bad spec, 405 for another method.
 */
final class ControlServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
  private static final String PREFIX = "/faults";

  private final FleetSimulator fleet;
  private final HttpServer server;

  private ControlServer(FleetSimulator fleet, HttpServer server) {
    this.fleet = fleet;
    this.server = server;
  }

  /** Listens on 127.0.0.1:{@code port} (0 for any free port). */
  static ControlServer start(FleetSimulator fleet, int port) {
    HttpServer server;
    try {
      server =
          HttpServer.create(
              new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for the control API on port " + port, e);
    }
    ControlServer control = new ControlServer(fleet, server);
    server.createContext(PREFIX, control::handle);
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "fleet-simulator-control");
              thread.setDaemon(true);
              return thread;
            }));
    server.start();
    return control;
  }

  /** The API's base URL, e.g. {@code http://127.0.0.1:40123}. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String rest = path.length() > PREFIX.length() ? path.substring(PREFIX.length() + 1) : "";
      String method = exchange.getRequestMethod();
      if (rest.isEmpty()) {
        if (!method.equals("GET")) {
          send(exchange, 405, error("use GET /faults or POST/DELETE /faults/{cluster}"));
          return;
        }
        ArrayNode all = FaultSpecs.JSON.createArrayNode();
        fleet.clusterNames().forEach(c -> all.add(FaultSpecs.describe(c, fleet.faults(c))));
        send(exchange, 200, all);
        return;
      }
      if (!fleet.clusterNames().contains(rest)) {
        send(exchange, 404, error("no simulated cluster " + rest));
        return;
      }
      ClusterFaults faults = fleet.faults(rest);
      switch (method) {
        case "GET" -> send(exchange, 200, FaultSpecs.describe(rest, faults));
        case "DELETE" -> {
          faults.clear();
          log.info("faults of cluster {} cleared", rest);
          send(exchange, 200, FaultSpecs.describe(rest, faults));
        }
        case "POST" -> post(exchange, rest, faults);
        default -> send(exchange, 405, error("use GET, POST or DELETE"));
      }
    }
  }

  private void post(HttpExchange exchange, String cluster, ClusterFaults faults)
      throws IOException {
    JsonNode spec;
    try {
      spec = FaultSpecs.JSON.readTree(exchange.getRequestBody());
      FaultSpecs.apply(spec == null ? FaultSpecs.JSON.nullNode() : spec, faults);
    } catch (IOException | IllegalArgumentException e) {
      send(exchange, 400, error(e.getMessage()));
      return;
    }
    log.info("faults injected into cluster {}: {}", cluster, spec);
    send(exchange, 200, FaultSpecs.describe(cluster, faults));
  }

  private static JsonNode error(String message) {
    return FaultSpecs.JSON.createObjectNode().put("error", message);
  }

  private static void send(HttpExchange exchange, int code, JsonNode body) throws IOException {
    byte[] bytes = FaultSpecs.JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
