package io.stackpilot.e2e;

import static io.stackpilot.e2e.RolloutEvents.awaitEnd;
import static io.stackpilot.e2e.RolloutEvents.gateRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stackpilot.applier.ApplierApplication;
import io.stackpilot.contract.Topic;
import io.stackpilot.events.RolloutPhase;
import io.stackpilot.events.RolloutStatusChanged;
import io.stackpilot.fleet.simulator.FleetSimulator;
import io.stackpilot.notifier.NotifierApplication;
import io.stackpilot.planner.PlannerApplication;
import io.stackpilot.testing.EventTap;
import io.stackpilot.testing.HttpSink;
import io.stackpilot.testing.KafkaBroker;
import io.stackpilot.testing.RealKafkaExtension;
import io.stackpilot.testing.SchemaRegistry;
import io.stackpilot.testing.ServiceArgs;
import io.stackpilot.verifier.VerifierApplication;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The web console, driven in Debian's headless chromium through Debian's chromedriver, against the
 * four services and three simulated clusters: revision 1 of the failed-gate scenario rolls out; the
 * page, opened once, shows the grid (every cluster × component healthy) and the rollout with its
 * waves and PROMOTE gates; revision 2 is declared while the page stays open and appears without a
 * reload, its second wave's gate judged ROLL_BACK with the reason; a click on a cluster shows its
 * timeline with actor, reason and causation. The same page at a 390×844 phone viewport fits the
 * width. Screenshots go to {@code e2e/target/console-*.png}; each must be well above a blank page's
 * size. A reason written as markup must come out as text.
 */
@ExtendWith(RealKafkaExtension.class)
class ConsoleE2E {
  static final String RUN = UUID.randomUUID().toString().substring(0, 6);
  static final String CANARY = "con-" + RUN + "-canary";
  static final String ONE = "con-" + RUN + "-one";
  static final String TWO = "con-" + RUN + "-two";
  static final List<String> CLUSTERS = List.of(CANARY, ONE, TWO);
  static final List<String> COMPONENTS = List.of("loki", "tempo");
  static final RollbackScenario SCENARIO =
      new RollbackScenario("console-system", CANARY, ONE, TWO, 2);

  /**
   * The second declaration's actor (a request header, not checked): markup a careless page runs.
   */
  static final String XSS = "user:<img src=x onerror=\"window.__xss=1\">";

  static final Path SHOTS = Path.of("target").toAbsolutePath();
  static final List<ConfigurableApplicationContext> services = new ArrayList<>();
  static FleetSimulator fleet;
  static HttpSink webhook;
  static KafkaBroker broker;
  static SchemaRegistry registry;
  static PlannerApi api;
  static String console;
  static ChromeDriver browser;

  @BeforeAll
  static void start(KafkaBroker kafka, SchemaRegistry schemaRegistry, @TempDir Path dir) {
    broker = kafka;
    registry = schemaRegistry;
    fleet = FleetSimulator.start(CLUSTERS);
    ClusterObjects.installRenderedCrds(fleet);
    Path kubeconfig = fleet.writeKubeconfig(dir.resolve("kubeconfig"));
    webhook = HttpSink.start();
    String[] args =
        ServiceArgs.of(
            broker,
            registry,
            "--stackpilot.kube.kubeconfig=" + kubeconfig,
            "--stackpilot.notifier.webhook.url=" + webhook.url(),
            // the drift detector's periodic reads would race the verifier for the refused read
            "--stackpilot.applier.drift.enabled=false");
    services.add(PlannerApplication.builder().run(args));
    services.add(ApplierApplication.builder().run(args));
    services.add(VerifierApplication.builder().run(args));
    services.add(NotifierApplication.builder().run(args));
    api = new PlannerApi(services.get(0), ServiceArgs.API_TOKEN);
    int port =
        services.get(0).getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    console = "http://127.0.0.1:" + port + "/console";
    browser = chromium(dir.resolve("chromium"));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    services.forEach(ConfigurableApplicationContext::close);
    if (webhook != null) {
      webhook.close();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void theConsoleShowsTheGridRolloutsAndATimelineLiveOnDesktopAndPhone() throws Exception {
    String stack = "con-" + RUN;
    try (EventTap tap =
        EventTap.avro(broker.bootstrapServers(), registry.url(), Topic.allNames())) {
      String first = declare(SCENARIO.spec(stack, "1.24.0", "24h"), "user:e2e");
      assertThat(awaitEnd(tap, first).getPhase()).isEqualTo(RolloutPhase.COMPLETED);

      browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
      browser.get(console);
      js("window.__loadedOnce = 'yes'");

      // the grid: every cluster × component of the stack, healthy, in text as well as colour
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(grid(stack))
                      .containsExactlyInAnyOrderElementsOf(expectedGrid("HEALTHY")));
      // the rollout, its three waves and their PROMOTE gates
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(rollout(first))
                      .containsEntry("phase", "COMPLETED")
                      .containsEntry(
                          "waves", "0:PROMOTED:PROMOTE|1:PROMOTED:PROMOTE|2:PROMOTED:PROMOTE"));

      // revision 2 while the page is open: it appears live; its second wave's gate fails
      String second = declare(SCENARIO.spec(stack, "1.25.0", "48h"), XSS);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(rollout(second)).containsKey("phase"));
      RolloutStatusChanged gate =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> gateRequest(tap, second, 1), r -> r != null);
      SCENARIO.refuseOneRead(fleet, gate.getGate().getSubjects());
      assertThat(awaitEnd(tap, second).getPhase()).isEqualTo(RolloutPhase.ROLLED_BACK);
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                Map<String, String> shown = rollout(second);
                assertThat(shown).containsEntry("phase", "ROLLED_BACK");
                assertThat(shown.get("waves"))
                    .startsWith("0:PROMOTED:PROMOTE|1:ROLLED_BACK:ROLL_BACK");
                assertThat(shown.get("text")).contains(ONE + "/tempo", XSS + " · ");
              });
      assertThat(js("return window.__loadedOnce")).as("no reload happened").isEqualTo("yes");
      shot("console-desktop");

      // a cluster's timeline: a click, then its events with actor, reason and causation
      click(By.cssSelector("button.cluster[data-cluster='" + ONE + "']"));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                String text = timelineText();
                assertThat(text)
                    .contains("Timeline of " + ONE)
                    .contains("StepApplied by user:e2e", "ComponentVerified", "caused by")
                    .contains("GateDecided by " + XSS, "why: health " + ONE + "/tempo")
                    .contains("ROLL_BACK");
              });
      assertThat(js("return typeof window.__xss"))
          .as("markup from a reason ran")
          .isEqualTo("undefined");
      assertThat(js("return document.querySelectorAll('#timeline img, #rollouts img').length"))
          .isEqualTo(0L);
      js("document.getElementById('timeline').scrollIntoView()");
      shot("console-timeline");

      // a phone: 390×844, the same page fits its width, the grid and rollouts still readable
      browser.executeCdpCommand(
          "Emulation.setDeviceMetricsOverride",
          Map.of("width", 390, "height", 844, "deviceScaleFactor", 2, "mobile", true));
      js("window.scrollTo(0, 0)");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> assertThat(js("return document.documentElement.clientWidth")).isEqualTo(390L));
      assertThat((Long) js("return document.documentElement.scrollWidth"))
          .as("no sideways scrolling of the page")
          .isLessThanOrEqualTo(390L);
      // after the roll-back every component is healthy again, the second wave on revision 1
      assertThat(grid(stack)).containsExactlyInAnyOrderElementsOf(expectedGrid("HEALTHY"));
      assertThat(cellText(stack, CANARY, "tempo")).contains("1.25.0");
      assertThat(cellText(stack, ONE, "tempo")).contains("1.24.0");
      assertThat(rollout(second)).containsEntry("phase", "ROLLED_BACK");
      shot("console-phone");
      click(By.cssSelector("button.cluster[data-cluster='" + CANARY + "']"));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> assertThat(timelineText()).contains("Timeline of " + CANARY, "StepApplied"));
      shot("console-phone-timeline");
      // over plain HTTP: the page's headers, and bad input answered 4xx naming the field
      HttpResponse<String> page = api.get("/console/index.html");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Security-Policy"))
          .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'"));
      HttpResponse<String> badName = api.get("/api/v1/console/clusters/%3Cscript%3E/timeline");
      assertThat(badName.statusCode()).as(badName.body()).isEqualTo(400);
      assertThat(badName.body()).contains("\"field\":\"cluster\"");
      HttpResponse<String> badLimit =
          api.get("/api/v1/console/clusters/" + ONE + "/timeline?limit=0");
      assertThat(badLimit.statusCode()).as(badLimit.body()).isEqualTo(400);
      assertThat(badLimit.body()).contains("\"field\":\"limit\"");
      HttpResponse<String> unknown =
          api.get("/api/v1/console/clusters/con-" + RUN + "-nowhere/timeline");
      assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
      System.out.printf(
          "ConsoleE2E: stack %s, rollouts %s and %s; screenshots in %s%n",
          stack, first, second, SHOTS);
    }
  }

  private static List<String> expectedGrid(String health) {
    List<String> out = new ArrayList<>();
    for (String c : CLUSTERS) {
      for (String component : COMPONENTS) {
        out.add(c + "/" + component + "=" + health);
      }
    }
    return out;
  }

  /** The stack's grid as the page shows it: cluster/component=HEALTH text, read in one go. */
  @SuppressWarnings("unchecked")
  private static List<String> grid(String stack) {
    return (List<String>)
        js(
            "var g = document.querySelector('.grid[data-stack=\"' + arguments[0] + '\"]');"
                + "if (!g) return [];"
                + "return Array.prototype.map.call(g.querySelectorAll('td.cell'), function (td) {"
                + "  var h = td.querySelector('.health');"
                + "  return td.getAttribute('data-cluster') + '/' + td.getAttribute('data-component')"
                + "    + '=' + (h ? h.textContent : td.textContent); });",
            stack);
  }

  private static String cellText(String stack, String cluster, String component) {
    return String.valueOf(
        js(
            "var td = document.querySelector('.grid[data-stack=\"' + arguments[0] + '\"]"
                + " td[data-cluster=\"' + arguments[1] + '\"][data-component=\"' + arguments[2]"
                + " + '\"]'); return td ? td.innerText : '';",
            stack,
            cluster,
            component));
  }

  /** A rollout's card: phase, waves as index:state:gate, and its visible text. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> rollout(String id) {
    return (Map<String, String>)
        js(
            "var a = document.querySelector('article.rollout[data-rollout=\"' + arguments[0] + '\"]');"
                + "if (!a) return {};"
                + "var waves = Array.prototype.map.call(a.querySelectorAll('ol.waves li'), function (li) {"
                + "  var g = li.querySelector('.gate');"
                + "  return li.getAttribute('data-wave') + ':' + li.getAttribute('data-state') + ':'"
                + "    + (g ? g.getAttribute('data-gate') : '-'); }).join('|');"
                + "return {phase: a.getAttribute('data-phase'), waves: waves, text: a.innerText};",
            id);
  }

  private static String timelineText() {
    Object text =
        js(
            "var t = document.getElementById('timeline');"
                + "return t.hidden || !t.hasAttribute('data-loaded') ? '' : t.innerText;");
    return String.valueOf(text);
  }

  private static void click(By by) {
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreException(StaleElementReferenceException.class)
        .untilAsserted(() -> browser.findElement(by).click());
  }

  private static Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  /** Saves the viewport as target/NAME.png and checks it is far from a blank page's size. */
  private static void shot(String name) throws Exception {
    byte[] png = browser.getScreenshotAs(OutputType.BYTES);
    Path file = SHOTS.resolve(name + ".png");
    Files.createDirectories(SHOTS);
    Files.write(file, png);
    Object blankSize =
        js(
            "var c = document.createElement('canvas');"
                + "c.width = window.innerWidth * window.devicePixelRatio;"
                + "c.height = window.innerHeight * window.devicePixelRatio;"
                + "var x = c.getContext('2d'); x.fillStyle = '#fff'; x.fillRect(0, 0, c.width, c.height);"
                + "return atob(c.toDataURL('image/png').split(',')[1]).length;");
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    assertThat((long) png.length)
        .as(name + ": the screenshot against a blank page of the same size")
        .isGreaterThan(5 * ((Number) blankSize).longValue());
    System.out.printf("ConsoleE2E: %s, %d bytes (blank: %s)%n", file, png.length, blankSize);
  }

  private static String declare(String yaml, String actor) throws Exception {
    HttpResponse<String> accepted = api.declare(yaml, "", actor, "console e2e");
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    return PlannerApi.rolloutId(accepted);
  }

  /** Debian's chromium through Debian's chromedriver; a missing package fails naming it. */
  static ChromeDriver chromium(Path profile) {
    File driver = new File("/usr/bin/chromedriver");
    File binary = new File("/usr/bin/chromium");
    if (!driver.canExecute() || !binary.canExecute()) {
      throw new IllegalStateException(
          "ConsoleE2E drives Debian's chromium through its chromedriver: apt-get install -y"
              + " chromium chromium-driver (.ci/run does)");
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(binary);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(driver).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }
}
