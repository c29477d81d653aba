package io.stackpilot.notifier.silence;

import io.stackpilot.runtime.web.BearerTokenFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Guards the silences API's writes with a bearer token ({@code stackpilot.notifier.api-token}):
 * whoever can create a silence can mute pages. Reads need none, nor do the routing validation and
 * what-if, which change nothing; wave silences are written inside the notifier. Alertmanager's own
 * API has no auth; amtool sends a bearer token with {@code --http.config.file}.
 */
@Component
class SilenceWritesFilter extends BearerTokenFilter {
  private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

  SilenceWritesFilter(@Value("${stackpilot.notifier.api-token:}") String token) {
    super(token, "notifier", "stackpilot.notifier.api-token");
  }

  @Override
  protected boolean guards(HttpServletRequest request, String path) {
    return path.startsWith("/api/v2/silence") && !READS.contains(request.getMethod());
  }
}
