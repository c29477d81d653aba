package io.stackpilot.stackctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stackctl fleet ...}: registered fleets and what their clusters run. */
@Command(
    name = "fleet",
    description = "Fleets: what each cluster runs, and registering a fleet.",
    subcommands = {FleetCommand.Ls.class, FleetCommand.Apply.class})
final class FleetCommand {
  private FleetCommand() {}

  /** {@code stackctl fleet ls}: one row per cluster, one column per component, cells = health. */
  @Command(
      name = "ls",
      description = {
        "Every cluster of the registered fleets, one row each, with the health of each component.",
        "Cells: the component's health; '?' applied but not verified yet; '-' not installed."
      },
      exitCodeList = {ExitCode.Help.OK, ExitCode.Help.UNREACHABLE, ExitCode.Help.USAGE})
  static final class Ls implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        paramLabel = "table|json",
        description =
            "table or json ({\"fleets\": [...], \"clusters\": [...]}, as the planner"
                + " answered GET /fleets and GET /clusters).")
    Output output;

    @Mixin PlannerOptions planner;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      PlannerClient.Answer fleets = planner.call(PlannerClient::fleets);
      PlannerClient.Answer clusters = fleets == null ? null : planner.call(PlannerClient::clusters);
      if (fleets == null || clusters == null) {
        return ExitCode.UNREACHABLE;
      }
      for (PlannerClient.Answer answer : List.of(fleets, clusters)) {
        if (!answer.ok()) {
          Answers.problem(answer, spec.commandLine().getErr());
          return ExitCode.ofStatus(answer.status());
        }
      }
      if (output == Output.json) {
        ObjectNode both = new ObjectMapper().createObjectNode();
        both.set("fleets", fleets.body().path("fleets"));
        both.set("clusters", clusters.body().path("clusters"));
        out.println(both);
      } else {
        FleetGrid.of(fleets.body(), clusters.body()).print(out);
      }
      return ExitCode.OK;
    }
  }

  /** {@code stackctl fleet apply -f fleet.yaml}: register (or update) every Fleet in the file. */
  @Command(
      name = "apply",
      description = {
        "Register or update the Fleet documents of a file (other documents are left out).",
        "Stacks declared later with --fleet NAME roll out to it."
      },
      exitCodeList = {
        ExitCode.Help.OK,
        ExitCode.Help.INVALID,
        ExitCode.Help.UNAUTHORIZED,
        ExitCode.Help.UNREACHABLE,
        ExitCode.Help.USAGE
      })
  static final class Apply implements Callable<Integer> {
    /** A YAML document separator line. */
    private static final Pattern SEPARATOR = Pattern.compile("(?m)^---[ \\t]*(#.*)?$");

    @Spec CommandSpec spec;

    @Option(
        names = {"-f", "--file"},
        required = true,
        description = "YAML with one or more Fleet documents.")
    Path file;

    @Option(names = "--reason", description = "Why: recorded in the event.")
    String reason;

    @Mixin PlannerOptions planner;

    @Mixin PlannerOptions.Credentials credentials;

    /** A Fleet document: its name and its text as written (comments and all). */
    record FleetDocument(String name, String yaml) {}

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      List<FleetDocument> documents;
      try {
        documents = fleets(PlanCommand.read(spec, file));
      } catch (IllegalArgumentException e) {
        out.println(file + ": " + e.getMessage());
        return ExitCode.INVALID;
      }
      PlannerClient.Caller caller = credentials.caller(reason);
      for (FleetDocument fleet : documents) {
        PlannerClient.Answer answer =
            planner.call(c -> c.putFleet(fleet.name(), fleet.yaml(), caller));
        if (answer == null) {
          return ExitCode.UNREACHABLE;
        }
        if (!answer.ok()) {
          out.printf("fleet %s ", fleet.name());
          Answers.problem(answer, out);
          return ExitCode.ofStatus(answer.status());
        }
        JsonNode body = answer.body();
        out.printf(
            "fleet %s revision %s: %s (event %s)%n",
            Table.text(body, "fleet"),
            Answers.digest(body.path("revision")),
            Table.list(body.path("clusters")),
            Table.text(body, "eventId"));
      }
      return ExitCode.OK;
    }

    /**
     * The Fleet documents of a YAML file, each with its own text, so the planner gets what the
     * author wrote and not a re-serialization.
     *
     * @throws IllegalArgumentException when a document is not YAML, or there is no named Fleet
     */
    static List<FleetDocument> fleets(String yaml) {
      YAMLMapper mapper = new YAMLMapper();
      List<FleetDocument> fleets = new ArrayList<>();
      int index = 0;
      for (String text : SEPARATOR.split(yaml)) {
        index++;
        JsonNode doc;
        try {
          doc = mapper.readTree(text);
        } catch (JsonProcessingException e) {
          throw new IllegalArgumentException(
              "document " + index + " is not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (doc == null || !"Fleet".equals(doc.path("kind").asText())) {
          continue;
        }
        String name = doc.path("metadata").path("name").asText("");
        if (name.isBlank()) {
          throw new IllegalArgumentException("Fleet document " + index + " has no metadata.name");
        }
        fleets.add(new FleetDocument(name, text.strip() + "\n"));
      }
      if (fleets.isEmpty()) {
        throw new IllegalArgumentException("no Fleet document (kind: Fleet)");
      }
      return fleets;
    }
  }
}
