package io.stackpilot.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus, Alertmanager or blackbox exporter from Debian's packages, started as a plain
 * process on a free loopback port (the commands of ../shared/BUILD-NOTES.md), ready when its health
 * endpoint answers 200, stopped on close. A missing binary fails the test with what to install: a
 * test that needs a real component never passes without it ({@code .ci/run} installs them).
 */
public final class RealComponent implements AutoCloseable {
  private final String name;
  private final Process process;
  private final URI url;
  private final Path log;

  private RealComponent(String name, Process process, URI url, Path log) {
    this.name = name;
    this.process = process;
    this.url = url;
    this.log = log;
  }

  /** Prometheus with its TSDB in {@code dir}/data (backfilled blocks there are read at start). */
  public static RealComponent prometheus(Path dir, String configYaml) {
    Path data = dir.resolve("data");
    return start(
        "prometheus",
        dir,
        configYaml,
        "/-/ready",
        port ->
            List.of(
                "--storage.tsdb.path=" + data,
                "--storage.tsdb.retention.time=3650d",
                "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-lifecycle",
                "--web.enable-remote-write-receiver",
                "--rules.alert.resend-delay=5s"));
  }

  public static RealComponent alertmanager(Path dir, String configYaml) {
    return start(
        "prometheus-alertmanager",
        dir,
        configYaml,
        "/-/ready",
        port ->
            List.of(
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address="));
  }

  public static RealComponent blackboxExporter(Path dir, String configYaml) {
    return start(
        "prometheus-blackbox-exporter",
        dir,
        configYaml,
        "/-/healthy",
        port -> List.of("--web.listen-address=127.0.0.1:" + port));
  }

  /** Runs Prometheus's promtool (e.g. {@code tsdb create-blocks-from openmetrics}) to its end. */
  public static void promtool(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of(binary("promtool").toString()));
    command.addAll(List.of(args));
    try {
      Path out = dir.resolve("promtool.log");
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(
            "promtool " + String.join(" ", args) + " failed:\n" + Files.readString(out));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The Debian binary's path.
   *
   * @throws IllegalStateException naming the package to install when it is not there
   */
  public static Path binary(String name) {
    for (String dir : List.of("/usr/bin", "/usr/local/bin", "/bin")) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    String pkg = name.equals("promtool") ? "prometheus" : name;
    throw new IllegalStateException(
        name
            + " is not installed: this test needs the real one. Install it with"
            + " `apt-get install -y "
            + pkg
            + "` (.ci/run does).");
  }

  private interface Args {
    List<String> of(int port);
  }

  private static RealComponent start(
      String binary, Path dir, String configYaml, String readyPath, Args args) {
    try {
      Files.createDirectories(dir);
      Path config = dir.resolve(binary + ".yml");
      Files.writeString(config, configYaml);
      int port = freePort();
      List<String> command = new ArrayList<>();
      command.add(binary(binary).toString());
      command.add("--config.file=" + config);
      command.addAll(args.of(port));
      Path log = dir.resolve(binary + ".log");
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      URI url = URI.create("http://127.0.0.1:" + port);
      RealComponent component = new RealComponent(binary, process, url, log);
      component.awaitReady(readyPath);
      return component;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady(String path) {
    HttpClient http = HttpClient.newHttpClient();
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException(name + " exited:\n" + Files.readString(log));
                }
                try {
                  return http.send(
                              HttpRequest.newBuilder(url.resolve(path)).build(),
                              HttpResponse.BodyHandlers.discarding())
                          .statusCode()
                      == 200;
                } catch (IOException e) {
                  return false;
                }
              });
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  public URI url() {
    return url;
  }

  public boolean running() {
    return process.isAlive();
  }

  /** Stops the process (as a crash or an operator would) and waits for it to end. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
