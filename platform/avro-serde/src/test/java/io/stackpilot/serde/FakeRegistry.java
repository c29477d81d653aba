package io.stackpilot.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;

/**
 * An in-memory stand-in for the registry's HTTP side, so client and serde tests need no network.
 */
final class FakeRegistry implements SchemaRegistryClient.Transport {

  record Call(String method, URI uri, String body, String authorization) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> idsBySchema = new LinkedHashMap<>();
  private final Map<String, List<Integer>> versionsBySubject = new LinkedHashMap<>();
  private int nextId;

  FakeRegistry(int firstId) {
    this.nextId = firstId;
  }

  /** Registers directly, as another producer would have done. */
  synchronized int preRegister(String subject, Schema schema) {
    return register(subject, schema.toString());
  }

  @Override
  public synchronized Response exchange(String method, URI uri, String body, String authorization)
      throws IOException {
    calls.add(new Call(method, uri, body, authorization));
    String[] p = uri.getRawPath().substring(1).split("/");
    String subject = p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : null;
    if (method.equals("POST") && p[0].equals("subjects") && p.length == 3) {
      return ok(Map.of("id", register(subject, schemaOf(body))));
    }
    if (method.equals("POST") && p[0].equals("subjects") && p.length == 2) {
      if (!versionsBySubject.containsKey(subject)) {
        return error(404, 40401, "Subject '" + subject + "' not found.");
      }
      Integer id = idsBySchema.get(canonical(schemaOf(body)));
      if (id == null || !versionsBySubject.get(subject).contains(id)) {
        return error(404, 40403, "Schema not found");
      }
      return ok(Map.of("subject", subject, "id", id, "version", 1, "schema", schemaOf(body)));
    }
    if (method.equals("GET") && p[0].equals("schemas") && p.length == 3) {
      int id = Integer.parseInt(p[2]);
      return idsBySchema.entrySet().stream()
          .filter(e -> e.getValue() == id)
          .findFirst()
          .map(e -> ok(Map.of("schema", e.getKey())))
          .orElseGet(() -> error(404, 40403, "Schema " + id + " not found"));
    }
    if (method.equals("GET") && p[0].equals("subjects") && p.length == 1) {
      return ok(new ArrayList<>(versionsBySubject.keySet()));
    }
    if (method.equals("GET") && p[0].equals("subjects") && p.length == 4) {
      List<Integer> ids = versionsBySubject.get(subject);
      if (ids == null) {
        return error(404, 40401, "Subject '" + subject + "' not found.");
      }
      int id = ids.get(ids.size() - 1);
      String schema = get(id);
      return ok(Map.of("subject", subject, "version", ids.size(), "id", id, "schema", schema));
    }
    if (method.equals("POST") && p[0].equals("compatibility")) {
      subject = URLDecoder.decode(p[2], StandardCharsets.UTF_8);
      List<Integer> ids = versionsBySubject.getOrDefault(subject, List.of());
      List<Schema> previous = ids.stream().map(i -> new Schema.Parser().parse(get(i))).toList();
      Schema candidate = new Schema.Parser().parse(schemaOf(body));
      return ok(
          Map.of(
              "is_compatible",
              AvroCompatibility.check(CompatibilityLevel.BACKWARD, candidate, previous).isEmpty()));
    }
    return error(404, 404, "HTTP 404 Not Found");
  }

  private int register(String subject, String schema) {
    String key = canonical(schema);
    int id = idsBySchema.computeIfAbsent(key, k -> nextId++);
    List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
    if (!versions.contains(id)) {
      versions.add(id);
    }
    return id;
  }

  private String get(int id) {
    return idsBySchema.entrySet().stream()
        .filter(e -> e.getValue() == id)
        .findFirst()
        .orElseThrow()
        .getKey();
  }

  private static String canonical(String schema) {
    return new Schema.Parser().parse(schema).toString();
  }

  private static String schemaOf(String body) throws IOException {
    JsonNode json = JSON.readTree(body);
    return json.get("schema").asText();
  }

  static Response ok(Object value) {
    try {
      return new Response(200, JSON.writeValueAsString(value));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Response error(int status, int code, String message) {
    return ok(status, Map.of("error_code", code, "message", message));
  }

  private static Response ok(int status, Object value) {
    return new Response(status, ok(value).body());
  }
}
