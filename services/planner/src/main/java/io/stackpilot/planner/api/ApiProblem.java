package io.stackpilot.planner.api;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** A request the API answers with a problem other than an invalid spec: 404, 409, 503. */
public class ApiProblem extends RuntimeException {
  private final HttpStatus status;
  private final String title;
  private final Map<String, Object> properties;

  public ApiProblem(
      HttpStatus status, String title, String detail, Map<String, Object> properties) {
    super(detail);
    this.status = status;
    this.title = title;
    this.properties = properties;
  }

  public static ApiProblem notFound(String what) {
    return new ApiProblem(HttpStatus.NOT_FOUND, "not found", what, Map.of());
  }

  public HttpStatus status() {
    return status;
  }

  public String title() {
    return title;
  }

  public Map<String, Object> properties() {
    return properties;
  }
}
