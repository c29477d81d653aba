package io.stackpilot.notifier.channel;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where channel credentials come from: a Secret's name and key give its value. Configuration only
 * ever names a secret ({@code token: {secretRef: {name: pushover, key: token}}}); the value is read
 * when a channel sends, so a rotated Secret is picked up without a reload.
 */
public interface SecretSource {

  /** The value of {@code key} in secret {@code name}, or empty when there is no such key. */
  Optional<String> get(String name, String key);

  /**
   * Secrets mounted as Kubernetes mounts them: one directory per Secret under {@code root}, one
   * file per key ({@code <root>/<name>/<key>}).
   */
  static SecretSource mounted(Path root) {
    return new MountedSecretSource(root);
  }

  /** Secrets held in memory, {@code name → key → value} (for tests and local runs). */
  static SecretSource inMemory(Map<String, Map<String, String>> secrets) {
    Map<String, Map<String, String>> copy = Map.copyOf(secrets);
    return new SecretSource() {
      @Override
      public Optional<String> get(String name, String key) {
        return Optional.ofNullable(copy.getOrDefault(name, Map.of()).get(key));
      }

      @Override
      public String toString() {
        return "SecretSource.inMemory(" + copy.keySet() + ")";
      }
    };
  }
}
