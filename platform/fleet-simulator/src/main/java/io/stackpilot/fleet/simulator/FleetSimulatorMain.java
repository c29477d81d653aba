package io.stackpilot.fleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a simulated fleet as a process until SIGTERM/SIGINT: the clusters of the local run. */
public final class FleetSimulatorMain {

  static final String USAGE =
      "usage: fleet-simulator --clusters <name>[,<name>...] --kubeconfig <path>"
          + " [--ready-file <path>] [--control-port <port>] [--faults <json file>]";
  private static final String LOGGING_CONFIG = "fleet-simulator-logback.xml";

  private FleetSimulatorMain() {}

  /** Starts the fleet, writes the kubeconfig and the ready file, then waits for a signal. */
  public static void main(String[] args) throws InterruptedException {
    // set before the first logger exists; without it logback logs vert.x and fabric8 at DEBUG
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", LOGGING_CONFIG);
    }
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    RunningFleet running;
    try {
      running = launch(options);
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      // a bad faults file or a control port in use: say so, as for bad arguments
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  running.close();
                  stopped.countDown();
                },
                "fleet-simulator-shutdown"));
    stopped.await();
  }

  /** Starts the fleet and publishes it: kubeconfig first, then the ready file that says so. */
  static RunningFleet launch(Options options) {
    Logger log = LoggerFactory.getLogger(FleetSimulatorMain.class);
    FleetSimulator fleet = FleetSimulator.start(options.clusters());
    ControlServer control = null;
    try {
      options.faults().ifPresent(file -> injectFaults(fleet, file));
      if (options.controlPort().isPresent()) {
        control = ControlServer.start(fleet, options.controlPort().get());
        log.info("fault control API at {}/faults", control.url());
      }
      Optional<String> controlUrl = Optional.ofNullable(control).map(ControlServer::url);
      Path kubeconfig = fleet.writeKubeconfig(options.kubeconfig()).toAbsolutePath();
      for (String cluster : fleet.clusterNames()) {
        log.info(
            "simulated cluster {} at {} (context {} in {})",
            cluster,
            fleet.apiUrl(cluster),
            cluster,
            kubeconfig);
      }
      options.readyFile().ifPresent(file -> writeReadyFile(file, fleet, kubeconfig, controlUrl));
      log.info("fleet of {} simulated clusters ready", fleet.clusterNames().size());
      return new RunningFleet(fleet, options.readyFile(), Optional.ofNullable(control));
    } catch (RuntimeException e) {
      if (control != null) {
        control.close();
      }
      fleet.close();
      throw e;
    }
  }

  /**
   * Applies a faults file: {@code {"clusters": {"perso": {<spec>}, "*": {<spec for all>}}}}, each
   * spec as {@code POST /faults/{cluster}} takes it (see {@link FaultSpecs}).
   */
  static void injectFaults(FleetSimulator fleet, Path file) {
    JsonNode clusters;
    try {
      clusters = FaultSpecs.JSON.readTree(file.toFile()).path("clusters");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read faults file " + file, e);
    }
    clusters
        .fields()
        .forEachRemaining(
            entry -> {
              List<String> targets =
                  entry.getKey().equals("*") ? fleet.clusterNames() : List.of(entry.getKey());
              targets.forEach(cluster -> FaultSpecs.apply(entry.getValue(), fleet.faults(cluster)));
            });
  }

  // written last and atomically, so a launcher that sees the file can use everything it names
  private static void writeReadyFile(
      Path file, FleetSimulator fleet, Path kubeconfig, Optional<String> control) {
    StringBuilder content = new StringBuilder();
    content.append("kubeconfig=").append(kubeconfig).append('\n');
    control.ifPresent(url -> content.append("control=").append(url).append('\n'));
    for (String cluster : fleet.clusterNames()) {
      content.append("cluster.").append(cluster).append('=').append(fleet.apiUrl(cluster));
      content.append('\n');
    }
    Path target = file.toAbsolutePath();
    try {
      Files.createDirectories(target.getParent());
      Path temporary = Files.createTempFile(target.getParent(), ".ready-", ".tmp");
      Files.writeString(temporary, content);
      Files.move(
          temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write ready file " + target, e);
    }
  }

  /**
   * The command line: cluster names, where to write the kubeconfig, optionally a ready file, the
   * control API's port and a faults file.
   */
  record Options(
      List<String> clusters,
      Path kubeconfig,
      Optional<Path> readyFile,
      Optional<Integer> controlPort,
      Optional<Path> faults) {

    Options(List<String> clusters, Path kubeconfig, Optional<Path> readyFile) {
      this(clusters, kubeconfig, readyFile, Optional.empty(), Optional.empty());
    }

    static Options parse(String... args) {
      List<String> clusters = null;
      Path kubeconfig = null;
      Path readyFile = null;
      Integer controlPort = null;
      Path faults = null;
      List<String> rest = new ArrayList<>(Arrays.asList(args));
      while (!rest.isEmpty()) {
        String option = rest.remove(0);
        String value;
        int equals = option.indexOf('=');
        if (equals > 0) {
          value = option.substring(equals + 1);
          option = option.substring(0, equals);
        } else if (!rest.isEmpty()) {
          value = rest.remove(0);
        } else {
          throw new IllegalArgumentException("missing value for " + option);
        }
        switch (option) {
          case "--clusters" -> clusters = clusterList(value);
          case "--kubeconfig" -> kubeconfig = Path.of(value);
          case "--ready-file" -> readyFile = Path.of(value);
          case "--control-port" -> controlPort = port(value);
          case "--faults" -> faults = Path.of(value);
          default -> throw new IllegalArgumentException("unknown option " + option);
        }
      }
      if (clusters == null || kubeconfig == null) {
        throw new IllegalArgumentException("--clusters and --kubeconfig are required");
      }
      return new Options(
          clusters,
          kubeconfig,
          Optional.ofNullable(readyFile),
          Optional.ofNullable(controlPort),
          Optional.ofNullable(faults));
    }

    private static int port(String value) {
      try {
        int port = Integer.parseInt(value);
        if (port >= 0 && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException("--control-port must be a port number: " + value);
    }

    private static List<String> clusterList(String value) {
      return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
  }

  /** A started fleet; closing it stops the clusters and withdraws the ready file. */
  record RunningFleet(
      FleetSimulator fleet, Optional<Path> readyFile, Optional<ControlServer> control)
      implements AutoCloseable {

    @Override
    public void close() {
      // withdrawn first: a launcher must not pick up clusters that are going away
      readyFile.ifPresent(
          file -> {
            try {
              Files.deleteIfExists(file);
            } catch (IOException e) {
              LoggerFactory.getLogger(FleetSimulatorMain.class)
                  .warn("could not delete ready file {}", file, e);
            }
          });
      control.ifPresent(ControlServer::close);
      fleet.close();
      LoggerFactory.getLogger(FleetSimulatorMain.class).info("simulated clusters stopped");
    }
  }
}
