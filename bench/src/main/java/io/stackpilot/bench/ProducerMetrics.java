package io.stackpilot.bench;

import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/** The few producer metrics the ladder reads: what was sent, what failed, how big records were. */
record ProducerMetrics(double sent, double failed, double retried, double recordSizeAvg) {

  static ProducerMetrics read(Producer<?, ?> producer, String topic) {
    Map<MetricName, ? extends Metric> metrics = producer.metrics();
    return new ProducerMetrics(
        value(metrics, "producer-topic-metrics", "record-send-total", topic),
        value(metrics, "producer-topic-metrics", "record-error-total", topic),
        value(metrics, "producer-topic-metrics", "record-retry-total", topic),
        value(metrics, "producer-metrics", "record-size-avg", null));
  }

  /** The client.id the producer runs under (Spring's factories choose their own). */
  static String clientId(Producer<?, ?> producer) {
    return producer.metrics().keySet().stream()
        .map(name -> name.tags().get("client-id"))
        .filter(id -> id != null)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("producer without a client-id metric tag"));
  }

  private static double value(
      Map<MetricName, ? extends Metric> metrics, String group, String name, String topic) {
    for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
      MetricName metric = entry.getKey();
      if (metric.group().equals(group)
          && metric.name().equals(name)
          && (topic == null || topic.equals(metric.tags().get("topic")))) {
        Object value = entry.getValue().metricValue();
        return value instanceof Number number ? number.doubleValue() : Double.NaN;
      }
    }
    return 0;
  }
}
