package io.stackpilot.runtime.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Handles every record of a Spring Cloud Stream binding inside a consumer span ({@code <topic>
 * process}), child of the producer's span, so what the function publishes continues the trace.
 * Interception and {@code afterRecord} run on the consumer thread, which holds the scope between.
 */
public class TracingRecordInterceptor implements RecordInterceptor<Object, Object> {
  private final Tracing tracing;
  private final ThreadLocal<Span> span = new ThreadLocal<>();
  private final ThreadLocal<Scope> scope = new ThreadLocal<>();

  public TracingRecordInterceptor(Tracing tracing) {
    this.tracing = tracing;
  }

  @Override
  public ConsumerRecord<Object, Object> intercept(
      ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
    end(); // a record whose afterRecord never came must not parent this one
    Span s = tracing.consume(record.topic() + " process", record);
    span.set(s);
    scope.set(s.makeCurrent());
    return record;
  }

  @Override
  public void failure(
      ConsumerRecord<Object, Object> record,
      Exception exception,
      Consumer<Object, Object> consumer) {
    Span s = span.get();
    if (s != null) {
      s.recordException(exception);
      s.setStatus(StatusCode.ERROR, exception.getClass().getSimpleName());
    }
  }

  @Override
  public void afterRecord(
      ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
    end();
  }

  private void end() {
    Scope sc = scope.get();
    if (sc != null) {
      sc.close();
      scope.remove();
    }
    Span s = span.get();
    if (s != null) {
      s.end();
      span.remove();
    }
  }
}
