package io.stackpilot.notifier.channel;

import io.stackpilot.notifier.routing.Durations;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One entry of a receiver's {@code *_configs} list, read field by field. Problems are recorded as
 * {@code path: message} (the routing loader's convention) instead of stopping at the first; a value
 * given inline where a credential belongs is refused without repeating it.
 */
final class ChannelConfig {

  private final Map<String, Object> map;
  private final String path;
  private final List<String> violations;
  private final Map<String, Credential> credentials = new LinkedHashMap<>();

  ChannelConfig(Object node, String path, List<String> violations) {
    this.path = path;
    this.violations = violations;
    if (node instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put(String.valueOf(k), v));
      this.map = copy;
    } else {
      violations.add(path + ": expected a mapping");
      this.map = Map.of();
    }
  }

  String path() {
    return path;
  }

  String path(String key) {
    return path + "." + key;
  }

  void violation(String key, String message) {
    violations.add((key == null ? path : path(key)) + ": " + message);
  }

  /** Records every key not in {@code allowed} (Alertmanager loads strictly). */
  void allow(Set<String> allowed) {
    for (String key : new TreeSet<>(map.keySet())) {
      if (!allowed.contains(key)) {
        violation(key, "unknown field");
      }
    }
  }

  boolean isMapping(String key) {
    return map.get(key) instanceof Map;
  }

  boolean has(String key) {
    return map.get(key) != null;
  }

  String string(String key, String fallback) {
    Object v = map.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Map || v instanceof List) {
      violation(key, "expected a string");
      return fallback;
    }
    return v.toString();
  }

  String required(String key) {
    String s = string(key, null);
    if (s == null || s.isBlank()) {
      if (!has(key)) {
        violation(key, "missing");
      } else if (s != null) {
        violation(key, "must not be empty");
      }
      return null;
    }
    return s;
  }

  Integer integer(String key, Integer fallback, int min, int max) {
    Object v = map.get(key);
    if (v == null) {
      return fallback;
    }
    Integer i = toInt(v);
    if (i == null) {
      violation(key, "expected an integer");
      return fallback;
    }
    if (i < min || i > max) {
      violation(key, "must be between " + min + " and " + max);
      return fallback;
    }
    return i;
  }

  boolean bool(String key, boolean fallback) {
    Object v = map.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    violation(key, "expected true or false");
    return fallback;
  }

  Duration duration(String key, Duration fallback) {
    String s = string(key, null);
    if (s == null) {
      return fallback;
    }
    try {
      return Durations.parse(s);
    } catch (RuntimeException e) {
      violation(key, "not a duration: '" + s + "'");
      return fallback;
    }
  }

  /** An http(s) URL that carries no credentials (user info or a token query parameter). */
  URI url(String key, String fallback) {
    String s = string(key, fallback);
    if (s == null) {
      return null;
    }
    try {
      URI uri = new URI(s);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        violation(key, "must be an absolute http or https URL");
        return null;
      }
      if (uri.getRawUserInfo() != null || !new Redactor().redact(s).equals(s)) {
        violation(key, "must not carry credentials; reference a secret instead");
        return null;
      }
      return uri;
    } catch (URISyntaxException e) {
      violation(key, "not a URL");
      return null;
    }
  }

  /**
   * A credential: {@code key: {secretRef: {name, key}}} or {@code fileKey: /path}. An inline value
   * is refused without being repeated in the message.
   */
  Credential credential(String key, String fileKey, boolean required) {
    Credential c = readCredential(key, fileKey, required);
    if (c != null) {
      credentials.put(path(c.file() != null ? fileKey : key), c);
    }
    return c;
  }

  /** Every credential read so far, by the path of its field. */
  Map<String, Credential> credentials() {
    return credentials;
  }

  private Credential readCredential(String key, String fileKey, boolean required) {
    Object v = map.get(key);
    String file = fileKey == null ? null : string(fileKey, null);
    if (v != null && file != null) {
      violation(key, "set either " + key + " or " + fileKey + ", not both");
      return null;
    }
    if (file != null) {
      if (file.isBlank()) {
        violation(fileKey, "must not be empty");
        return null;
      }
      return Credential.file(Path.of(file));
    }
    if (v == null) {
      if (required) {
        violation(key, "missing" + (fileKey == null ? "" : " (or " + fileKey + ")"));
      }
      return null;
    }
    if (!(v instanceof Map<?, ?> m) || !m.containsKey("secretRef")) {
      violation(
          key,
          "must be a secret reference {secretRef: {name: ..., key: ...}}"
              + (fileKey == null ? "" : " or a " + fileKey)
              + "; credentials are never written in the configuration");
      return null;
    }
    if (m.size() != 1) {
      violation(key, "only secretRef is allowed here");
      return null;
    }
    if (!(m.get("secretRef") instanceof Map<?, ?> ref)) {
      violation(key + ".secretRef", "expected a mapping with name and key");
      return null;
    }
    Object name = ref.get("name");
    Object k = ref.get("key");
    boolean ok = true;
    for (Object field : ref.keySet()) {
      if (!"name".equals(field) && !"key".equals(field)) {
        violation(key + ".secretRef." + field, "unknown field");
        ok = false;
      }
    }
    if (name == null || name.toString().isBlank()) {
      violation(key + ".secretRef.name", "missing");
      ok = false;
    }
    if (k == null || k.toString().isBlank()) {
      violation(key + ".secretRef.key", "missing");
      ok = false;
    }
    return ok ? Credential.secretRef(name.toString(), k.toString()) : null;
  }

  MessageTemplate template(String key, String fallback) {
    String s = string(key, fallback);
    try {
      return MessageTemplate.parse(s);
    } catch (IllegalArgumentException e) {
      violation(key, "bad template: " + e.getMessage());
      return MessageTemplate.parse("");
    }
  }

  /** A map from severity to priority, each within bounds; {@code fallback} when absent. */
  Map<String, Integer> priorities(String key, Map<String, Integer> fallback, int min, int max) {
    Object v = map.get(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Map<?, ?> m)) {
      violation(key, "expected a mapping from severity to priority");
      return fallback;
    }
    Map<String, Integer> out = new LinkedHashMap<>();
    m.forEach(
        (sev, p) -> {
          Integer i = toInt(p);
          if (i == null) {
            violation(key + "." + sev, "expected an integer");
          } else if (i < min || i > max) {
            violation(key + "." + sev, "must be between " + min + " and " + max);
          } else {
            out.put(String.valueOf(sev), i);
          }
        });
    return Map.copyOf(out);
  }

  List<ChannelConfig> list(String key) {
    Object v = map.get(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> l)) {
      violation(key, "expected a list");
      return List.of();
    }
    java.util.ArrayList<ChannelConfig> out = new java.util.ArrayList<>();
    for (int i = 0; i < l.size(); i++) {
      out.add(new ChannelConfig(l.get(i), path(key) + "[" + i + "]", violations));
    }
    return out;
  }

  List<String> strings(String key, List<String> fallback) {
    Object v = map.get(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof List<?> l)) {
      violation(key, "expected a list");
      return fallback;
    }
    return l.stream().map(String::valueOf).toList();
  }

  private static Integer toInt(Object v) {
    if (v instanceof Integer i) {
      return i;
    }
    if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
      return l.intValue();
    }
    if (v instanceof String s && s.matches("-?\\d{1,9}")) {
      return Integer.parseInt(s);
    }
    return null;
  }
}
