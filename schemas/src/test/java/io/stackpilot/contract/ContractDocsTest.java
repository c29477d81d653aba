package io.stackpilot.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Proves docs/events.md describes the contract as it is (regenerate with ContractDocs.main). */
class ContractDocsTest {

  @Test
  void eventsDocMatchesTheSchemas() throws Exception {
    String doc = Files.readString(Path.of("../docs/events.md"), StandardCharsets.UTF_8);
    int start = doc.indexOf(ContractDocs.START);
    int end = doc.indexOf(ContractDocs.END);
    assertThat(start).as("start marker").isNotNegative();
    assertThat(end).as("end marker").isGreaterThan(start);
    String generated = doc.substring(start + ContractDocs.START.length() + 1, end);
    assertThat(generated)
        .as("docs/events.md is stale: run ContractDocs.main(\"docs/events.md\")")
        .isEqualTo(ContractDocs.render());
  }
}
