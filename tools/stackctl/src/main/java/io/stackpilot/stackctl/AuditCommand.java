package io.stackpilot.stackctl;

import io.stackpilot.history.FleetHistory;
import io.stackpilot.history.FleetState;
import io.stackpilot.history.Reports;
import io.stackpilot.history.SandboxReplay;
import io.stackpilot.history.Selection;
import io.stackpilot.history.Timeline;
import io.stackpilot.history.TopicRangeReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code stackctl audit}: who changed what and why, read from the topics alone (no planner): the
 * timeline of a rollout, a cluster, a component or a time range, in causal order; or with {@code
 * --at} a cluster's state at an instant; or with {@code --replay} the range re-driven through the
 * fold in a sandbox.
 */
@Command(
    name = "audit",
    description = {
      "The history of a rollout, a cluster, a component or a time range, read from",
      "the Kafka topics alone, in causal order, with actor, reason, digests and the",
      "spec diff of each declaration.",
      "--at INSTANT with --cluster: that cluster's state then (components, charts,",
      "digests, health, latest gate, open alerts), rebuilt from the topics.",
      "--replay ID: fold the log in sandbox ID (its own consumer group and",
      "sandbox.ID.* topic) and print the state's hash."
    },
    exitCodeList = {
      ExitCode.Help.OK,
      "8:nothing recorded for the rollout",
      "10:Kafka or the registry unreachable, or the range not read in time",
      ExitCode.Help.USAGE
    })
final class AuditCommand implements Callable<Integer> {

  /** What the audit prints. */
  enum Format {
    // lower case: these are the values typed after -o
    table,
    json,
    html
  }

  @Spec CommandSpec spec;

  @Option(names = "--rollout", paramLabel = "ID", description = "A rollout (correlation id).")
  String rollout;

  @Option(names = "--cluster", paramLabel = "NAME", description = "A cluster.")
  String cluster;

  @Option(names = "--component", paramLabel = "NAME", description = "A component.")
  String component;

  @Option(
      names = "--since",
      paramLabel = "INSTANT",
      converter = Instants.class,
      description = "Events that occurred at or after this (ISO-8601, 2026-11-21T10:00:00Z).")
  Instant since;

  @Option(
      names = "--until",
      paramLabel = "INSTANT",
      converter = Instants.class,
      description = "Events that occurred before this.")
  Instant until;

  @Option(
      names = "--at",
      paramLabel = "INSTANT",
      converter = Instants.class,
      description = "With --cluster: the cluster's state at this instant instead of a timeline.")
  Instant at;

  @Option(
      names = "--replay",
      paramLabel = "SANDBOX-ID",
      description = "Re-drive the range through the fold in this sandbox and print its hash.")
  String replay;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      paramLabel = "table|json|html",
      description = "table, json, or html (a self-contained report). Default: ${DEFAULT-VALUE}.")
  Format output;

  @Option(
      names = "--file",
      paramLabel = "PATH",
      description = "Write the output to this file instead of stdout.")
  Path file;

  @Option(
      names = {"--bootstrap-servers", "--bootstrap"},
      paramLabel = "HOST:PORT,...",
      defaultValue = "${env:STACKPILOT_KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrap;

  @Option(
      names = {"--registry-url", "--registry"},
      paramLabel = "URL",
      defaultValue = "${env:STACKPILOT_REGISTRY_URL:-http://127.0.0.1:8081}",
      description = "Schema registry URL (default: ${DEFAULT-VALUE}).")
  String registry;

  @Option(
      names = "--topics",
      split = ",",
      paramLabel = "TOPIC",
      description = "Read only these topics (default: every catalog topic).")
  List<String> topics;

  @Option(
      names = "--timeout",
      defaultValue = "60s",
      converter = Durations.class,
      description = "Give up reading the range after this (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    String usage = usageProblem();
    if (usage != null) {
      err.println("stackctl audit: " + usage);
      return ExitCode.USAGE;
    }
    TopicRangeReader.Settings settings = new TopicRangeReader.Settings(bootstrap, registry);
    // the range starts at the beginning: the diff of a declaration needs the stack's previous one
    TopicRangeReader.Range range = new TopicRangeReader.Range(topics, null);
    if (replay != null) {
      return replay(settings, range);
    }
    TopicRangeReader.Loaded loaded;
    try {
      loaded = new TopicRangeReader(settings, null, timeout).read(range);
    } catch (KafkaException | IllegalStateException e) {
      err.println(
          "stackctl audit: could not read the topics at " + bootstrap + ": " + e.getMessage());
      return ExitCode.UNREACHABLE;
    }
    if (!loaded.skipped().isEmpty()) {
      err.printf(
          "stackctl audit: %d records could not be decoded, first: %s%n",
          loaded.skipped().size(), loaded.skipped().get(0));
      if (loaded.events().isEmpty()) {
        return ExitCode.UNREACHABLE;
      }
    }
    FleetHistory history = loaded.history();
    if (at != null) {
      FleetState state = history.stateAt(at);
      write(
          output == Format.json
              ? Reports.json(cluster, at.toString(), state) + "\n"
              : Reports.table(cluster, at.toString(), state));
      return ExitCode.OK;
    }
    Timeline timeline = history.timeline(new Selection(rollout, cluster, component, since, until));
    if (rollout != null && timeline.entries().isEmpty()) {
      err.println("stackctl audit: nothing recorded for rollout " + rollout);
      return ExitCode.NOT_FOUND;
    }
    switch (output) {
      case json -> write(Reports.json(timeline) + "\n");
      case html -> write(Reports.html(title(), timeline));
      default -> write(Reports.table(timeline));
    }
    return ExitCode.OK;
  }

  private int replay(TopicRangeReader.Settings settings, TopicRangeReader.Range range)
      throws IOException {
    SandboxReplay.Result result;
    try {
      result = SandboxReplay.run(settings, replay, range);
    } catch (KafkaException | IllegalStateException e) {
      spec.commandLine()
          .getErr()
          .println("stackctl audit: could not replay from " + bootstrap + ": " + e.getMessage());
      return ExitCode.UNREACHABLE;
    }
    write(
        String.format(
            "replayed %d events in sandbox %s (group %s, output %s): %s%n",
            result.events(),
            result.sandboxId(),
            result.consumerGroup(),
            result.outputTopic(),
            result.hash()));
    return ExitCode.OK;
  }

  private String usageProblem() {
    int selectors =
        (rollout == null ? 0 : 1) + (cluster == null ? 0 : 1) + (component == null ? 0 : 1);
    if (selectors > 1) {
      return "choose one of --rollout, --cluster and --component (add --since/--until to narrow)";
    }
    if (at != null && cluster == null) {
      return "--at needs --cluster: it prints one cluster's state";
    }
    if (at != null && output == Format.html) {
      return "--at prints a state as table or json, not html";
    }
    if (replay != null && !replay.matches("[a-zA-Z0-9-]{1,64}")) {
      return "--replay: a sandbox id is letters, digits and '-' (at most 64)";
    }
    if (since != null && until != null && !since.isBefore(until)) {
      return "--since must be before --until";
    }
    return null;
  }

  private String title() {
    if (rollout != null) {
      return "Stackpilot audit: rollout " + rollout;
    }
    if (cluster != null) {
      return "Stackpilot audit: cluster " + cluster;
    }
    if (component != null) {
      return "Stackpilot audit: component " + component;
    }
    return "Stackpilot audit";
  }

  private void write(String text) throws IOException {
    if (file == null) {
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
    } else {
      Files.writeString(file, text, StandardCharsets.UTF_8);
      spec.commandLine().getOut().println("wrote " + file);
    }
  }

  /** ISO-8601 instants: 2026-11-21T10:00:00Z. */
  static final class Instants implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return Instant.parse(value.trim());
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'" + value + "' is not an ISO-8601 instant such as 2026-11-21T10:00:00Z");
      }
    }
  }
}
