package io.stackpilot.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Sends poison records to a service's input and checks they reach its dead-letter topic. */
public final class DeadLetters {
  /** Header spring-kafka's DeadLetterPublishingRecoverer puts the cause in. */
  public static final String EXCEPTION_MESSAGE = "kafka_dlt-exception-message";

  public static final String EXCEPTION_CLASS = "kafka_dlt-exception-fqcn";

  /** Stackpilot's header with the innermost cause. */
  public static final String REASON = "stackpilot-dlq-reason";

  public static final String ORIGINAL_TOPIC = "kafka_dlt-original-topic";

  private DeadLetters() {}

  /** Writes a garbage record and a record with an unknown schema id to the input topic. */
  public static void sendPoison(KafkaBroker broker, String inputTopic, String key) {
    TestRecords.sendRaw(broker.bootstrapServers(), inputTopic, key, TestRecords.garbage());
    TestRecords.sendRaw(broker.bootstrapServers(), inputTopic, key, TestRecords.unknownSchemaId());
  }

  /**
   * Waits until both poison records are on the dead-letter topic, each with its original bytes, its
   * original topic and a cause naming what was wrong.
   */
  public static List<ConsumerRecord<String, Object>> awaitPoison(EventTap dlq, String inputTopic) {
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(from(dlq, inputTopic)).hasSizeGreaterThanOrEqualTo(2));
    List<ConsumerRecord<String, Object>> records = from(dlq, inputTopic);
    assertThat(records.get(0).value()).isEqualTo(TestRecords.garbage());
    assertThat(records.get(1).value()).isEqualTo(TestRecords.unknownSchemaId());
    for (ConsumerRecord<String, Object> record : records.subList(0, 2)) {
      assertThat(header(record, ORIGINAL_TOPIC)).isEqualTo(inputTopic);
      assertThat(header(record, EXCEPTION_MESSAGE)).isNotBlank();
    }
    assertThat(header(records.get(0), REASON)).containsIgnoringCase("magic byte");
    assertThat(header(records.get(1), REASON))
        .contains(String.valueOf(TestRecords.UNKNOWN_SCHEMA_ID));
    return records;
  }

  /**
   * The dead letters of one input topic: a service's dead-letter topic also holds those of its
   * other inputs, written by other tests on the shared broker.
   */
  private static List<ConsumerRecord<String, Object>> from(EventTap dlq, String inputTopic) {
    return dlq.records().stream()
        .filter(r -> inputTopic.equals(header(r, ORIGINAL_TOPIC)))
        .toList();
  }

  public static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
