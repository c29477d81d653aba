package io.stackpilot.verifier;

import io.stackpilot.contract.Topic;
import io.stackpilot.events.AlertStatus;
import io.stackpilot.events.AlertStatusChanged;
import io.stackpilot.runtime.EventLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts firing now, folded from the whole of {@code stackpilot.alerts} (every partition, from
 * the beginning, no group membership): what an SLO evaluation needs to know whether an alert
 * starts, goes on or stops. A restarted verifier has them back once it has read the topic, and
 * evaluations wait for that rather than raise an alert twice.
 */
final class FiringAlerts implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FiringAlerts.class);

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final Map<String, AlertStatusChanged> firing = new ConcurrentHashMap<>();
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final EventLog log;
  private final Thread reader;
  private volatile boolean running = true;

  FiringAlerts(EventLog.Settings settings) {
    this.log = new EventLog(settings, "verifier", "stackpilot-verifier-alerts", Map.of());
    this.reader = new Thread(this::read, "firing-alerts");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * The alerts firing, by fingerprint, once the topic has been read up to where it was at start.
   *
   * @throws IllegalStateException when the topic could not be read within {@code wait}
   */
  Map<String, AlertStatusChanged> firing(Duration wait) {
    try {
      if (!caughtUp.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "the firing alerts are not read yet from " + Topic.ALERTS.topicName());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading the firing alerts", e);
    }
    return Map.copyOf(firing);
  }

  /** Takes an alert change this verifier has just published, before the topic brings it back. */
  void record(AlertStatusChanged change) {
    if (change.getStatus() == AlertStatus.FIRING) {
      firing.put(change.getFingerprint(), change);
    } else {
      firing.remove(change.getFingerprint());
    }
  }

  private void read() {
    Duration backoff = Duration.ofSeconds(1);
    while (running) {
      try {
        readFromTheBeginning();
      } catch (WakeupException e) {
        return; // closing
      } catch (RuntimeException e) {
        // a reader that died would leave gates failing "not read yet", or a stale view: start over
        LOG.error("the firing alerts reader failed; reading the topic again in {}", backoff, e);
        synchronized (this) {
          try {
            wait(backoff.toMillis()); // close() wakes it
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      }
    }
  }

  private void readFromTheBeginning() {
    List<TopicPartition> partitions = log.partitionsOf(Topic.ALERTS, () -> running);
    log.consumer().assign(partitions);
    log.consumer().seekToBeginning(partitions);
    Map<TopicPartition, Long> end = log.consumer().endOffsets(partitions);
    while (running) {
      for (ConsumerRecord<String, byte[]> record : log.consumer().poll(Duration.ofMillis(500))) {
        fold(record);
      }
      if (caughtUp.getCount() > 0
          && end.entrySet().stream()
              .allMatch(e -> log.consumer().position(e.getKey()) >= e.getValue())) {
        LOG.info("{} firing alerts read from {}", firing.size(), Topic.ALERTS.topicName());
        caughtUp.countDown();
      }
    }
  }

  private void fold(ConsumerRecord<String, byte[]> record) {
    SpecificRecord event;
    try {
      event = log.decode(record);
    } catch (RuntimeException e) {
      log.deadLetter(record, e);
      return;
    }
    if (event instanceof AlertStatusChanged change) {
      record(change);
    }
  }

  @Override
  public void close() {
    running = false;
    synchronized (this) {
      notifyAll();
    }
    log.consumer().wakeup();
    try {
      reader.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (reader.isAlive()) {
      LOG.warn("the firing alerts reader did not stop within 10 s; its consumer is left open");
      return;
    }
    log.close();
  }
}
