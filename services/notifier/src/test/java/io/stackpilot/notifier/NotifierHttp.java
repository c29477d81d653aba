package io.stackpilot.notifier;

import static org.awaitility.Awaitility.await;

import io.stackpilot.testing.ServiceArgs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The HTTP API of a notifier process, found through the port its log announces. */
final class NotifierHttp {
  private static final Pattern PORT =
      Pattern.compile("Tomcat started on port (?:\\(s\\): )?(\\d+)");
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final String base;

  private NotifierHttp(String base) {
    this.base = base;
  }

  /** Waits for the process (the log holding only its run) to listen and to have its silences. */
  static NotifierHttp of(Path log, Duration within) {
    String[] port = new String[1];
    await()
        .atMost(within)
        .until(
            () -> {
              String text = Files.exists(log) ? Files.readString(log) : "";
              Matcher m = PORT.matcher(text);
              String last = null;
              while (m.find()) {
                last = m.group(1);
              }
              port[0] = last;
              return last != null && text.contains("silences rebuilt");
            });
    return new NotifierHttp("http://127.0.0.1:" + port[0]);
  }

  HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + ServiceArgs.API_TOKEN)
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> delete(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Stackpilot-Actor", "user:test")
            .header("Authorization", "Bearer " + ServiceArgs.API_TOKEN)
            .DELETE()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
