package io.stackpilot.planner.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The book's rules are documented, distinct, and evaluated in a stable order. */
class RuleBookTest {
  static final Path DOCS = Path.of("../../docs/rules.md");

  @Test
  void everyRuleHasAnIdSeedSummaryAndHint() {
    assertThat(RuleBook.standard().rules())
        .allSatisfy(
            r -> {
              assertThat(r.id()).matches("[A-Z0-9]+(-[A-Z0-9]+)+");
              assertThat(r.seed()).matches("00[0-4]");
              assertThat(r.summary()).isNotBlank();
              assertThat(((SeedRule) r).hint()).isNotBlank();
            })
        .extracting(Rule::id)
        .doesNotHaveDuplicates();
  }

  @Test
  void everyRuleIsInDocsRulesMdWithItsSeverityAndSeed() throws Exception {
    String docs = Files.readString(DOCS);
    for (Rule rule : RuleBook.standard().rules()) {
      Pattern row =
          Pattern.compile(
              "(?m)^\\| `"
                  + Pattern.quote(rule.id())
                  + "` \\| "
                  + rule.severity()
                  + " \\|.*\\| "
                  + rule.seed()
                  + " \\|$");
      assertThat(row.matcher(docs).find())
          .as(
              "docs/rules.md has a row for %s (%s, seed %s)",
              rule.id(), rule.severity(), rule.seed())
          .isTrue();
    }
  }

  @Test
  void docsListNoRuleTheBookLacks() throws Exception {
    var ids = RuleBook.standard().rules().stream().map(Rule::id).toList();
    var m = Pattern.compile("(?m)^\\| `([A-Z0-9-]+)` \\|").matcher(Files.readString(DOCS));
    while (m.find()) {
      assertThat(ids).contains(m.group(1));
    }
  }

  @Test
  void evaluationIsDeterministic() throws Exception {
    var declared =
        new io.stackpilot.planner.spec.SpecParser()
            .parse(Files.readString(Path.of("../../examples/seed-001-lgtm-multitenant.yaml")));
    assertThat(RuleBook.standard().evaluate(declared))
        .isEqualTo(RuleBook.standard().evaluate(declared));
  }
}
