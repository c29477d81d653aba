package io.stackpilot.planner.api;

import io.stackpilot.runtime.web.BearerTokenFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Guards the API's mutating calls with a bearer token ({@code stackpilot.planner.api-token}, from a
 * Secret in production). Reads and dry runs need none. A planner without a token refuses every
 * mutating call: an unguarded planner is a misconfiguration, not a default. The token is never
 * logged or echoed.
 */
@Component
public class ApiTokenFilter extends BearerTokenFilter {
  private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

  public ApiTokenFilter(@Value("${stackpilot.planner.api-token:}") String token) {
    super(token, "planner", "stackpilot.planner.api-token");
  }

  @Override
  protected boolean guards(HttpServletRequest request, String path) {
    return path.startsWith("/api/")
        && !READS.contains(request.getMethod())
        && !"true".equals(request.getParameter("dryRun"));
  }
}
