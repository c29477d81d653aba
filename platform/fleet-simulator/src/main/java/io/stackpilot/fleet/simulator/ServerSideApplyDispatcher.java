package io.stackpilot.fleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherException;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MediaType;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * fabric8's CRUD mock API server that also answers server-side apply: create if absent, JSON merge
 * patch of the applied object onto the stored one otherwise, and removal of the fields the same
 * field manager applied last time and no longer applies, unless another manager applies them too
 * (see DESIGN.md for the limits).
 */
final class ServerSideApplyDispatcher extends KubernetesCrudDispatcher {

  private static final String APPLY_PATCH_SUBTYPE = "apply-patch+yaml";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String METADATA = "metadata";
  private static final String STATUS_SUFFIX = "/status";

  // fabric8 locks each request on its own, but an apply is a read followed by a write: every
  // mutation also takes this lock so that no other write can land between the two.
  private final ReentrantLock writes = new ReentrantLock();

  /** Per object path, per field manager: the object that manager applied last (field sets). */
  private final Map<String, Map<String, JsonNode>> appliedBy = new HashMap<>();

  ServerSideApplyDispatcher(List<CustomResourceDefinitionContext> customResources) {
    super(customResources);
  }

  /** A watch whose events never go back in resourceVersion, as the API server's (OrderedWatch). */
  @Override
  public MockResponse handleWatch(String path) {
    MockResponse response = super.handleWatch(path);
    WebSocketListener listener = response.getWebSocketListener();
    return listener == null ? response : response.withWebSocketUpgrade(new OrderedWatch(listener));
  }

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    return serialized(() -> super.handleCreate(request));
  }

  @Override
  public MockResponse handleUpdate(RecordedRequest request) {
    return serialized(() -> super.handleUpdate(request));
  }

  @Override
  public MockResponse handleDelete(String path) {
    return serialized(
        () -> {
          appliedBy.remove(withoutQuery(path));
          return super.handleDelete(path);
        });
  }

  @Override
  public MockResponse handlePatch(RecordedRequest request) {
    return serialized(() -> isApply(request) ? apply(request) : super.handlePatch(request));
  }

  private static boolean isApply(RecordedRequest request) {
    String contentType = request.getHeader("Content-Type");
    MediaType mediaType = contentType == null ? null : MediaType.parse(contentType);
    return mediaType != null && APPLY_PATCH_SUBTYPE.equalsIgnoreCase(mediaType.subtype());
  }

  private MockResponse apply(RecordedRequest request) {
    ObjectNode applied;
    try {
      applied = parseObject(request.getBody().readUtf8());
    } catch (KubernetesCrudDispatcherException e) {
      return failure(e);
    }
    return apply(withoutQuery(request.getPath()), fieldManager(request.getPath()), applied);
  }

  /** The {@code fieldManager} query parameter (required by a real API server for applies). */
  static String fieldManager(String path) {
    int query = path.indexOf('?');
    if (query >= 0) {
      for (String param : path.substring(query + 1).split("&")) {
        if (param.startsWith("fieldManager=")) {
          return URLDecoder.decode(
              param.substring("fieldManager=".length()), StandardCharsets.UTF_8);
        }
      }
    }
    return "";
  }

  // --- in-process access for the simulated controllers: same store, same locks and watch
  // events, but no HTTP, no recorded request and no injected fault

  /** The stored object at {@code path}, if any. */
  Optional<ObjectNode> read(String path) {
    MockResponse response = super.handleGet(path);
    if (response.code() != HttpURLConnection.HTTP_OK) {
      return Optional.empty();
    }
    return Optional.of((ObjectNode) readTree(response.getBody().getBytes()));
  }

  /** The items of the collection at {@code path}. */
  List<ObjectNode> list(String path) {
    List<ObjectNode> items = new ArrayList<>();
    read(path).ifPresent(list -> list.path("items").forEach(i -> items.add((ObjectNode) i)));
    return items;
  }

  /**
   * Merges {@code object} into the object at {@code path} (creating it if absent), as the simulated
   * controllers write: partial updates with no field ownership, so what they leave out stays and
   * nobody's applied fields are taken away.
   */
  MockResponse applyObject(String path, ObjectNode object) {
    return serialized(() -> apply(path, null, object.deepCopy()));
  }

  /** Replaces the object (or, for a {@code /status} path, its status) at {@code path}. */
  MockResponse replace(String path, JsonNode object) {
    return serialized(() -> super.handleUpdate(jsonRequest(HttpMethod.PUT, path, object)));
  }

  /** Deletes the object at {@code path}. */
  MockResponse remove(String path) {
    return serialized(
        () -> {
          appliedBy.remove(path);
          return super.handleDelete(path);
        });
  }

  private MockResponse apply(String path, String manager, ObjectNode applied) {
    // managedFields belong to the server; ownership is kept beside the store (appliedBy).
    if (applied.path(METADATA) instanceof ObjectNode metadata) {
      metadata.remove("managedFields");
    }
    MockResponse current = super.handleGet(path);
    if (current.code() == HttpURLConnection.HTTP_NOT_FOUND) {
      // like the API server: a subresource cannot be applied into existence
      if (path.endsWith(STATUS_SUFFIX)) {
        return current;
      }
      MockResponse created = create(path, applied.deepCopy());
      if (created.code() / 100 == 2 && manager != null) {
        owners(path).clear();
        owners(path).put(manager, applied);
      }
      return created;
    }
    if (current.code() != HttpURLConnection.HTTP_OK) {
      return current;
    }
    JsonNode stored = readTree(current.getBody().getBytes());
    ObjectNode merged = (ObjectNode) JsonMergePatch.apply(stored, applied);
    if (manager == null) {
      return super.handleUpdate(jsonRequest(HttpMethod.PUT, path, merged));
    }
    Map<String, JsonNode> owners = owners(path);
    JsonNode before = owners.get(manager);
    if (before != null) {
      FieldSets.removeDropped(merged, before, applied, othersThan(owners, manager));
    }
    MockResponse updated = super.handleUpdate(jsonRequest(HttpMethod.PUT, path, merged));
    if (updated.code() / 100 == 2) {
      owners.put(manager, applied);
    }
    return updated;
  }

  private Map<String, JsonNode> owners(String path) {
    return appliedBy.computeIfAbsent(path, p -> new HashMap<>());
  }

  private static List<JsonNode> othersThan(Map<String, JsonNode> owners, String manager) {
    List<JsonNode> others = new ArrayList<>();
    owners.forEach(
        (m, fields) -> {
          if (!m.equals(manager)) {
            others.add(fields);
          }
        });
    return others;
  }

  private MockResponse create(String path, ObjectNode applied) {
    ObjectNode metadata = applied.withObjectProperty(METADATA);
    String nameInPath = path.substring(path.lastIndexOf('/') + 1);
    String nameInBody = metadata.path("name").asText("");
    if (nameInBody.isEmpty()) {
      metadata.put("name", nameInPath);
    } else if (!nameInBody.equals(nameInPath)) {
      // fabric8's update checks this for stored objects; a create would store the wrong name
      return failure(
          new KubernetesCrudDispatcherException(
              "the name of the object ("
                  + nameInBody
                  + ") does not match the name on the URL ("
                  + nameInPath
                  + ")",
              HttpURLConnection.HTTP_BAD_REQUEST));
    }
    if (!getKey(path).containsKey(KubernetesAttributesExtractor.NAMESPACE)) {
      // cluster-scoped: fabric8's create handler fails on a namespace that the URL lacks
      metadata.remove("namespace");
    }
    String collection = path.substring(0, path.lastIndexOf('/'));
    return super.handleCreate(jsonRequest(HttpMethod.POST, collection, applied));
  }

  private MockResponse serialized(Supplier<MockResponse> write) {
    writes.lock();
    try {
      return write.get();
    } finally {
      writes.unlock();
    }
  }

  private static ObjectNode parseObject(String body) throws KubernetesCrudDispatcherException {
    JsonNode node;
    try {
      // JSON (what fabric8 and kubectl send) is parsed as JSON, anything else as YAML
      node = body.stripLeading().startsWith("{") ? JSON.readTree(body) : YAML.readTree(body);
    } catch (IOException e) {
      throw new KubernetesCrudDispatcherException(
          "apply body is neither JSON nor YAML: " + e.getMessage(),
          HttpURLConnection.HTTP_BAD_REQUEST);
    }
    if (node instanceof ObjectNode object) {
      return object;
    }
    throw new KubernetesCrudDispatcherException(
        "apply body must be one object", HttpURLConnection.HTTP_BAD_REQUEST);
  }

  private static JsonNode readTree(byte[] json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("stored object is not JSON", e);
    }
  }

  private static RecordedRequest jsonRequest(HttpMethod method, String path, JsonNode body) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Headers headers = Headers.builder().add("Content-Type", "application/json").build();
    return new RecordedRequest("HTTP/1.1", method, path, headers, new Buffer(bytes));
  }

  private static MockResponse failure(KubernetesCrudDispatcherException e) {
    return new MockResponse().setResponseCode(e.getCode()).setBody(e.toStatusBody());
  }

  private static String withoutQuery(String path) {
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }
}
