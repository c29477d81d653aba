package io.stackpilot.planner.console;

import io.stackpilot.history.Selection;
import io.stackpilot.history.Timeline;
import io.stackpilot.history.TimelineEntry;
import io.stackpilot.history.TopicRangeReader;
import io.stackpilot.planner.api.ApiProblem;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The web console's read API: the fleet grid and the rollouts (from the rollout loop's read model,
 * rebuilt from the topics at start), a cluster's audit timeline (read from the topics on each
 * request, as {@code /api/v1/audit} does), and the live stream. Read-only, so open like every GET
 * of the planner ({@code ApiTokenFilter} guards only mutating calls).
 */
@RestController
public class ConsoleController {
  /** A cluster name as fleets declare them (DNS label-ish), so a bad path is a 400, not a scan. */
  private static final Pattern CLUSTER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

  static final int MAX_ENTRIES = 500;

  private final ConsoleStream stream;
  private final TopicRangeReader reader;

  public ConsoleController(
      ConsoleStream stream,
      @Value("${stackpilot.kafka.bootstrap-servers}") String bootstrap,
      @Value("${stackpilot.registry.url}") String registry) {
    this.stream = stream;
    this.reader = new TopicRangeReader(new TopicRangeReader.Settings(bootstrap, registry));
  }

  /** The console page itself: {@code /console} serves the static single page. */
  @GetMapping("/console")
  public org.springframework.web.servlet.view.RedirectView page() {
    return new org.springframework.web.servlet.view.RedirectView("/console/index.html");
  }

  /** The grid and the rollouts, as the stream pushes them. */
  @GetMapping(path = "/api/v1/console/fleet", produces = MediaType.APPLICATION_JSON_VALUE)
  public ConsoleView.Snapshot fleet() {
    return stream.snapshot();
  }

  /** One cluster's timeline: the events that name it, in causal order, the latest {@code limit}. */
  public record ClusterTimeline(String cluster, int total, List<Entry> entries) {}

  /** A timeline entry as the console shows it (the audit's entry without its YAML diff). */
  public record Entry(
      String at,
      String type,
      String actor,
      String component,
      String summary,
      String reason,
      String eventId,
      String causationId,
      String correlationId) {
    static Entry of(TimelineEntry e) {
      return new Entry(
          e.occurredAt(),
          e.type(),
          e.actor(),
          e.component(),
          e.summary(),
          e.reason(),
          e.eventId(),
          e.causationId(),
          e.correlationId());
    }
  }

  @GetMapping(
      path = "/api/v1/console/clusters/{cluster}/timeline",
      produces = MediaType.APPLICATION_JSON_VALUE)
  public ClusterTimeline timeline(
      @PathVariable("cluster") String cluster,
      @RequestParam(name = "limit", defaultValue = "200") int limit) {
    if (!CLUSTER.matcher(cluster).matches()) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "bad cluster",
          "cluster is a cluster name (letters, digits, '.', '_', '-'; at most 253)",
          Map.of("field", "cluster"));
    }
    if (limit < 1 || limit > MAX_ENTRIES) {
      throw new ApiProblem(
          HttpStatus.BAD_REQUEST,
          "bad limit",
          "limit is between 1 and " + MAX_ENTRIES + ", not " + limit,
          Map.of("field", "limit"));
    }
    Timeline timeline =
        reader
            .read(TopicRangeReader.Range.everything())
            .history()
            .timeline(Selection.cluster(cluster));
    List<TimelineEntry> all = timeline.entries();
    if (all.isEmpty()) {
      throw ApiProblem.notFound("no event names cluster " + cluster);
    }
    List<Entry> last =
        all.subList(Math.max(0, all.size() - limit), all.size()).stream().map(Entry::of).toList();
    return new ClusterTimeline(cluster, all.size(), last);
  }

  /** Server-sent events: a {@code snapshot} now and after every change of the read model. */
  @GetMapping(path = "/api/v1/console/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  public SseEmitter stream() {
    return stream.subscribe();
  }
}
