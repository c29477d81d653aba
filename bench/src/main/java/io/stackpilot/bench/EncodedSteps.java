package io.stackpilot.bench;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.StepRequested;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One plan's StepRequested events as key and value bytes, encoded once, before any timing, by the
 * serializer the planner's path uses (so with the real schema id): the raw baseline's records.
 */
record EncodedSteps(byte[][] keys, byte[][] values) {

  static EncodedSteps of(List<StepRequested> steps, Serializer<Object> serializer, String topic) {
    byte[][] keys = new byte[steps.size()][];
    byte[][] values = new byte[steps.size()][];
    for (int i = 0; i < steps.size(); i++) {
      keys[i] = Topic.STEPS.keyOf(steps.get(i)).getBytes(StandardCharsets.UTF_8);
      values[i] = serializer.serialize(topic, steps.get(i));
    }
    return new EncodedSteps(keys, values);
  }

  int count() {
    return values.length;
  }

  long valueBytes() {
    long total = 0;
    for (byte[] value : values) {
      total += value.length;
    }
    return total;
  }

  double meanValueBytes() {
    return (double) valueBytes() / values.length;
  }
}
