package io.stackpilot.fleet.simulator;

import io.fabric8.kubernetes.api.model.RootPathsBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.MockServerExpectation;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockServerExpectationImpl;
import io.fabric8.mockwebserver.vertx.HttpServerRequestHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One simulated cluster: its own port, store, expectations, faults and controllers. The HTTP server
 * is a vert.x server on the fleet's shared {@link Vertx} (see DESIGN.md, "Scale"); it is closed
 * when the cluster is made unreachable and listens again on the same port when it comes back, while
 * the store and everything else stay.
 */
final class SimulatedCluster implements ClusterFaults.Reachability {

  private static final List<String> WEBSOCKET_SUB_PROTOCOLS =
      List.of("v1.channel.k8s.io", "v2.channel.k8s.io", "v3.channel.k8s.io", "v4.channel.k8s.io");
  private static final VersionInfo VERSION =
      new VersionInfo.Builder()
          .withMajor("1")
          .withMinor("31")
          .withGitVersion("v1.31.0-fleet-simulator")
          .build();

  private final String name;
  private final Vertx vertx;
  private final InetAddress address;
  private final Map<ServerRequest, Queue<ServerResponse>> responses = new ConcurrentHashMap<>();
  private final Context context;
  private final SimulatedClusterDispatcher dispatcher;
  private final ClusterFaults faults;
  private final ReleaseController controller;
  private HttpServer http;
  private volatile boolean reachable;
  private volatile int port;

  @SuppressWarnings("deprecation") // the mapper fabric8's own mock server uses
  private SimulatedCluster(
      String name,
      Vertx vertx,
      InetAddress address,
      List<CustomResourceDefinitionContext> crds,
      ScheduledExecutorService controllers) {
    this.name = name;
    this.vertx = vertx;
    this.address = address;
    this.context = new Context(Serialization.jsonMapper());
    this.faults = new ClusterFaults(this, Duration.ZERO);
    this.dispatcher = new SimulatedClusterDispatcher(responses, crds, faults);
    this.controller = new ReleaseController(name, dispatcher.store(), faults, controllers);
    dispatcher.controller(controller);
    // what fabric8's KubernetesMockServer answers from the start: root paths and a version that
    // clients checking it find plausible
    expect()
        .get()
        .withPath("/")
        .andReturn(200, new RootPathsBuilder().addToPaths("/api", "/apis/extensions").build())
        .always();
    expect().get().withPath("/version").andReturn(200, VERSION).always();
  }

  /** Creates the cluster and listens on a free port of {@code address}. */
  static SimulatedCluster start(
      String name,
      Vertx vertx,
      InetAddress address,
      List<CustomResourceDefinitionContext> crds,
      ScheduledExecutorService controllers) {
    SimulatedCluster cluster = new SimulatedCluster(name, vertx, address, crds, controllers);
    cluster.listen(0);
    return cluster;
  }

  private synchronized void listen(int requestedPort) {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(address.getHostAddress())
            .setPort(requestedPort)
            // a real API server does not speak HTTP/2 over cleartext; clients should not meet it
            .setHttp2ClearTextEnabled(false)
            .setAlpnVersions(List.of(HttpVersion.HTTP_1_1))
            .setWebSocketSubProtocols(WEBSOCKET_SUB_PROTOCOLS)
            .setHandle100ContinueAutomatically(true);
    HttpServer server = vertx.createHttpServer(options);
    server.requestHandler(
        new HttpServerRequestHandler(vertx) {
          @Override
          protected MockResponse onHttpRequest(RecordedRequest request) {
            return dispatcher.dispatch(request);
          }
        });
    this.http = await(server.listen(), "cannot listen for simulated cluster " + name);
    this.port = http.actualPort();
    this.reachable = true;
  }

  String name() {
    return name;
  }

  ClusterFaults faults() {
    return faults;
  }

  SimulatedClusterDispatcher dispatcher() {
    return dispatcher;
  }

  /**
   * Records a canned answer, as fabric8's {@code server.expect()} does; answered before the store.
   */
  MockServerExpectation expect() {
    return new MockServerExpectationImpl(responses, context);
  }

  String apiUrl() {
    return "http://" + address.getHostAddress() + ":" + port;
  }

  @Override
  public synchronized void unreachable() {
    if (reachable) {
      reachable = false;
      // closes the listening socket and every open connection, watches included
      await(http.close(), "cannot close simulated cluster " + name);
    }
  }

  @Override
  public synchronized void reachable() {
    if (!reachable) {
      listen(port);
    }
  }

  @Override
  public boolean isReachable() {
    return reachable;
  }

  synchronized void stop() {
    controller.stop();
    unreachable();
    dispatcher.shutdown();
    dispatcher.releaseResources();
  }

  private static <T> T await(Future<T> future, String failure) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(failure, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(failure + ": " + e.getMessage(), e);
    }
  }
}
