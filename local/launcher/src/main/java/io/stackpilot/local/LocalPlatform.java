package io.stackpilot.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackpilot.events.ComponentVerified;
import io.stackpilot.events.NotificationSent;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.events.StepApplied;
import io.stackpilot.events.StepFailed;
import io.stackpilot.stackctl.EventFeed;
import io.stackpilot.stackctl.RolloutTracker;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;
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

  /**
   * The notifier answers verdicts, not the rollout's end: after the terminal transition, the last
   * notifications get this long to land before the counts are printed.
   */
  static final Duration NOTIFICATION_GRACE = Duration.ofSeconds(5);

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
        description =
            "Stop everything once the rollout has ended and its notifications are in; exit 0 if"
                + " it COMPLETED, 1 if not (for scripts).")
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
                    : name.equals("notifier")
                        ? java.util.Map.of("STACKPILOT_NOTIFIER_API_TOKEN", apiToken)
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

      step("rollout", "declaring " + stack + " as user:" + System.getProperty("user.name"));
      Declared declared = declare(root.resolve(stack), apiToken);
      String topics =
          "Topics: kcat -b "
              + kafka.bootstrapServers()
              + " -L    Registry: "
              + registryUrl
              + "/subjects";
      boolean done;
      if (declared.rolloutId() == null) {
        // the clusters already run this stack (kept in .local/ from an earlier run)
        System.out.printf("%nDONE rollout (none): no changes, the fleet already runs %s%n", stack);
        System.out.println(topics);
        done = true;
      } else {
        // the feed reads from the earliest offset, so it starts once it knows what to watch
        EventFeed progress = new EventFeed(kafka.bootstrapServers(), registryUrl, System.out);
        progress.watch(declared.rolloutId());
        Thread printer = new Thread(progress, "progress");
        printer.setDaemon(true);
        printer.start();
        System.out.println("           rollout " + declared.rolloutId() + "\n");
        done = follow(progress.tracker(), declared, timeout, webhook::received, System.out);
        System.out.println(topics);
        if (exitWhenDone) {
          progress.stop();
        }
      }
      if (exitWhenDone) {
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

    /**
     * Waits for the rollout's terminal transition on stackpilot.rollout-status, gives the
     * notifications of its last verdicts a moment to land, and prints the counts: DONE when it
     * COMPLETED, INCOMPLETE otherwise (another terminal phase, or none before --timeout).
     */
    static boolean follow(
        RolloutTracker tracker,
        Declared declared,
        Duration timeout,
        IntSupplier webhooksReceived,
        PrintStream out)
        throws InterruptedException {
      String rolloutId = declared.rolloutId();
      boolean ended = tracker.await(() -> tracker.ending(rolloutId).isPresent(), timeout);
      if (ended) {
        tracker.await(tracker::notified, NOTIFICATION_GRACE);
      }
      Optional<RolloutStatusChanged> last =
          ended ? tracker.ending(rolloutId) : tracker.status(rolloutId);
      boolean done = ended && last.get().getPhase() == RolloutPhase.COMPLETED;
      int expected =
          last.map(s -> s.getProgress().getStepsTotal())
              .orElse(tracker.plannedSteps() >= 0 ? tracker.plannedSteps() : declared.steps());
      out.printf(
          "%n%s rollout %s: %d/%d steps applied, %d failed, %d verified, %d notifications sent, %d webhooks received%n",
          done ? "DONE" : "INCOMPLETE",
          rolloutId,
          tracker.count(StepApplied.class),
          expected,
          tracker.count(StepFailed.class),
          tracker.count(ComponentVerified.class),
          tracker.count(NotificationSent.class),
          webhooksReceived.getAsInt());
      out.println(
          ended
              ? "           phase " + last.get().getPhase() + ": " + last.get().getReason()
              : "           no terminal phase within "
                  + timeout
                  + last.map(s -> " (still " + s.getPhase() + ")").orElse(""));
      return done;
    }

    /** What the planner made of the declaration: the rollout to follow, if there is one. */
    record Declared(String rolloutId, int steps) {}

    /**
     * Declares the stack. A stack the clusters already run is answered 200 unchanged (no rollout);
     * one whose earlier rollout is still going (a run stopped midway) 409 with that rollout, which
     * is then the one to follow.
     */
    private Declared declare(Path yaml, String apiToken) throws IOException, InterruptedException {
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
      JsonNode body;
      try {
        body = new ObjectMapper().readTree(response.body().isBlank() ? "{}" : response.body());
      } catch (IOException e) {
        throw new IllegalStateException(
            "planner answered HTTP " + response.statusCode() + ": " + response.body(), e);
      }
      if (response.statusCode() == 202) {
        return new Declared(body.path("rolloutId").asText(), body.path("steps").asInt());
      }
      if (response.statusCode() == 200 && body.path("unchanged").asBoolean(false)) {
        return new Declared(null, 0);
      }
      if (response.statusCode() == 409 && body.path("rolloutId").isTextual()) {
        System.out.println(
            "           an earlier rollout of this stack has not finished: following it");
        return new Declared(body.path("rolloutId").asText(), -1);
      }
      throw new IllegalStateException("planner refused the stack: " + response.body());
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
