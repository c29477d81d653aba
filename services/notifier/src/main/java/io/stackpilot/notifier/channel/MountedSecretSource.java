package io.stackpilot.notifier.channel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads {@code <root>/<name>/<key>}: the layout of a Kubernetes Secret mounted as a volume. Names
 * and keys are checked against Kubernetes' own character rules, so a reference can never climb out
 * of the root. One trailing newline is dropped (files written by hand usually end with one).
 */
final class MountedSecretSource implements SecretSource {

  /** DNS subdomain (Secret names) and config-map key characters (Secret keys). */
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

  private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]+");

  private final Path root;

  MountedSecretSource(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public Optional<String> get(String name, String key) {
    if (!NAME.matcher(name).matches() || !KEY.matcher(key).matches() || key.matches("\\.+")) {
      return Optional.empty();
    }
    Path file = root.resolve(name).resolve(key).normalize();
    if (!file.startsWith(root) || !Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      String value = Files.readString(file, StandardCharsets.UTF_8);
      if (value.endsWith("\r\n")) {
        value = value.substring(0, value.length() - 2);
      } else if (value.endsWith("\n")) {
        value = value.substring(0, value.length() - 1);
      }
      return Optional.of(value);
    } catch (IOException e) {
      // the message names the path only, never the content
      throw new UncheckedIOException("cannot read secret " + name + "/" + key, e);
    }
  }

  @Override
  public String toString() {
    return "SecretSource.mounted(" + root + ")";
  }
}
