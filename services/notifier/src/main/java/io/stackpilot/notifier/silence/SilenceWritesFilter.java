package io.stackpilot.notifier.silence;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards the silences API's writes with a bearer token ({@code stackpilot.notifier.api-token}, from
 * a Secret in production): whoever can create a silence can mute pages. Reads need none, as the
 * routing validation and what-if, which change nothing. A notifier without a token refuses every
 * write, as the planner does; its wave silences are written inside the notifier and need none. The
 * token is never logged or echoed. Alertmanager's own API has no auth; amtool sends a bearer token
 * with {@code --http.config.file}.
 */
@Component
class SilenceWritesFilter extends OncePerRequestFilter {
  private final byte[] token;

  SilenceWritesFilter(@Value("${stackpilot.notifier.api-token:}") String token) {
    this.token = token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    String method = request.getMethod();
    return !request.getRequestURI().startsWith("/api/v2/silence")
        || method.equals("GET")
        || method.equals("HEAD")
        || method.equals("OPTIONS");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (token == null) {
      refuse(response, "this notifier has no API token configured (stackpilot.notifier.api-token)");
      return;
    }
    String header = request.getHeader("Authorization");
    byte[] given =
        header != null && header.startsWith("Bearer ")
            ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8)
            : new byte[0];
    if (!MessageDigest.isEqual(token, given)) {
      refuse(response, "missing or wrong bearer token in Authorization");
      return;
    }
    chain.doFilter(request, response);
  }

  private static void refuse(HttpServletResponse response, String detail) throws IOException {
    response.setStatus(HttpStatus.UNAUTHORIZED.value());
    response.setHeader("WWW-Authenticate", "Bearer realm=\"stackpilot\"");
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response
        .getWriter()
        .write(
            "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\""
                + detail
                + "\"}");
  }
}
