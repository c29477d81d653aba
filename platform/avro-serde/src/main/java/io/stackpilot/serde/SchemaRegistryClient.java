package io.stackpilot.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A caching client of the Confluent Schema Registry REST API.
 *
 * <p>Schema ids and the schemas behind them never change once assigned, so schema→id (per subject)
 * and id→schema are cached forever; "latest" and the subject list are always fetched. Several
 * comma-separated base URLs may be given: the next one is tried when one cannot be reached.
 * Credentials (URL user-info or {@code basicAuthUserInfo}) are sent as Basic auth and never appear
 * in messages.
 */
public class SchemaRegistryClient {

  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9,"
          + " application/json; qs=0.5";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<RegistryEndpoint> endpoints;
  private final Transport transport;
  private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

  /** A client of the registry at {@code baseUrl} ({@code http(s)://[user:pass@]host:port}). */
  public SchemaRegistryClient(String baseUrl) {
    this(baseUrl, null);
  }

  /** As {@link #SchemaRegistryClient(String)}; {@code user:password} wins over URL user-info. */
  public SchemaRegistryClient(String baseUrl, String basicAuthUserInfo) {
    this(baseUrl, basicAuthUserInfo, Transport.http());
  }

  SchemaRegistryClient(String baseUrl, String basicAuthUserInfo, Transport transport) {
    if (baseUrl == null || baseUrl.isBlank()) {
      throw new IllegalArgumentException("schema registry URL must not be empty");
    }
    this.endpoints =
        Arrays.stream(baseUrl.split(","))
            .filter(s -> !s.isBlank())
            .map(s -> RegistryEndpoint.parse(s, basicAuthUserInfo))
            .toList();
    this.transport = transport;
  }

  /** The registry URL(s) without credentials, for messages. */
  public String url() {
    return String.join(",", endpoints.stream().map(RegistryEndpoint::display).toList());
  }

  /** Registers a schema under a subject (idempotent on the server) and returns its global id. */
  public int register(String subject, Schema schema) {
    Integer cached = cachedId(subject, schema);
    if (cached != null) {
      return cached;
    }
    JsonNode answer =
        call("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
    int id = requiredInt(answer, "id");
    remember(subject, schema, id);
    return id;
  }

  /** The id of a schema already registered under a subject; 40401/40403 when it is not. */
  public int lookupId(String subject, Schema schema) {
    Integer cached = cachedId(subject, schema);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = call("POST", "/subjects/" + encode(subject), schemaBody(schema));
    int id = requiredInt(answer, "id");
    remember(subject, schema, id);
    return id;
  }

  /** The schema with a global id; 40403 when there is none. */
  public Schema getById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = call("GET", "/schemas/ids/" + id, null);
    Schema schema = parse(answer, "/schemas/ids/" + id);
    Schema raced = schemasById.putIfAbsent(id, schema);
    return raced == null ? schema : raced;
  }

  /** The latest (highest, not deleted) version of a subject; 40401 when the subject is unknown. */
  public RegisteredSchema latest(String subject) {
    String path = "/subjects/" + encode(subject) + "/versions/latest";
    JsonNode answer = call("GET", path, null);
    int id = requiredInt(answer, "id");
    Schema schema = schemasById.computeIfAbsent(id, k -> parse(answer, path));
    remember(subject, schema, id);
    return new RegisteredSchema(
        answer.path("subject").asText(subject), requiredInt(answer, "version"), id, schema);
  }

  /** All subjects that have at least one live version. */
  public List<String> subjects() {
    JsonNode answer = call("GET", "/subjects", null);
    if (!answer.isArray()) {
      throw unexpected("/subjects", "expected a JSON array");
    }
    List<String> subjects = new ArrayList<>();
    answer.forEach(node -> subjects.add(node.asText()));
    return List.copyOf(subjects);
  }

  /** Whether the schema could be registered under the subject's compatibility level now. */
  public boolean testCompatibility(String subject, Schema schema) {
    String path = "/compatibility/subjects/" + encode(subject) + "/versions/latest";
    JsonNode answer = call("POST", path, schemaBody(schema));
    JsonNode compatible = answer.get("is_compatible");
    if (compatible == null || !compatible.isBoolean()) {
      throw unexpected(path, "no boolean is_compatible");
    }
    return compatible.booleanValue();
  }

  private Integer cachedId(String subject, Schema schema) {
    Map<Schema, Integer> ids = idsBySubject.get(subject);
    return ids == null ? null : ids.get(schema);
  }

  private void remember(String subject, Schema schema, int id) {
    idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>()).put(schema, id);
    schemasById.putIfAbsent(id, schema);
  }

  private static String schemaBody(Schema schema) {
    ObjectNode body = JSON.createObjectNode();
    body.put("schema", schema.toString());
    return body.toString();
  }

  private Schema parse(JsonNode answer, String path) {
    String type = answer.path("schemaType").asText("AVRO");
    if (!"AVRO".equalsIgnoreCase(type)) {
      throw unexpected(path, "schema type " + type + " is not supported, only AVRO");
    }
    JsonNode text = answer.get("schema");
    if (text == null || !text.isTextual()) {
      throw unexpected(path, "no schema string");
    }
    try {
      // A fresh parser each time: a parser remembers named types and would reject a redefinition.
      return new Schema.Parser().parse(text.asText());
    } catch (SchemaParseException e) {
      throw new SchemaRegistryException(
          200,
          SchemaRegistryException.NO_RESPONSE,
          "registry " + url() + path + " returned an invalid Avro schema: " + e.getMessage(),
          e);
    }
  }

  private int requiredInt(JsonNode answer, String field) {
    JsonNode value = answer.get(field);
    if (value == null || !value.canConvertToInt()) {
      throw unexpected("", "no integer '" + field + "' in " + abbreviate(answer.toString()));
    }
    return value.intValue();
  }

  private SchemaRegistryException unexpected(String path, String what) {
    return new SchemaRegistryException(
        200,
        SchemaRegistryException.NO_RESPONSE,
        "unexpected answer from schema registry " + url() + path + ": " + what);
  }

  private JsonNode call(String method, String path, String body) {
    SchemaRegistryException unreachable = null;
    for (RegistryEndpoint endpoint : endpoints) {
      URI uri = endpoint.resolve(path);
      Transport.Response response;
      try {
        response = transport.exchange(method, uri, body, endpoint.authorization());
      } catch (IOException e) {
        unreachable =
            new SchemaRegistryException(
                SchemaRegistryException.NO_RESPONSE,
                SchemaRegistryException.NO_RESPONSE,
                "cannot reach schema registry at " + uri + " (" + method + "): " + e,
                e);
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException(
            SchemaRegistryException.NO_RESPONSE,
            SchemaRegistryException.NO_RESPONSE,
            "interrupted while calling schema registry at " + uri,
            e);
      }
      return interpret(method, uri, response);
    }
    throw unreachable;
  }

  private static JsonNode interpret(String method, URI uri, Transport.Response response) {
    JsonNode json;
    try {
      json =
          response.body() == null || response.body().isBlank()
              ? null
              : JSON.readTree(response.body());
    } catch (JsonProcessingException e) {
      json = null;
    }
    int status = response.status();
    if (status >= 200 && status < 300 && json != null) {
      return json;
    }
    if (status >= 200 && status < 300) {
      throw new SchemaRegistryException(
          status,
          SchemaRegistryException.NO_RESPONSE,
          method
              + " "
              + uri
              + " answered HTTP "
              + status
              + " without JSON: "
              + abbreviate(response.body()));
    }
    int errorCode =
        json != null && json.path("error_code").canConvertToInt()
            ? json.path("error_code").intValue()
            : status;
    String message =
        json != null && json.hasNonNull("message")
            ? json.get("message").asText()
            : abbreviate(response.body());
    throw new SchemaRegistryException(
        status,
        errorCode,
        method
            + " "
            + uri
            + " failed: HTTP "
            + status
            + ", error_code "
            + errorCode
            + ": "
            + message);
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "(empty)";
    }
    return text.length() <= 300 ? text : text.substring(0, 300) + "…";
  }

  private static String encode(String subject) {
    if (subject == null || subject.isEmpty()) {
      throw new IllegalArgumentException("subject must not be empty");
    }
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The HTTP exchange, separate so tests can answer without a network. */
  interface Transport {

    record Response(int status, String body) {}

    Response exchange(String method, URI uri, String jsonBody, String authorization)
        throws IOException, InterruptedException;

    static Transport http() {
      HttpClient client =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .followRedirects(HttpClient.Redirect.NEVER)
              .build();
      return (method, uri, jsonBody, authorization) -> {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Accept", ACCEPT)
                .method(
                    method,
                    jsonBody == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        if (jsonBody != null) {
          request.header("Content-Type", CONTENT_TYPE);
        }
        if (authorization != null) {
          request.header("Authorization", authorization);
        }
        HttpResponse<String> response =
            client.send(
                request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(response.statusCode(), response.body());
      };
    }
  }
}
