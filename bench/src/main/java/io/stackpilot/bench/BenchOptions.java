package io.stackpilot.bench;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Where a benchmark runs (broker, registry, topic replication) and how its main starts. */
final class BenchOptions {
  static final String AVRO_PACKAGES_PROPERTY = "org.apache.avro.SERIALIZABLE_PACKAGES";

  @Option(names = "--replication-factor", defaultValue = "1", description = "of the bench topics")
  short replicationFactor;

  @Option(names = "--bootstrap", description = "external broker host:port (default: in-JVM)")
  String bootstrap;

  @Option(names = "--registry", description = "external registry URL (default: in-JVM)")
  String registry;

  /** Runs a benchmark command and exits with its code. */
  static void main(Object command, String[] args) {
    if (System.getProperty(AVRO_PACKAGES_PROPERTY) == null) {
      // Must happen before Avro's classes load; the documented command line sets it.
      System.setProperty(AVRO_PACKAGES_PROPERTY, "io.stackpilot.events");
      System.err.println(
          "note: -D" + AVRO_PACKAGES_PROPERTY + " not given; using io.stackpilot.events");
    }
    int code = new CommandLine(command).execute(args);
    System.out.flush();
    System.exit(code);
  }
}
