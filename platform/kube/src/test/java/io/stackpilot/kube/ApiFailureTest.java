package io.stackpilot.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** Proves which API failures a step may retry and which fail it at once. */
class ApiFailureTest {

  @Test
  void permanentStatusesFailTheStepAtOnce() {
    assertThat(ApiFailure.fromStatus(403, "no").retriable()).isFalse();
    assertThat(ApiFailure.fromStatus(404, "crd missing").reason())
        .isEqualTo(ApiFailure.Reason.NOT_FOUND);
    assertThat(ApiFailure.fromStatus(422, "bad").retriable()).isFalse();
  }

  @Test
  void transientStatusesAndNetworkErrorsAreRetriable() {
    assertThat(ApiFailure.fromStatus(429, "slow down").retriable()).isTrue();
    assertThat(ApiFailure.fromStatus(503, "busy").retriable()).isTrue();
    ApiFailure refused =
        ApiFailure.of(new KubernetesClientException("boom", new ConnectException("refused")));
    assertThat(refused.reason()).isEqualTo(ApiFailure.Reason.UNREACHABLE);
    assertThat(refused.retriable()).isTrue();
  }

  @Test
  void anUnknownClusterIsPermanent() {
    ApiFailure failure = ApiFailure.of(new UnknownClusterException("mars", "no context"));
    assertThat(failure.reason().text()).isEqualTo("UnknownCluster");
    assertThat(failure.retriable()).isFalse();
  }
}
