package io.stackpilot.fleet.simulator;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.CustomResourceAware;
import io.fabric8.kubernetes.client.server.mock.Resetable;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;

/**
 * One simulated cluster's request router: injected API faults first, then recorded expectations
 * (/version, root paths, what a test adds with {@code server.expect()}), everything else from the
 * CRUD store; successful writes to releases are handed to the cluster's controllers.
 *
 * <p>Mirrors fabric8's {@code KubernetesMixedDispatcher}, which cannot take another CRUD store.
 */
final class SimulatedClusterDispatcher extends Dispatcher
    implements Resetable, CustomResourceAware {

  private final Map<ServerRequest, Queue<ServerResponse>> responses;
  private final MockDispatcher expectations;
  private final ServerSideApplyDispatcher store;
  private final ClusterFaults faults;
  private volatile ReleaseController controller;
  private final WriteCounts writes = new WriteCounts();

  SimulatedClusterDispatcher(
      Map<ServerRequest, Queue<ServerResponse>> responses,
      List<CustomResourceDefinitionContext> customResources,
      ClusterFaults faults) {
    this.responses = responses;
    this.expectations = new MockDispatcher(responses);
    this.store = new ServerSideApplyDispatcher(customResources);
    this.faults = faults;
  }

  ServerSideApplyDispatcher store() {
    return store;
  }

  WriteCounts writes() {
    return writes;
  }

  void controller(ReleaseController controller) {
    this.controller = controller;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    long sequence = faults.nextRequest();
    Optional<ClusterFaults.ApiErrors> error = faults.apiErrorFor(path, sequence);
    if (error.isPresent()) {
      return ApiErrorResponses.of(error.get());
    }
    Queue<ServerResponse> queued = responses.get(new SimpleRequest(request.method(), path));
    if (queued != null && !queued.isEmpty()) {
      return expectations.dispatch(request);
    }
    MockResponse response = store.dispatch(request);
    ReleaseController current = controller;
    if (response.code() >= 200 && response.code() < 300 && request.method() != HttpMethod.GET) {
      writes.count(request.method(), path, response);
      if (current != null) {
        current.afterWrite(request.method(), path);
      }
    }
    Optional<ClusterFaults.Timeouts> timeout = faults.timeoutFor(path, sequence);
    if (timeout.isPresent() && response.getWebSocketListener() == null) {
      if (response.getBody() == null || response.getBody().size() == 0) {
        response.setBody("{}");
      }
      // the vert.x handler holds the whole answer (status line included) until the delay ends
      response.setBodyDelay(timeout.get().hold());
    }
    return response;
  }

  @Override
  public void shutdown() {
    expectations.shutdown();
    store.shutdown();
  }

  @Override
  public void releaseResources() {
    expectations.releaseResources();
    store.releaseResources();
  }

  @Override
  public void reset() {
    store.reset();
  }

  @Override
  public void expectCustomResource(CustomResourceDefinitionContext context) {
    store.expectCustomResource(context);
  }
}
