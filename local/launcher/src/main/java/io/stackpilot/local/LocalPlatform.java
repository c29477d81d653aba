package io.stackpilot.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.NotificationFailed;
import io.stackpilot.events.NotificationSent;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepFailed;
import io.stackpilot.stackctl.EventFeed;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the whole platform on this machine: a real KRaft broker process, the registry, simulated
 * clusters, the four services as separate JVMs; then declares a sample stack and prints the rollout
 * as the topics record it. Ctrl-C (or {@code down} from another shell) stops everything.
 */
@Command(
    name = "stackpilot-local",
    mixinStandardHelpOptions = true,
    subcommands = {LocalPlatform.Up.class, LocalPlatform.Down.class})
public final class LocalPlatform {
  static final String[] SERVICES = {"planner", "applier", "verifier", "notifier"};

  public static void main(String[] args) {
    // Avro 1.12 refuses to instantiate generated classes outside the trusted packages.
    if (System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES") == null) {
      System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "io.stackpilot.events");
    }
    System.exit(new CommandLine(new LocalPlatform()).execute(args));
  }

  /** Starts everything and rolls out the sample stack. */
  @Command(name = "up", description = "Start the platform and roll out a stack.")
  static final class Up implements Callable<Integer> {
    @Option(names = "--root", description = "Repository root (default: current directory).")
    Path root = Path.of("").toAbsolutePath();

    @Option(names = "--stack", description = "Stack + fleet YAML to declare.")
    Path stack = Path.of("examples/lgtm-multicluster.yaml");

    @Option(names = "--clusters", split = ",", description = "Simulated clusters.")
    List<String> clusters = List.of("foundation", "cryptellation", "perso");

    @Option(names = "--kafka-port")
    int kafkaPort = 9092;

    @Option(names = "--registry-port")
    int registryPort = 8081;

    @Option(names = "--planner-port")
    int plannerPort = 8080;

    @Option(names = "--webhook-port")
    int webhookPort = 9095;

    @Option(
        names = "--exit-when-done",
        description = "Stop everything once the rollout is verified and notified (for scripts).")
    boolean exitWhenDone;

    @Option(names = "--timeout", description = "How long the rollout may take (default PT3M).")
    Duration timeout = Duration.ofMinutes(3);

    @Override
    public Integer call() throws Exception {
      Path state = root.resolve(".local");
      Supervisor supervisor = new Supervisor(state);
      supervisor.recordLauncher();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    System.out.println("\nstopping the local platform...");
                    supervisor.stopAll();
                    supervisor.forgetLauncher();
                  },
                  "stop-local-platform"));
      try {
        return run(state, supervisor);
      } finally {
        if (exitWhenDone) {
          supervisor.stopAll();
        }
      }
    }

    private int run(Path state, Supervisor supervisor) throws Exception {
      step("broker", "real KRaft broker process on 127.0.0.1:" + kafkaPort);
      LocalKafka kafka =
          new LocalKafka(state, root.resolve("local/broker/target/broker.classpath"), kafkaPort);
      kafka.prepare(supervisor);
      Supervisor.Started broker = supervisor.start("kafka", kafka.command());
      supervisor.awaitReady(broker, Duration.ofSeconds(60), () -> Supervisor.portOpen(kafkaPort));

      step("clusters", "fabric8 mock API servers (CRUD) for " + clusters);
      Path kubeconfig = state.resolve("kubeconfig");
      Path fleetReady = state.resolve("fleet.ready");
      Files.deleteIfExists(fleetReady);
      Supervisor.Started fleet =
          supervisor.start(
              "fleet-simulator",
              javaJar(
                  "platform/fleet-simulator/target/stackpilot-fleet-simulator-0.1.0-SNAPSHOT-exec.jar",
                  "--clusters",
                  String.join(",", clusters),
                  "--kubeconfig",
                  kubeconfig.toString(),
                  "--ready-file",
                  fleetReady.toString()));
      supervisor.awaitReady(fleet, Duration.ofSeconds(60), () -> Files.exists(fleetReady));
      System.out.println("           kubeconfig: " + kubeconfig + " (one context per cluster)");

      String registryUrl = "http://127.0.0.1:" + registryPort;
      step("registry", "Confluent-compatible schema registry on " + registryUrl);
      Supervisor.Started registry =
          supervisor.start(
              "registry",
              javaJar(
                  "platform/registry/target/stackpilot-registry-0.1.0-SNAPSHOT-exec.jar",
                  "--stackpilot.registry.bootstrap-servers=" + kafka.bootstrapServers(),
                  "--server.port=" + registryPort));
      supervisor.awaitReady(
          registry, Duration.ofSeconds(90), () -> Supervisor.httpOk(registryUrl + "/subjects"));

      WebhookReceiver webhook = new WebhookReceiver(webhookPort, System.out);
      String apiToken = apiToken(state);
      step("services", String.join(", ", SERVICES) + " (one JVM each)");
      List<Supervisor.Started> services = new ArrayList<>();
      for (int i = 0; i < SERVICES.length; i++) {
        String name = SERVICES[i];
        int port = i == 0 ? plannerPort : plannerPort + 1 + i;
        services.add(
            supervisor.start(
                name,
                javaJar(
                    "services/" + name + "/target/stackpilot-" + name + "-0.1.0-SNAPSHOT-exec.jar",
                    "--stackpilot.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                    "--stackpilot.registry.url=" + registryUrl,
                    "--stackpilot.kube.kubeconfig=" + kubeconfig,
                    "--stackpilot.notifier.webhook.url=" + webhook.url(),
                    "--server.port=" + port),
                name.equals("planner")
                    ? java.util.Map.of("STACKPILOT_PLANNER_API_TOKEN", apiToken)
                    : java.util.Map.of()));
      }
      for (int i = 0; i < services.size(); i++) {
        int port = i == 0 ? plannerPort : plannerPort + 1 + i;
        supervisor.awaitReady(
            services.get(i),
            Duration.ofSeconds(120),
            () -> Supervisor.httpOk("http://127.0.0.1:" + port + "/actuator/health"));
        System.out.println(
            "           " + SERVICES[i] + " ready on :" + port + "  log: " + services.get(i).log());
      }

      EventFeed progress = new EventFeed(kafka.bootstrapServers(), registryUrl, System.out);
      Thread printer = new Thread(progress, "progress");
      printer.setDaemon(true);
      printer.start();

      step("rollout", "declaring " + stack + " as user:" + System.getProperty("user.name"));
      JsonNode accepted = declare(root.resolve(stack), apiToken);
      String rolloutId = accepted.path("rolloutId").asText();
      progress.watch(rolloutId);
      System.out.println("           rollout " + rolloutId + "\n");

      int expected = accepted.path("steps").asInt();
      Instant deadline = Instant.now().plus(timeout);
      while (progress.count(NotificationSent.class) + progress.count(NotificationFailed.class)
              < expected
          && Instant.now().isBefore(deadline)) {
        Supervisor.pause(Duration.ofMillis(250));
      }
      Supervisor.pause(Duration.ofMillis(500)); // let the last webhook lines print
      boolean done = progress.count(NotificationSent.class) == expected;
      int healthy = progress.count(ComponentVerified.class);
      System.out.printf(
          "%n%s rollout %s: %d/%d steps applied, %d failed, %d verified, %d notifications sent, %d webhooks received%n",
          done ? "DONE" : "INCOMPLETE",
          rolloutId,
          progress.count(StepApplied.class),
          expected,
          progress.count(StepFailed.class),
          healthy,
          progress.count(NotificationSent.class),
          webhook.received());
      System.out.println(
          "Topics: kcat -b "
              + kafka.bootstrapServers()
              + " -L    Registry: "
              + registryUrl
              + "/subjects");
      if (exitWhenDone) {
        progress.stop();
        webhook.close();
        return done ? 0 : 1;
      }
      System.out.println("Running. Ctrl-C (or ./stackpilot local down) stops everything.");
      Thread.currentThread().join();
      return 0;
    }

    /**
     * A fresh API token for this run's planner, readable only by its owner in .local/api-token (for
     * curl); it is never printed or put on a command line.
     */
    private static String apiToken(Path state) throws IOException {
      byte[] random = new byte[24];
      new java.security.SecureRandom().nextBytes(random);
      String token = java.util.HexFormat.of().formatHex(random);
      Path file = state.resolve("api-token");
      Files.deleteIfExists(file);
      Files.createFile(
          file,
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, token);
      return token;
    }

    private JsonNode declare(Path yaml, String apiToken) throws IOException, InterruptedException {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plannerPort + "/api/v1/rollouts"))
              .header("Content-Type", "application/yaml")
              .header("Authorization", "Bearer " + apiToken)
              .header("Stackpilot-Actor", "user:" + System.getProperty("user.name"))
              .header("Stackpilot-Reason", "local run: " + yaml.getFileName())
              .POST(HttpRequest.BodyPublishers.ofString(Files.readString(yaml)))
              .build();
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 202) {
        throw new IllegalStateException("planner refused the stack: " + response.body());
      }
      return new ObjectMapper().readTree(response.body());
    }

    private List<String> javaJar(String jar, String... args) {
      Path path = root.resolve(jar);
      if (!Files.isRegularFile(path)) {
        throw new IllegalStateException(
            path + " is missing: build first (./mvnw -DskipTests install)");
      }
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-Xmx256m");
      cmd.add("-XX:+UseSerialGC");
      cmd.add("-XX:TieredStopAtLevel=1");
      cmd.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.stackpilot.events");
      cmd.add("-jar");
      cmd.add(path.toString());
      cmd.addAll(List.of(args));
      return cmd;
    }

    private static void step(String what, String detail) {
      System.out.printf("==> %-9s %s%n", what, detail);
    }
  }

  /** Stops whatever an earlier {@code up} left running (from its pid files). */
  @Command(name = "down", description = "Stop every process of a local run.")
  static final class Down implements Callable<Integer> {
    @Option(names = "--root")
    Path root = Path.of("").toAbsolutePath();

    @Override
    public Integer call() throws IOException {
      int n = new Supervisor(root.resolve(".local")).stopRecorded();
      System.out.println(n == 0 ? "nothing running" : "stopped " + n + " processes");
      return 0;
    }
  }
}
