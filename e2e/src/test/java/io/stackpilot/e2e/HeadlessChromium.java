package io.stackpilot.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's chromium, headless: screenshots and rendered DOMs of local pages. A missing binary fails
 * the test with the package to install, as {@code RealComponent} does for Prometheus.
 */
final class HeadlessChromium {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private final Path binary;
  private final Path profile;

  private HeadlessChromium(Path binary, Path profile) {
    this.binary = binary;
    this.profile = profile;
  }

  /**
   * @param work a directory for chromium's profile and logs
   * @throws IllegalStateException naming the package when chromium is not installed
   */
  static HeadlessChromium in(Path work) {
    for (String dir : List.of("/usr/bin", "/usr/local/bin", "/bin")) {
      Path p = Path.of(dir, "chromium");
      if (Files.isExecutable(p)) {
        return new HeadlessChromium(p, work);
      }
    }
    throw new IllegalStateException(
        "chromium is not installed: this test opens the audit report in the real headless browser."
            + " Install it with `apt-get install -y chromium` (.ci/run does).");
  }

  /** Renders the page and writes a PNG of the window. */
  void screenshot(Path page, Path png, int width, int height) {
    run("screenshot", "--screenshot=" + png, "--window-size=" + width + "," + height, url(page));
  }

  /** The DOM after the page was loaded and laid out, as chromium serializes it. */
  String dumpDom(Path page) {
    return run("dom", "--dump-dom", url(page));
  }

  private static String url(Path page) {
    return page.toAbsolutePath().toUri().toString();
  }

  private String run(String name, String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.add("--headless");
    command.add("--no-sandbox");
    command.add("--disable-gpu");
    command.add("--user-data-dir=" + profile.resolve("profile-" + name));
    command.addAll(List.of(args));
    Path out = profile.resolve(name + ".out");
    Path log = profile.resolve(name + ".log");
    try {
      Files.createDirectories(profile);
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(log.toFile())
              .start();
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "chromium did not exit within " + TIMEOUT + ": " + command + "\n" + tail(log));
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "chromium exited " + process.exitValue() + ": " + command + "\n" + tail(log));
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("could not run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String tail(Path log) throws IOException {
    String text = Files.exists(log) ? Files.readString(log) : "";
    return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
  }
}
