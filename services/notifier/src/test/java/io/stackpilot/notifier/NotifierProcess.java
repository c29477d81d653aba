package io.stackpilot.notifier;

import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A notifier replica as a JVM of its own, so a test can kill it with SIGKILL. */
final class NotifierProcess {
  private NotifierProcess() {}

  static Process start(KafkaBroker broker, SchemaRegistry registry, Path log, String... properties)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx384m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.stackpilot.events");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(NotifierApplication.class.getName());
    command.addAll(List.of(ServiceArgs.of(broker, registry, properties)));
    command.add("--logging.level.org.apache.kafka=WARN");
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  /** Lines of a replica's log that contain this text. */
  static long count(Path log, String text) throws IOException {
    if (!Files.exists(log)) {
      return 0;
    }
    try (var lines = Files.lines(log)) {
      return lines.filter(l -> l.contains(text)).count();
    }
  }
}
