package io.stackpilot.planner.api;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.stackpilot.runtime.tracing.Tracing;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Serves every API call inside a server span, child of the caller's {@code traceparent} header when
 * it sends one: a declared change's trace starts here and follows its events through the services.
 * Runs before the token filter, so refused calls are traced too.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class TracingFilter extends OncePerRequestFilter {
  private static final TextMapGetter<HttpServletRequest> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpServletRequest carrier) {
          return Collections.list(carrier.getHeaderNames());
        }

        @Override
        public String get(HttpServletRequest carrier, String key) {
          return carrier.getHeader(key);
        }
      };

  private final Tracing tracing;

  public TracingFilter(Tracing tracing) {
    this.tracing = tracing;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !tracing.enabled() || !request.getRequestURI().startsWith("/api/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Context parent =
        W3CTraceContextPropagator.getInstance().extract(Context.root(), request, HEADERS);
    Span span =
        tracing
            .tracer()
            .spanBuilder(request.getMethod() + " " + request.getRequestURI())
            .setSpanKind(SpanKind.SERVER)
            .setParent(parent)
            .setAttribute("http.request.method", request.getMethod())
            .setAttribute("url.path", request.getRequestURI())
            .startSpan();
    try (Scope scope = span.makeCurrent()) {
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR);
      throw e;
    } finally {
      Object route = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
      if (route != null) {
        span.updateName(request.getMethod() + " " + route);
        span.setAttribute("http.route", route.toString());
      }
      span.setAttribute("http.response.status_code", (long) response.getStatus());
      if (response.getStatus() >= 500) {
        span.setStatus(StatusCode.ERROR);
      }
      span.end();
    }
  }
}
