package io.stackpilot.planner.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackpilot.planner.api.ApiProblem;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/** Bad timeline requests are refused with a 400 naming the field, before any topic is read. */
class ConsoleControllerTest {
  // nothing listens there: a request that got past the checks would fail reading, not answer 400
  final ConsoleController controller =
      new ConsoleController(null, "127.0.0.1:1", "http://127.0.0.1:1");

  @Test
  void aClusterNameThatNoFleetCouldDeclareIsA400NamingTheField() {
    for (String bad : new String[] {"<script>", "a b", "-leading", "x".repeat(254), "a/b"}) {
      assertThatThrownBy(() -> controller.timeline(bad, 200))
          .isInstanceOfSatisfying(
              ApiProblem.class,
              p -> {
                assertThat(p.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                assertThat(p.properties()).containsEntry("field", "cluster");
              });
    }
  }

  @Test
  void aLimitOutsideOneToFiveHundredIsA400NamingTheField() {
    for (int bad : new int[] {0, -1, ConsoleController.MAX_ENTRIES + 1}) {
      assertThatThrownBy(() -> controller.timeline("perso", bad))
          .isInstanceOfSatisfying(
              ApiProblem.class, p -> assertThat(p.properties()).containsEntry("field", "limit"));
    }
  }
}
