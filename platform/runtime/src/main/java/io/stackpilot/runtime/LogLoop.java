package io.stackpilot.runtime;

import io.opentelemetry.context.Scope;
import io.stackpilot.contract.Topic;
import io.stackpilot.runtime.metrics.ConsumedEvents;
import io.stackpilot.runtime.tracing.KafkaTraceContext;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that reads a {@link PartitionedLog} until it is stopped: it opens the reader, hands
 * every record to the body, then lets the body act on what it has folded (a round of comparisons,
 * verdicts, evaluations), and closes the reader when it ends. The loops of the applier's drift
 * detector and the verifier's health and SLO watches are this, with their own bodies.
 *
 * <p>A failure (the broker unreachable past the client's timeouts, a body's bug) does not end the
 * loop: the reader is closed, the body is told it lost every partition it held, and after a
 * back-off (1 s, doubling to 30 s) the reader is opened again, so the partitions it is given are
 * read from their beginning and the body's state rebuilt from the log.
 */
public final class LogLoop {
  private static final Logger LOG = LoggerFactory.getLogger(LogLoop.class);

  /** What a loop does with what it reads. */
  public interface Body {
    /** Keeps the body's folded state to the partitions the loop is given. */
    PartitionedLog.Assignment assignment();

    /** One record, in partition order. */
    void handle(ConsumerRecord<String, byte[]> record);

    /** After each poll, with what it returned (maybe nothing): act on the folded state. */
    void afterPoll(ConsumerRecords<String, byte[]> records);
  }

  /**
   * @param name the thread's name
   * @param consequence what stops happening when the loop dies, for the error it logs
   */
  public record Settings(
      String name,
      EventLog.Settings log,
      String service,
      String group,
      List<Topic> inputs,
      String consequence) {}

  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final Settings settings;
  private final Body body;
  private final Object pause = new Object();
  private volatile boolean running;
  private volatile PartitionedLog reader;
  private Thread thread;

  public LogLoop(Settings settings, Body body) {
    this.settings = settings;
    this.body = body;
  }

  public void start() {
    running = true;
    thread = new Thread(this::run, settings.name());
    thread.start();
  }

  /** Stops reading and waits (up to 30 s) for the thread to end; the reader is closed by then. */
  public void stop() {
    running = false;
    synchronized (pause) {
      pause.notifyAll();
    }
    PartitionedLog r = reader;
    if (r != null) {
      r.wakeup();
    }
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean isRunning() {
    return running;
  }

  /** The reader, once the loop has opened it (null before). */
  public PartitionedLog reader() {
    return reader;
  }

  private void run() {
    Duration backoff = FIRST_BACKOFF;
    while (running) {
      Held held = new Held(body.assignment());
      try {
        reader =
            PartitionedLog.open(
                settings.log(),
                settings.service(),
                settings.group(),
                settings.inputs(),
                () -> running,
                held);
        while (running) {
          ConsumerRecords<String, byte[]> records = reader.poll(Duration.ofMillis(200));
          for (ConsumerRecord<String, byte[]> record : records) {
            // the producer's trace context is current while the body handles the record
            try (Scope traced = KafkaTraceContext.extract(record.headers()).makeCurrent()) {
              body.handle(record);
            }
            ConsumedEvents.record(reader.log().metrics(), record, null, true);
          }
          body.afterPoll(records);
          backoff = FIRST_BACKOFF;
        }
      } catch (WakeupException e) {
        if (running) {
          LOG.error("{} woken up while running", settings.name(), e);
        }
      } catch (RuntimeException e) {
        LOG.error(
            "{} failed, reopening in {} ({} until then)",
            settings.name(),
            backoff,
            settings.consequence(),
            e);
      } finally {
        PartitionedLog r = reader;
        if (r != null) {
          r.close();
        }
        held.releaseAll();
      }
      if (running) {
        pause(backoff);
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      }
    }
  }

  private void pause(Duration backoff) {
    synchronized (pause) {
      try {
        pause.wait(backoff.toMillis()); // stop() wakes it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      }
    }
  }

  /** What the body holds, so that a failed reader's partitions can be taken back from it. */
  private static final class Held implements PartitionedLog.Assignment {
    private final PartitionedLog.Assignment body;
    private final Set<Integer> numbers = new HashSet<>();
    private final Set<TopicPartition> partitions = new HashSet<>();

    Held(PartitionedLog.Assignment body) {
      this.body = body;
    }

    @Override
    public void revoked(Set<Integer> revoked, Collection<TopicPartition> lost) {
      numbers.removeAll(revoked);
      partitions.removeAll(lost);
      body.revoked(revoked, lost);
    }

    @Override
    public void assigned(Set<Integer> assigned, Collection<TopicPartition> given) {
      numbers.addAll(assigned);
      partitions.addAll(given);
      body.assigned(assigned, given);
    }

    void releaseAll() {
      if (!numbers.isEmpty()) {
        revoked(Set.copyOf(numbers), List.copyOf(partitions));
      }
    }
  }
}
