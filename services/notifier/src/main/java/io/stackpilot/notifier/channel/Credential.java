package io.stackpilot.notifier.channel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where one credential is read from: a Secret reference ({@code {secretRef: {name, key}}}) or a
 * file path (Alertmanager's {@code *_file} fields). It never holds the value; {@link #toString()}
 * names the reference only.
 */
record Credential(String secretName, String secretKey, Path file) {

  static Credential secretRef(String name, String key) {
    return new Credential(name, key, null);
  }

  static Credential file(Path file) {
    return new Credential(null, null, file);
  }

  /** The value now, or empty when the secret or file has nothing there. */
  Optional<String> read(SecretSource secrets) {
    if (file != null) {
      try {
        if (!Files.isRegularFile(file)) {
          return Optional.empty();
        }
        return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    return secrets == null ? Optional.empty() : secrets.get(secretName, secretKey);
  }

  /** The value now; throws naming the reference (never a value) when it cannot be read. */
  String resolve(SecretSource secrets) {
    return read(secrets).orElseThrow(() -> new MissingSecretException(this));
  }

  @Override
  public String toString() {
    return file != null ? "file " + file : "secret " + secretName + "/" + secretKey;
  }

  /** A credential that cannot be read: its reference, never a value. */
  static final class MissingSecretException extends RuntimeException {
    MissingSecretException(Credential credential) {
      super(credential + " is not readable");
    }
  }
}
