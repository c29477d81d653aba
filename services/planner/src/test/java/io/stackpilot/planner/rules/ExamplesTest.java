package io.stackpilot.planner.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.stackpilot.planner.plan.Plan;
import io.stackpilot.planner.plan.RolloutPlanner;
import io.stackpilot.planner.spec.SpecParser;
import io.stackpilot.planner.spec.SpecValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example parses, validates, has no ERROR finding, and plans. */
class ExamplesTest {

  static List<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("../../examples"))) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void parsesValidatesHasNoErrorAndPlans(Path example) throws IOException {
    SpecParser.Declared declared = new SpecParser().parse(Files.readString(example));
    new SpecValidator().validate(declared);

    List<Finding> findings = RuleBook.standard().evaluate(declared);
    assertThat(findings).filteredOn(f -> f.severity() == Severity.ERROR).isEmpty();

    Plan plan = new RolloutPlanner().plan(declared.stack(), declared.fleet(), "r");
    assertThat(plan.steps())
        .extracting(Plan.Step::component)
        .containsAll(declared.stack().spec().components().stream().map(c -> c.name()).toList());
  }

  @org.junit.jupiter.api.Test
  void thereIsOneExamplePerSeed() throws IOException {
    assertThat(examples())
        .extracting(p -> p.getFileName().toString().substring(0, 8))
        .contains("seed-000", "seed-001", "seed-002", "seed-003", "seed-004");
  }
}
