package io.stackpilot.notifier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackpilot.notifier.routing.InvalidRoutingConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The routing file in force: a change is taken, a file whose routing or channel settings do not
 * load is refused with the field paths and the running configuration stays.
 */
class RoutingConfigSourceTest {

  static String config(String pushoverPriority) {
    return """
        route:
          receiver: ops
          routes:
            - matchers: [severity="critical"]
              receiver: pager
        receivers:
          - name: ops
          - name: pager
            pushover_configs:
              - token: {secretRef: {name: pushover, key: token}}
                user_key: {secretRef: {name: pushover, key: user}}
                priority: %s
        """
        .formatted(pushoverPriority);
  }

  @Test
  void changesAreTakenAndBadFilesRefusedWithTheirFieldPaths(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("routing.yaml");
    Files.writeString(file, config("1"));
    RoutingConfigSource source = new RoutingConfigSource(file, null);
    assertThat(source.current().generation()).isEqualTo(1);
    assertThat(source.reload()).as("unchanged").isFalse();

    Files.writeString(file, config("3"));
    assertThat(source.reload()).isFalse();
    assertThat(RoutingConfigSource.validate(Files.readString(file)))
        .containsExactly("receivers[1].pushover_configs[0].priority: must be between -2 and 2");

    Files.writeString(file, config("1").replace("receiver: pager", "receiver: pagre"));
    assertThat(source.reload()).isFalse();
    assertThat(RoutingConfigSource.validate(Files.readString(file)))
        .anyMatch(v -> v.contains("'pagre' used at route.routes[0].receiver is not defined"));
    assertThat(source.current().generation()).isEqualTo(1);
    assertThat(source.current().config().receivers()).containsKeys("ops", "pager");

    Files.writeString(file, config("2").replace("critical", "page"));
    assertThat(source.reload()).isTrue();
    assertThat(source.current().generation()).isEqualTo(2);
    assertThat(source.current().yaml()).contains("severity=\"page\"");
  }

  @Test
  void aServiceDoesNotStartOnABadFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("routing.yaml");
    Files.writeString(file, config("9"));

    assertThatThrownBy(() -> new RoutingConfigSource(file, null))
        .isInstanceOf(InvalidRoutingConfigException.class)
        .hasMessageContaining("receivers[1].pushover_configs[0].priority");
  }
}
