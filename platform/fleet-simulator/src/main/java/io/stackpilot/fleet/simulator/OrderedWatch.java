package io.stackpilot.fleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Gives a watch of the mock API server the API server's ordering: an object's events never go back
 * to an older resourceVersion.
 *
 * <p>fabric8's mock (7.8.0, {@code WatchEventsListener}) buffers the events of writes that land
 * between the watch request and the opening of its WebSocket, and on opening sends the current
 * objects as ADDED first and the buffered, older events after them. A watcher then ends on a state
 * that is no longer stored: a HelmRelease already Ready reads as "Fresh install in progress" again
 * and stays so, since nothing writes it after. A real API server sends a watch's events in
 * resourceVersion order. This wrapper drops an event whose object is older than the last one the
 * watch sent for the same object; events without a numeric resourceVersion pass as they are.
 */
final class OrderedWatch extends WebSocketListener {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WebSocketListener delegate;
  // object key -> resourceVersion last sent; touched only by the listener's one sending thread
  private final Map<String, Long> sent = new HashMap<>();

  OrderedWatch(WebSocketListener delegate) {
    this.delegate = delegate;
  }

  @Override
  public void onBeforeAccept(WebSocket webSocket, Response response) {
    delegate.onBeforeAccept(webSocket, response);
  }

  @Override
  public void onOpen(WebSocket webSocket, Response response) {
    delegate.onOpen(new Filtering(webSocket), response);
  }

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    delegate.onMessage(webSocket, text);
  }

  @Override
  public void onMessage(WebSocket webSocket, byte[] bytes) {
    delegate.onMessage(webSocket, bytes);
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    delegate.onClosing(webSocket, code, reason);
  }

  @Override
  public void onClosed(WebSocket webSocket, int code, String reason) {
    delegate.onClosed(webSocket, code, reason);
  }

  @Override
  public void onFailure(WebSocket webSocket, Throwable error, Response response) {
    delegate.onFailure(webSocket, error, response);
  }

  /** Whether a watch event (the WebSocket text) may be sent: false for an out-of-date one. */
  synchronized boolean admit(String event) {
    JsonNode object;
    try {
      object = JSON.readTree(event).path("object");
    } catch (IOException e) {
      return true;
    }
    JsonNode metadata = object.path("metadata");
    String version = metadata.path("resourceVersion").asText("");
    if (!version.chars().allMatch(Character::isDigit) || version.isEmpty()) {
      return true;
    }
    long resourceVersion = Long.parseLong(version);
    String key =
        object.path("kind").asText("")
            + " "
            + metadata.path("namespace").asText("")
            + "/"
            + metadata.path("name").asText("");
    Long last = sent.get(key);
    if (last != null && resourceVersion < last) {
      return false;
    }
    sent.put(key, resourceVersion);
    return true;
  }

  /** The watch's WebSocket, sending only the events {@link #admit} lets through. */
  private final class Filtering implements WebSocket {
    private final WebSocket socket;

    Filtering(WebSocket socket) {
      this.socket = socket;
    }

    @Override
    public RecordedRequest request() {
      return socket.request();
    }

    @Override
    public boolean send(String text) {
      return !admit(text) || socket.send(text);
    }

    @Override
    public boolean send(byte[] bytes) {
      return socket.send(bytes);
    }

    @Override
    @SuppressWarnings("deprecation")
    public boolean send(ByteString bytes) {
      return socket.send(bytes);
    }

    @Override
    public boolean close(int code, String reason) {
      return socket.close(code, reason);
    }
  }
}
