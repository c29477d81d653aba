package io.stackpilot.runtime.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

/**
 * Guards a service's mutating HTTP calls with one bearer token (from a Secret in production). A
 * service without a token refuses every guarded call: an unguarded write API is a misconfiguration,
 * not a default. The token is compared in constant time and never logged or echoed.
 */
public abstract class BearerTokenFilter extends OncePerRequestFilter {
  private static final UrlPathHelper PATHS = new UrlPathHelper();

  private final byte[] token;
  private final String service;
  private final String property;

  /**
   * @param token the configured token; blank: none
   * @param service who refuses, for the message ("planner")
   * @param property the property that sets the token, named when none is configured
   */
  protected BearerTokenFilter(String token, String service, String property) {
    this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
    this.service = service;
    this.property = property;
  }

  /**
   * Whether the request needs the token.
   *
   * @param path the path within the application, decoded and normalized as the handler mapping sees
   *     it ({@code /%61pi/v1} is {@code /api/v1}), never the raw request URI
   */
  protected abstract boolean guards(HttpServletRequest request, String path);

  @Override
  protected final boolean shouldNotFilter(HttpServletRequest request) {
    return !guards(request, PATHS.getPathWithinApplication(request));
  }

  @Override
  protected final void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (token == null) {
      refuse(response, "this " + service + " has no API token configured (" + property + ")");
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
