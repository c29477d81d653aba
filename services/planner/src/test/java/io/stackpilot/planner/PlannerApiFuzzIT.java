package io.stackpilot.planner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * 1,000 generated specs, valid and broken (mutations of every example: lines deleted, duplicated or
 * re-indented, keys misspelt, values of the wrong type, documents truncated, garbage) sent to the
 * planner's API: never a 5xx, and every rejection names at least one field path.
 */
@ExtendWith(RealKafkaExtension.class)
class PlannerApiFuzzIT {
  static final int SPECS = 1_000;
  static final long SEED = 20261121L;
  static final ObjectMapper JSON = new ObjectMapper();

  static ConfigurableApplicationContext planner;

  @BeforeAll
  static void start(KafkaBroker broker, SchemaRegistry registry) {
    planner = PlannerApplication.builder().run(ServiceArgs.of(broker, registry));
  }

  @AfterAll
  static void stop() {
    planner.close();
  }

  @Test
  void randomSpecsNeverGet5xxAndEveryRejectionNamesAField() throws Exception {
    List<String> examples = examples();
    Random random = new Random(SEED);
    HttpClient http = HttpClient.newHttpClient();
    Map<Integer, Integer> statuses = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < SPECS; i++) {
      String spec = mutate(examples.get(random.nextInt(examples.size())), random);
      HttpResponse<String> response = http.send(dryRun(spec), HttpResponse.BodyHandlers.ofString());
      statuses.merge(response.statusCode(), 1, Integer::sum);
      if (response.statusCode() >= 500) {
        failures.add(
            "#" + i + " got " + response.statusCode() + ": " + response.body() + "\n" + spec);
      } else if (response.statusCode() >= 400 && fieldPaths(response.body()).isEmpty()) {
        failures.add("#" + i + " rejected without a field path: " + response.body() + "\n" + spec);
      }
    }
    System.out.println("status counts over " + SPECS + " random specs: " + statuses);
    assertThat(failures).as("first failures: %s", failures.stream().limit(3).toList()).isEmpty();
    assertThat(statuses.getOrDefault(200, 0)).as("some specs stay valid").isPositive();
    assertThat(statuses.getOrDefault(400, 0)).as("some specs are broken").isPositive();
  }

  static List<String> fieldPaths(String body) throws IOException {
    JsonNode problem = JSON.readTree(body);
    List<String> fields = new ArrayList<>();
    for (String list : List.of("violations", "findings")) {
      problem
          .path(list)
          .forEach(
              v -> {
                if (!v.path("field").asText("").isBlank()) {
                  fields.add(v.path("field").asText());
                }
              });
    }
    return fields;
  }

  /** One to three random edits; one spec in ten stays as it is. */
  static String mutate(String yaml, Random random) {
    if (random.nextInt(10) == 0) {
      return yaml;
    }
    String out = yaml;
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits; e++) {
      List<String> lines = new ArrayList<>(out.lines().toList());
      int at = random.nextInt(lines.size());
      String line = lines.get(at);
      switch (random.nextInt(8)) {
        case 0 -> lines.remove(at);
        case 1 -> lines.add(at, line);
        case 2 -> lines.set(at, replaceValue(line, random));
        case 3 -> lines.set(at, line.replaceFirst("([a-zA-Z_]+):", "$1x:"));
        case 4 -> lines.set(at, random.nextBoolean() ? "  " + line : line.replaceFirst("^  ", ""));
        case 5 -> {
          String joined = String.join("\n", lines);
          return joined.substring(0, random.nextInt(joined.length() + 1));
        }
        case 6 -> lines.set(at, line + GARBAGE[random.nextInt(GARBAGE.length)]);
        default -> lines.set(at, line.replaceFirst(":\\s.*$", ":"));
      }
      out = String.join("\n", lines) + "\n";
    }
    return out;
  }

  static final String[] VALUES = {
    "42",
    "-1",
    "3.5",
    "true",
    "null",
    "\"\"",
    "[1, 2]",
    "{a: 1}",
    "\"${tenant}\"",
    "~",
    "0%",
    "150%",
    "\"with spaces\"",
    "[]",
    "{}",
    "\"UPPER_case\"",
    "'x'"
  };
  static final String[] GARBAGE = {
    " }", " ]", ": :", " #", "\t", " &anchor", " *alias", " !!binary x", "\"", " - -"
  };

  static String replaceValue(String line, Random random) {
    return line.replaceFirst(
        ":\\s.*$",
        java.util.regex.Matcher.quoteReplacement(": " + VALUES[random.nextInt(VALUES.length)]));
  }

  static List<String> examples() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("../../examples"))) {
      List<String> out = new ArrayList<>();
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        out.add(Files.readString(f));
      }
      return out;
    }
  }

  static HttpRequest dryRun(String spec) {
    int port = planner.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/api/v1/rollouts?dryRun=true"))
        .header("Content-Type", "application/yaml")
        .header("Stackpilot-Actor", "user:fuzz")
        .POST(HttpRequest.BodyPublishers.ofString(spec))
        .build();
  }
}
