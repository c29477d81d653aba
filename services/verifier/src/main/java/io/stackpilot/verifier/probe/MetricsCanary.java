package io.stackpilot.verifier.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackpilot.events.ProbeKind;
import java.io.ByteArrayOutputStream;
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
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import org.xerial.snappy.Snappy;

/**
 * The metrics write→read canary: remote-writes one uniquely labelled sample to a Prometheus (with
 * {@code --web.enable-remote-write-receiver}) or Mimir ({@code /api/v1/push}, with the tenant
 * header), then queries it back until it is there or the deadline passes. Success means the write
 * path and the read path both work, end to end; the latency is from the write to the first read
 * that finds the sample.
 *
 * <p>The write is Prometheus remote-write 1.0: a protobuf {@code WriteRequest} compressed with
 * snappy's block format, encoded here by hand (one series, one sample) rather than through the
 * generated protobuf classes.
 */
public final class MetricsCanary {
  static final String METRIC = "stackpilot_canary";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final Duration timeout;
  private final Clock clock;

  public MetricsCanary(HttpClient http, Duration timeout, Clock clock) {
    this.http = http;
    this.timeout = timeout;
    this.clock = clock;
  }

  /**
   * @param writePath {@code /api/v1/write} for Prometheus, {@code /api/v1/push} for Mimir
   * @param queryBase the base URL of the query API (Mimir: {@code .../prometheus})
   * @param tenant the X-Scope-OrgID to write and read as, or null
   * @param probeId the unique value of the canary's {@code probe_id} label
   */
  public ProbeOutcome writeRead(
      URI base, String writePath, URI queryBase, String tenant, String probeId) {
    URI write = base.resolve(writePath);
    String target = write.toString();
    long start = clock.millis();
    Map<String, String> labels = new TreeMap<>();
    labels.put("__name__", METRIC);
    labels.put("probe_id", probeId);
    try {
      HttpRequest.Builder post =
          HttpRequest.newBuilder(write)
              .timeout(timeout)
              .header("Content-Type", "application/x-protobuf")
              .header("Content-Encoding", "snappy")
              .header("X-Prometheus-Remote-Write-Version", "0.1.0")
              .POST(
                  HttpRequest.BodyPublishers.ofByteArray(
                      Snappy.compress(writeRequest(labels, 1.0, start))));
      if (tenant != null) {
        post.header("X-Scope-OrgID", tenant);
      }
      HttpResponse<String> written = http.send(post.build(), HttpResponse.BodyHandlers.ofString());
      if (written.statusCode() / 100 != 2) {
        return failed(target, start, written.statusCode(), "write refused: " + written.body());
      }
      String query = METRIC + "{probe_id=\"" + probeId + "\"}";
      long deadline = start + timeout.toMillis();
      long backoff = 50;
      while (true) {
        HttpRequest.Builder get =
            HttpRequest.newBuilder(
                    queryBase.resolve(
                        "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                .timeout(timeout);
        if (tenant != null) {
          get.header("X-Scope-OrgID", tenant);
        }
        HttpResponse<String> read = http.send(get.build(), HttpResponse.BodyHandlers.ofString());
        if (read.statusCode() != 200) {
          return failed(target, start, read.statusCode(), "read refused: " + read.body());
        }
        JsonNode result = JSON.readTree(read.body()).path("data").path("result");
        if (!result.isEmpty()) {
          return new ProbeOutcome(
              ProbeKind.WRITE_READ,
              target,
              true,
              clock.millis() - start,
              200,
              "sample " + probeId + " written and read back");
        }
        if (clock.millis() + backoff > deadline) {
          return failed(
              target, start, 200, "sample " + probeId + " written but not readable in " + timeout);
        }
        LockSupport.parkNanos(Duration.ofMillis(backoff).toNanos()); // the read path's lag
        backoff = Math.min(backoff * 2, 1_000);
      }
    } catch (IOException e) {
      return failed(target, start, null, "no answer: " + HttpProbes.describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(target, start, null, "interrupted");
    }
  }

  private ProbeOutcome failed(String target, long start, Integer status, String message) {
    return new ProbeOutcome(
        ProbeKind.WRITE_READ, target, false, clock.millis() - start, status, message);
  }

  /**
   * {@code WriteRequest{timeseries: [TimeSeries{labels, samples: [Sample{value, timestamp}]}]}}:
   * field 1 of WriteRequest, fields 1 (labels) and 2 (samples) of TimeSeries, Label{name=1,
   * value=2}, Sample{value=1 (double), timestamp=2 (int64 ms)}. Labels sorted by name.
   */
  static byte[] writeRequest(Map<String, String> labels, double value, long timestampMillis) {
    ByteArrayOutputStream series = new ByteArrayOutputStream();
    new TreeMap<>(labels)
        .forEach(
            (name, v) -> {
              ByteArrayOutputStream label = new ByteArrayOutputStream();
              bytesField(label, 1, name.getBytes(StandardCharsets.UTF_8));
              bytesField(label, 2, v.getBytes(StandardCharsets.UTF_8));
              bytesField(series, 1, label.toByteArray());
            });
    ByteArrayOutputStream sample = new ByteArrayOutputStream();
    tag(sample, 1, 1); // fixed64
    long bits = Double.doubleToLongBits(value);
    for (int i = 0; i < 8; i++) {
      sample.write((int) (bits >>> (8 * i)) & 0xff);
    }
    tag(sample, 2, 0); // varint
    varint(sample, timestampMillis);
    bytesField(series, 2, sample.toByteArray());
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    bytesField(request, 1, series.toByteArray());
    return request.toByteArray();
  }

  private static void bytesField(ByteArrayOutputStream out, int field, byte[] bytes) {
    tag(out, field, 2);
    varint(out, bytes.length);
    out.writeBytes(bytes);
  }

  private static void tag(ByteArrayOutputStream out, int field, int wireType) {
    varint(out, ((long) field << 3) | wireType);
  }

  private static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
