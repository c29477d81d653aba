package io.stackpilot.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.avro.Schema;

/** Raw HTTP against a registry, to see status codes, content types and error bodies as sent. */
final class RegistryHttp {

  static final String V1 = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Answer(int status, String contentType, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON (HTTP " + status + "): " + body, e);
      }
    }

    int errorCode() {
      return json().path("error_code").asInt(-1);
    }
  }

  private final String baseUrl;

  RegistryHttp(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  Answer get(String path) {
    return send("GET", path, null, null, V1);
  }

  Answer post(String path, String body) {
    return send("POST", path, body, V1, V1);
  }

  Answer put(String path, String body) {
    return send("PUT", path, body, V1, V1);
  }

  Answer delete(String path) {
    return send("DELETE", path, null, null, V1);
  }

  Answer send(String method, String path, String body, String contentType, String accept) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (accept != null) {
      request.header("Accept", accept);
    }
    try {
      HttpResponse<String> response =
          CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String schemaBody(Schema schema) {
    return JSON.createObjectNode().put("schema", schema.toString()).toString();
  }

  static String schemaBody(String schemaJson) {
    return JSON.createObjectNode().put("schema", schemaJson).toString();
  }
}
