package io.stackpilot.fleet.simulator;

import io.fabric8.mockwebserver.http.MockResponse;

/** The answers of an API server that fails a request: a {@code Status} body, as the real one. */
final class ApiErrorResponses {

  private ApiErrorResponses() {}

  static MockResponse of(ClusterFaults.ApiErrors error) {
    int code = error.code();
    String reason =
        switch (code) {
          case 401 -> "Unauthorized";
          case 403 -> "Forbidden";
          case 404 -> "NotFound";
          case 409 -> "Conflict";
          case 422 -> "Invalid";
          case 429 -> "TooManyRequests";
          case 503 -> "ServiceUnavailable";
          case 504 -> "Timeout";
          default -> code >= 500 ? "InternalError" : "BadRequest";
        };
    String message = "simulated fault: " + reason + " (" + code + ")";
    MockResponse response =
        new MockResponse()
            .setResponseCode(code)
            .setHeader("Content-Type", "application/json")
            .setBody(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                    + "\"message\":\""
                    + message
                    + "\",\"reason\":\""
                    + reason
                    + "\",\"code\":"
                    + code
                    + "}");
    if (code == 429) {
      response.setHeader("Retry-After", String.valueOf(error.retryAfterSeconds()));
    }
    return response;
  }
}
