package io.stackpilot.runtime;

import io.stackpilot.contract.Topic;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that reads a {@link PartitionedLog} until it is stopped: it opens the reader, hands
 * every record to the body, then lets the body act on what it has folded (a round of comparisons,
 * verdicts, evaluations), and closes the reader when it ends. The loops of the applier's drift
 * detector and the verifier's health and SLO watches are this, with their own bodies.
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

  private final Settings settings;
  private final Body body;
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
    try {
      reader =
          PartitionedLog.open(
              settings.log(),
              settings.service(),
              settings.group(),
              settings.inputs(),
              () -> running,
              body.assignment());
      while (running) {
        ConsumerRecords<String, byte[]> records = reader.poll(Duration.ofMillis(200));
        for (ConsumerRecord<String, byte[]> record : records) {
          body.handle(record);
        }
        body.afterPoll(records);
      }
    } catch (WakeupException e) {
      if (running) {
        LOG.error("{} woken up while running", settings.name(), e);
      }
    } catch (RuntimeException e) {
      LOG.error("{} stopped: {}", settings.name(), settings.consequence(), e);
    } finally {
      running = false;
      if (reader != null) {
        reader.close();
      }
    }
  }
}
