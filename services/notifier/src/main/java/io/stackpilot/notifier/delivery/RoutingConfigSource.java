package io.stackpilot.notifier.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.stackpilot.notifier.channel.Channels;
import io.stackpilot.notifier.routing.InvalidRoutingConfigException;
import io.stackpilot.notifier.routing.Receiver;
import io.stackpilot.notifier.routing.RoutingConfig;
import io.stackpilot.notifier.routing.RoutingConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing configuration in force: the file's, re-read when its content changes; a file that
 * does not load is refused with every violation's field path and the one in force stays.
 */
public final class RoutingConfigSource {
  private static final Logger LOG = LoggerFactory.getLogger(RoutingConfigSource.class);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** A loaded configuration and its generation (bumped on each accepted change). */
  public record Loaded(RoutingConfig config, long generation, String yaml) {}

  private final Path file;
  private final AtomicReference<Loaded> current = new AtomicReference<>();
  private volatile List<String> lastRefusal = List.of();

  /**
   * @param file the routing file, or null to route with {@code fallbackYaml} only
   * @throws InvalidRoutingConfigException when the first configuration does not load: a service
   *     that cannot route must not start
   */
  public RoutingConfigSource(Path file, String fallbackYaml) {
    this.file = file;
    String yaml = file == null ? fallbackYaml : read(file);
    List<String> violations = validate(yaml);
    if (!violations.isEmpty()) {
      throw new InvalidRoutingConfigException(violations);
    }
    current.set(new Loaded(RoutingConfigLoader.load(yaml), 1, yaml));
    LOG.info("routing configuration loaded from {}", file == null ? "the defaults" : file);
  }

  public Loaded current() {
    return current.get();
  }

  /** Re-reads the file; returns true when a changed, valid configuration was taken. */
  public boolean reload() {
    if (file == null) {
      return false;
    }
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (IOException e) {
      LOG.warn("routing file {} unreadable ({}); keeping the running configuration", file, e);
      return false;
    }
    Loaded running = current.get();
    if (yaml.equals(running.yaml())) {
      return false;
    }
    List<String> violations;
    RoutingConfig loaded = null;
    try {
      violations = validate(yaml);
      if (violations.isEmpty()) {
        loaded = RoutingConfigLoader.load(yaml);
      }
    } catch (RuntimeException e) { // a loader bug must not end reloading, nor replace the config
      violations = List.of("(file): cannot be loaded: " + e);
    }
    if (!violations.isEmpty()) { // a refused file is reported once, not at every poll
      if (!violations.equals(lastRefusal)) {
        LOG.error(
            "routing file {} refused, keeping the running configuration: {}",
            file,
            String.join("; ", violations));
        lastRefusal = violations;
      }
      return false;
    }
    current.set(new Loaded(loaded, running.generation() + 1, yaml));
    lastRefusal = List.of();
    LOG.info("routing file {} reloaded (generation {})", file, running.generation() + 1);
    return true;
  }

  /** Every violation of a candidate configuration, as {@code path: message}; empty when valid. */
  public static List<String> validate(String yaml) {
    RoutingConfig config;
    try {
      config = RoutingConfigLoader.load(yaml);
    } catch (InvalidRoutingConfigException e) {
      return e.violations();
    }
    List<String> violations = new ArrayList<>();
    List<String> names = receiverNames(yaml);
    for (int i = 0; i < names.size(); i++) {
      Receiver receiver = config.receivers().get(names.get(i));
      if (receiver != null) {
        try {
          Channels.validate(receiver, "receivers[" + i + "]");
        } catch (InvalidRoutingConfigException e) {
          violations.addAll(e.violations());
        }
      }
    }
    return violations;
  }

  /** The receivers' names in file order (the loader keeps them by name). */
  private static List<String> receiverNames(String yaml) {
    List<String> names = new ArrayList<>();
    try {
      JsonNode receivers = YAML.readTree(yaml).path("receivers");
      receivers.forEach(r -> names.add(r.path("name").asText()));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // the loader read it a moment ago
    }
    return names;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the routing file " + file, e);
    }
  }
}
