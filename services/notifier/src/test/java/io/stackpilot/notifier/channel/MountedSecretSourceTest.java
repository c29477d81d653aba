package io.stackpilot.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets read as Kubernetes mounts them: {@code <root>/<name>/<key>}. */
class MountedSecretSourceTest {

  @Test
  void readsTheKeyFileOfTheNamedSecret(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("pushover"));
    Files.writeString(root.resolve("pushover/token"), "azGDORePK8gMaC0QOYAMyEEuzJnyUi\n");
    Files.writeString(root.resolve("pushover/user-key"), "uQiRzpo4DXghDmr9QzzfQu27cmVRsG");
    Files.writeString(root.resolve("outside"), "not a secret of this source");
    SecretSource secrets = SecretSource.mounted(root);

    assertThat(secrets.get("pushover", "token")).contains("azGDORePK8gMaC0QOYAMyEEuzJnyUi");
    assertThat(secrets.get("pushover", "user-key")).contains("uQiRzpo4DXghDmr9QzzfQu27cmVRsG");
    assertThat(secrets.get("pushover", "missing")).isEmpty();
    assertThat(secrets.get("absent", "token")).isEmpty();
    assertThat(secrets.get("pushover", "..")).isEmpty();
    assertThat(secrets.get("..", "outside")).isEmpty();
    assertThat(secrets.get("pushover", "../outside")).isEmpty();
    assertThat(secrets.toString()).doesNotContain("azGDORe");
  }

  @Test
  void aRotatedSecretIsReadOnTheNextSend(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("hooks"));
    Files.writeString(root.resolve("hooks/token"), "first");
    SecretSource secrets = SecretSource.mounted(root);
    Credential c = Credential.secretRef("hooks", "token");
    assertThat(c.resolve(secrets)).isEqualTo("first");
    Files.writeString(root.resolve("hooks/token"), "second");
    assertThat(c.resolve(secrets)).isEqualTo("second");
  }
}
