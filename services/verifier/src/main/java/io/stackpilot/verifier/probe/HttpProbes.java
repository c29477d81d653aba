package io.stackpilot.verifier.probe;

import io.stackpilot.events.ProbeKind;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks the seeds run by hand with curl after a deployment, as probes: each component's
 * readiness endpoint (with the cluster's tenant header where the component is multi-tenant), and a
 * blackbox exporter's {@code /probe} of a URL with a module. Every probe is bounded by a timeout
 * and says why it failed: the status and the start of the body, or the connection error.
 */
public final class HttpProbes {
  /** Readiness endpoints by component type, as each project documents them. */
  static final Map<String, String> READINESS =
      Map.ofEntries(
          Map.entry("prometheus", "/-/ready"),
          Map.entry("kube-prometheus-stack", "/-/ready"),
          Map.entry("alertmanager", "/-/healthy"),
          Map.entry("loki", "/ready"),
          Map.entry("tempo", "/ready"),
          Map.entry("mimir", "/ready"),
          Map.entry("grafana", "/api/health"),
          Map.entry("alloy", "/-/ready"),
          Map.entry("pyroscope", "/ready"),
          Map.entry("thanos", "/-/ready"),
          Map.entry("blackbox-exporter", "/-/healthy"));

  /** Components whose HTTP API is per tenant: readiness is asked with X-Scope-OrgID. */
  static final Set<String> MULTI_TENANT = Set.of("loki", "tempo", "mimir", "pyroscope");

  private static final Pattern PROBE_SUCCESS =
      Pattern.compile("(?m)^probe_success\\s+([0-9.eE+-]+)\\s*$");

  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;

  public HttpProbes(HttpClient http, Duration timeout, Clock clock) {
    this.http = http;
    this.timeout = timeout;
    this.clock = clock;
  }

  /** The readiness path of a component type, if it has one. */
  public static Optional<String> readinessPath(String componentType) {
    return Optional.ofNullable(READINESS.get(componentType));
  }

  /**
   * GETs the component's readiness endpoint; 200 is ready.
   *
   * @param tenant the cluster's tenant, sent as X-Scope-OrgID to multi-tenant components
   */
  public ProbeOutcome readiness(URI base, String componentType, String tenant) {
    String path =
        readinessPath(componentType)
            .orElseThrow(
                () -> new IllegalArgumentException("no readiness endpoint for " + componentType));
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
    if (tenant != null && MULTI_TENANT.contains(componentType)) {
      request.header("X-Scope-OrgID", tenant);
    }
    return get(ProbeKind.READINESS, request.build(), body -> null);
  }

  /**
   * Asks a blackbox exporter to probe {@code target} with {@code module}; success is its {@code
   * probe_success 1}, the latency the whole ask (the exporter's probe included).
   */
  public ProbeOutcome blackbox(URI exporter, String target, String module) {
    URI uri =
        exporter.resolve(
            "/probe?target="
                + URLEncoder.encode(target, StandardCharsets.UTF_8)
                + "&module="
                + URLEncoder.encode(module, StandardCharsets.UTF_8));
    ProbeOutcome asked =
        get(
            ProbeKind.BLACKBOX,
            HttpRequest.newBuilder(uri).timeout(timeout).build(),
            body -> {
              Matcher m = PROBE_SUCCESS.matcher(body);
              if (!m.find()) {
                return "the exporter's answer has no probe_success";
              }
              return Double.parseDouble(m.group(1)) == 1.0
                  ? null
                  : "probe_success 0 for " + target + " with module " + module;
            });
    if (asked.httpStatus() == null || asked.httpStatus() != 200) {
      return asked;
    }
    return new ProbeOutcome(
        ProbeKind.BLACKBOX,
        target,
        asked.success(),
        asked.latencyMillis(),
        asked.httpStatus(),
        asked.success() ? "probe_success 1 (" + module + ")" : asked.message());
  }

  /** Why a 200 body is still a failure, or null when it is a success. */
  private interface BodyCheck {
    String failure(String body);
  }

  private ProbeOutcome get(ProbeKind kind, HttpRequest request, BodyCheck check) {
    String target =
        request.uri().getScheme() + "://" + request.uri().getAuthority() + request.uri().getPath();
    long start = clock.millis();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      long latency = clock.millis() - start;
      int status = response.statusCode();
      if (status != 200) {
        return new ProbeOutcome(
            kind, target, false, latency, status, "HTTP " + status + ": " + head(response.body()));
      }
      String failure = check.failure(response.body());
      return new ProbeOutcome(
          kind, target, failure == null, latency, status, failure == null ? "HTTP 200" : failure);
    } catch (IOException e) {
      return new ProbeOutcome(
          kind, target, false, clock.millis() - start, null, "no answer: " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ProbeOutcome(kind, target, false, clock.millis() - start, null, "interrupted");
    }
  }

  static String describe(IOException e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
  }

  private static String head(String body) {
    String oneLine = body == null ? "" : body.strip().replaceAll("\\s+", " ");
    return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
  }
}
