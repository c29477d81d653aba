package io.stackpilot.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/**
 * The value schemas of released versions, kept under {@code schemas/released/<version>/} as one
 * {@code <topic>-value.avsc} per topic. The compatibility test reads the newest; {@code main}
 * writes a new release's snapshot: {@code java ... ReleasedSchemas schemas/released 0.2.0}.
 */
public final class ReleasedSchemas {
  private ReleasedSchemas() {}

  /** The newest release folder (by semantic version), if any. */
  public static Optional<Path> newest(Path releasedRoot) {
    if (!Files.isDirectory(releasedRoot)) {
      return Optional.empty();
    }
    try (Stream<Path> dirs = Files.list(releasedRoot)) {
      return dirs.filter(Files::isDirectory).max(Comparator.comparing(ReleasedSchemas::version));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every release folder, oldest first. */
  public static List<Path> all(Path releasedRoot) {
    if (!Files.isDirectory(releasedRoot)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(releasedRoot)) {
      return dirs.filter(Files::isDirectory)
          .sorted(Comparator.comparing(ReleasedSchemas::version))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The released value schema of a topic, if that release had the topic. */
  public static Optional<Schema> valueSchema(Path release, Topic topic) {
    Path file = release.resolve(topic.valueSubject() + ".avsc");
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Schema.Parser().parse(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String version(Path dir) {
    String[] parts = dir.getFileName().toString().split("\\.");
    StringBuilder key = new StringBuilder();
    for (String p : parts) {
      key.append(String.format("%08d", Integer.parseInt(p.replaceAll("\\D", "0"))));
    }
    return key.toString();
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]).resolve(args[1]);
    Files.createDirectories(dir);
    for (Topic topic : Topic.values()) {
      Files.writeString(
          dir.resolve(topic.valueSubject() + ".avsc"),
          topic.valueSchema().toString(true) + "\n",
          StandardCharsets.UTF_8);
    }
  }
}
