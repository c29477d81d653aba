package io.stackpilot.fleet.simulator;

import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.CustomResourceAware;
import io.fabric8.kubernetes.client.server.mock.Resetable;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * One simulated cluster's request router: recorded expectations first (/version, root paths, faults
 * a test injects with {@code server.expect()}), everything else from the CRUD store.
 *
 * <p>Mirrors fabric8's {@code KubernetesMixedDispatcher}, which cannot take another CRUD store.
 */
final class SimulatedClusterDispatcher extends Dispatcher
    implements Resetable, CustomResourceAware {

  private final Map<ServerRequest, Queue<ServerResponse>> responses;
  private final MockDispatcher expectations;
  private final ServerSideApplyDispatcher store;

  SimulatedClusterDispatcher(
      Map<ServerRequest, Queue<ServerResponse>> responses,
      List<CustomResourceDefinitionContext> customResources) {
    this.responses = responses;
    this.expectations = new MockDispatcher(responses);
    this.store = new ServerSideApplyDispatcher(customResources);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    Queue<ServerResponse> queued =
        responses.get(new SimpleRequest(request.method(), request.getPath()));
    if (queued != null && !queued.isEmpty()) {
      return expectations.dispatch(request);
    }
    return store.dispatch(request);
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
