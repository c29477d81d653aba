package io.stackpilot.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;

/**
 * Classifies a failed Kubernetes API call: a reason that maps to a step-failed event, and whether
 * trying again can help (timeouts, 429, 5xx, refused connections) or not (403, 404, 422, ...).
 */
public record ApiFailure(Reason reason, boolean retriable, String message) {

  /** Why an API call failed, in words an operator reads on a step-failed event. */
  public enum Reason {
    FORBIDDEN("Forbidden"),
    NOT_FOUND("NotFound"),
    INVALID("Invalid"),
    CONFLICT("Conflict"),
    THROTTLED("Throttled"),
    SERVER_ERROR("ServerError"),
    TIMEOUT("Timeout"),
    UNREACHABLE("Unreachable"),
    UNKNOWN_CLUSTER("UnknownCluster"),
    UNEXPECTED("Unexpected");

    private final String text;

    Reason(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }
  }

  public static ApiFailure of(Throwable error) {
    if (error instanceof UnknownClusterException e) {
      return new ApiFailure(Reason.UNKNOWN_CLUSTER, false, e.getMessage());
    }
    if (error instanceof KubernetesClientException e && e.getCode() > 0) {
      return fromStatus(e.getCode(), e.getMessage());
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
        return new ApiFailure(Reason.TIMEOUT, true, error.getMessage());
      }
      if (t instanceof ConnectException) {
        return new ApiFailure(Reason.UNREACHABLE, true, error.getMessage());
      }
      if (t instanceof IOException) {
        return new ApiFailure(Reason.UNREACHABLE, true, error.getMessage());
      }
    }
    return new ApiFailure(Reason.UNEXPECTED, false, String.valueOf(error));
  }

  static ApiFailure fromStatus(int code, String message) {
    return switch (code) {
      case 403, 401 -> new ApiFailure(Reason.FORBIDDEN, false, message);
      case 404 -> new ApiFailure(Reason.NOT_FOUND, false, message);
      case 409 -> new ApiFailure(Reason.CONFLICT, true, message);
      case 422, 400, 415 -> new ApiFailure(Reason.INVALID, false, message);
      case 429 -> new ApiFailure(Reason.THROTTLED, true, message);
      default ->
          code >= 500
              ? new ApiFailure(Reason.SERVER_ERROR, true, message)
              : new ApiFailure(Reason.UNEXPECTED, false, message);
    };
  }
}
