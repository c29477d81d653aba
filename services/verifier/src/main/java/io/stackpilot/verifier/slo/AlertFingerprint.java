package io.stackpilot.verifier.slo;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * An alert's identity as Alertmanager computes it (prometheus/common {@code LabelSet.Fingerprint}):
 * FNV-1a 64 over the label names in sorted order, each name and value followed by the separator
 * byte 0xff, written as 16 hex digits. The same labels always give the same fingerprint, so a
 * resolve finds its firing, and an integrator can match Stackpilot's alerts with Alertmanager's.
 */
public final class AlertFingerprint {
  private static final long OFFSET = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;
  private static final byte SEPARATOR = (byte) 0xff;

  private AlertFingerprint() {}

  public static String of(Map<String, String> labels) {
    long hash = OFFSET;
    for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
      hash = add(hash, label.getKey().getBytes(StandardCharsets.UTF_8));
      hash = add(hash, SEPARATOR);
      hash = add(hash, label.getValue().getBytes(StandardCharsets.UTF_8));
      hash = add(hash, SEPARATOR);
    }
    return String.format("%016x", hash);
  }

  private static long add(long hash, byte[] bytes) {
    for (byte b : bytes) {
      hash = add(hash, b);
    }
    return hash;
  }

  private static long add(long hash, byte b) {
    return (hash ^ (b & 0xff)) * PRIME;
  }
}
