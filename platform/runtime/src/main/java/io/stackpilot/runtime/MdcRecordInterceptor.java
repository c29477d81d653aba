package io.stackpilot.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.MDC;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Puts the cluster, correlation and causation ids of the record being processed into the MDC, so
 * every log line written while handling it carries them; clears them when the record is done.
 */
public class MdcRecordInterceptor implements RecordInterceptor<Object, Object> {
  private static final Map<String, String> KEYS = EventHeaders.mdcKeys();

  @Override
  public ConsumerRecord<Object, Object> intercept(
      ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
    for (Header header : record.headers()) {
      String key = KEYS.get(header.key());
      if (key != null && header.value() != null) {
        MDC.put(key, new String(header.value(), StandardCharsets.UTF_8));
      }
    }
    return record;
  }

  @Override
  public void afterRecord(
      ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
    KEYS.values().forEach(MDC::remove);
  }
}
