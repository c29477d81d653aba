package io.stackpilot.notifier.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.stackpilot.notifier.channel.Channel;
import io.stackpilot.notifier.routing.Alert;
import io.stackpilot.notifier.routing.Notification;
import io.stackpilot.notifier.routing.RoutingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage two: a consumer group on the routed-alerts topic. Each instance owns the groups of its
 * partitions: on assignment it fences the partition's previous owner (a transactional id per
 * partition), reads the partition's notification log and alerts from their beginning, and once
 * caught up runs the dispatcher's timers. A notification is written to the log as PENDING before it
 * is sent and as SENT (with its NotificationSent) after; PENDING entries found on assignment are
 * sent again with the same notification id. See DESIGN.md.
 */
public final class DeliveryStage implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryStage.class);

  private final KafkaSettings settings;
  private final RoutingConfigSource configs;
  private final ChannelDirectory directory;
  private final Deliverer deliverer;
  private final Clock clock;
  private final ObjectMapper json;
  private final NotificationEvents events;
  private final int chunk;
  private final Map<Integer, Owned> owned = new HashMap<>();
  private volatile boolean running = true;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private long generation;
  private int partitions;

  /** A partition this instance owns: its groups, its fencing producer, and how far to catch up. */
  private static final class Owned {
    final GroupState state;
    final KafkaProducer<String, byte[]> producer;
    final long catchUpTo;
    boolean ready;

    Owned(GroupState state, KafkaProducer<String, byte[]> producer, long catchUpTo) {
      this.state = state;
      this.producer = producer;
      this.catchUpTo = catchUpTo;
    }
  }

  /** One send decided: the notification, one of its receiver's channels, its log intent. */
  private record Planned(Notification n, Channel channel, LogEntry intent, LogEntry previous) {}

  public DeliveryStage(
      KafkaSettings settings,
      RoutingConfigSource configs,
      ChannelDirectory directory,
      Deliverer deliverer,
      Clock clock,
      ObjectMapper json,
      NotificationEvents events,
      int chunk) {
    this.settings = settings;
    this.configs = configs;
    this.directory = directory;
    this.deliverer = deliverer;
    this.clock = clock;
    this.json = json;
    this.events = events;
    this.chunk = chunk;
  }

  @Override
  public void run() {
    try (KafkaConsumer<String, byte[]> in =
            new KafkaConsumer<>(
                settings.consumer(settings.groupPrefix() + "-delivery"),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        KafkaConsumer<String, byte[]> logReader =
            new KafkaConsumer<>(
                settings.consumer(null), new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer = in;
      partitions = in.partitionsFor(settings.routedTopic()).size();
      if (partitions == 0) {
        throw new IllegalStateException(settings.routedTopic() + " has no partitions yet");
      }
      in.subscribe(List.of(settings.routedTopic()), rebalance(in, logReader));
      LOG.info("delivering from {} ({} partitions)", settings.routedTopic(), partitions);
      while (running) {
        for (ConsumerRecord<String, byte[]> r : in.poll(Duration.ofMillis(100))) {
          Owned o = owned.get(r.partition());
          if (o != null && r.value() != null) {
            o.state.apply(read(r.value(), SourcedAlert.class), r.offset());
          }
        }
        step(in);
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("delivery stage stopped", e);
      throw e;
    } finally {
      owned.values().forEach(o -> o.producer.close(Duration.ZERO));
      owned.clear();
    }
  }

  private void step(KafkaConsumer<String, byte[]> in) throws InterruptedException {
    RoutingConfigSource.Loaded loaded = configs.current();
    boolean reconfigured = loaded.generation() != generation;
    generation = loaded.generation();
    for (Owned o : List.copyOf(owned.values())) {
      if (!o.ready) {
        TopicPartition tp = new TopicPartition(settings.routedTopic(), o.state.partition());
        if (in.position(tp) < o.catchUpTo) {
          continue;
        }
        o.state.rebuild(loaded.config());
        o.ready = true;
        LOG.info("partition {} caught up: {} pending sends", tp, o.state.pending().size());
        resendPending(o, loaded.config());
      } else if (reconfigured) {
        o.state.rebuild(loaded.config());
      }
      List<Notification> due = o.state.flushDue();
      for (int i = 0; i < due.size() && owned.get(o.state.partition()) == o; i += chunk) {
        deliver(o, due.subList(i, Math.min(due.size(), i + chunk)), loaded.config());
      }
    }
  }

  private void deliver(Owned o, List<Notification> due, RoutingConfig config)
      throws InterruptedException {
    List<Planned> plans = new ArrayList<>();
    for (Notification n : due) {
      List<SourcedAlert> firing = o.state.sources(n.receiver(), n.groupKey(), n.firing());
      List<SourcedAlert> resolved = o.state.sources(n.receiver(), n.groupKey(), n.resolved());
      for (Channel channel : directory.channels(config, n.receiver())) {
        LogEntry previous = o.state.log(n.receiver(), n.groupKey(), channel.id()).orElse(null);
        long seq = previous == null ? 1 : previous.seq() + 1;
        var firingIds = fingerprints(n.firing());
        var resolvedIds = fingerprints(n.resolved());
        LogEntry intent =
            new LogEntry(
                n.receiver(),
                n.groupKey(),
                channel.id(),
                LogEntry.PENDING,
                NotificationIds.of(
                    n.receiver(), channel.id(), n.groupKey(), firingIds, resolvedIds, seq),
                seq,
                firingIds,
                resolvedIds,
                n.at().toEpochMilli(),
                o.state.appliedOffset(),
                n.groupLabels(),
                firing,
                resolved);
        plans.add(new Planned(n, channel, intent, previous));
      }
    }
    if (plans.isEmpty()) {
      return;
    }
    // 1. the intents, committed before anything is sent
    if (!inTransaction(o, w -> plans.forEach(p -> w.log(p.intent())))) {
      due.forEach(n -> o.state.forgetDecision(n, null));
      return;
    }
    plans.forEach(p -> o.state.putLog(logKey(p.intent()), p.intent()));
    // 2. the sends, each with its stable id, each in a span that its outcome event continues
    List<Span> spans = new ArrayList<>();
    try {
      deliverTraced(o, plans, due, spans);
    } finally {
      spans.forEach(Span::end);
    }
  }

  private void deliverTraced(Owned o, List<Planned> plans, List<Notification> due, List<Span> spans)
      throws InterruptedException {
    List<Deliverer.Result> results = new ArrayList<>();
    for (Planned p : plans) {
      Span span = NotificationTraces.send(p.intent(), p.channel());
      spans.add(span);
      try (Scope scope = span.makeCurrent()) {
        results.add(deliverer.deliver(p.channel(), p.n(), p.intent().notificationId()));
      }
      NotificationTraces.outcome(span, results.get(results.size() - 1));
    }
    // 3. the outcomes: SENT and NotificationSent, or the previous entry back and NotificationFailed
    Map<Notification, Boolean> anyDelivered = new HashMap<>();
    boolean recorded =
        inTransaction(
            o,
            w -> {
              for (int i = 0; i < plans.size(); i++) {
                Planned p = plans.get(i);
                Deliverer.Result r = results.get(i);
                anyDelivered.merge(p.n(), r.delivered(), Boolean::logicalOr);
                try (Scope scope = spans.get(i).makeCurrent()) {
                  record(w, p.intent(), p.previous(), p.channel(), r);
                }
              }
            });
    if (!recorded) {
      return; // fenced or failed: the intents stay PENDING and are sent again by the next owner
    }
    for (int i = 0; i < plans.size(); i++) {
      Planned p = plans.get(i);
      o.state.putLog(
          logKey(p.intent()), results.get(i).delivered() ? p.intent().sent() : p.previous());
    }
    anyDelivered.forEach(
        (n, delivered) -> {
          if (!delivered) {
            o.state.forgetDecision(n, null);
          }
        });
  }

  private void record(
      LogWriter w, LogEntry intent, LogEntry previous, Channel channel, Deliverer.Result r) {
    List<SourcedAlert> about = new ArrayList<>(intent.firingAlerts());
    about.addAll(intent.resolvedAlerts());
    if (r.delivered()) {
      w.log(intent.sent());
      w.event(events.sent(intent, channel, about, r));
    } else {
      if (previous == null) {
        w.tombstone(logKey(intent));
      } else {
        w.log(previous);
      }
      LOG.warn(
          "notification {} to {}/{} failed after {} attempts: {}",
          intent.notificationId(),
          channel.receiver(),
          channel.id(),
          r.attempts(),
          r.outcome().detail());
      w.event(events.failed(intent, channel, about, r));
    }
  }

  /** Sends again, with the same id, what a previous owner decided but may not have sent. */
  private void resendPending(Owned o, RoutingConfig config) throws InterruptedException {
    for (LogEntry pending : o.state.pending()) {
      Optional<Channel> channel =
          directory.channels(config, pending.receiver()).stream()
              .filter(c -> c.id().equals(pending.channelId()))
              .findFirst();
      LogEntry previous = null;
      if (channel.isEmpty()) {
        LOG.warn("pending {} has no channel any more; dropped", pending.notificationId());
        inTransaction(o, w -> w.tombstone(logKey(pending)));
        o.state.putLog(logKey(pending), null);
        continue;
      }
      Notification n =
          new Notification(
              pending.receiver(),
              pending.groupKey(),
              pending.groupLabels(),
              pending.firingAlerts().stream().map(SourcedAlert::alert).toList(),
              pending.resolvedAlerts().stream().map(SourcedAlert::alert).toList(),
              Instant.ofEpochMilli(pending.at()));
      LOG.info("re-sending ambiguous notification {}", pending.notificationId());
      Deliverer.Result r = deliverer.deliver(channel.get(), n, pending.notificationId());
      if (inTransaction(o, w -> record(w, pending, previous, channel.get(), r))) {
        o.state.putLog(logKey(pending), r.delivered() ? pending.sent() : null);
      }
    }
  }

  /** Writes to the partition's log and the catalog in one transaction; false when it failed. */
  private boolean inTransaction(Owned o, java.util.function.Consumer<LogWriter> body) {
    try {
      o.producer.beginTransaction();
      LogWriter w =
          new LogWriter(o.producer, settings.logTopic(), o.state.partition(), json, events);
      body.accept(w);
      o.producer.commitTransaction();
      w.published();
      return true;
    } catch (ProducerFencedException e) {
      LOG.warn("partition {} taken over by another owner: {}", o.state.partition(), e.toString());
      owned.remove(o.state.partition());
      o.producer.close(Duration.ZERO);
      return false;
    } catch (KafkaException e) {
      LOG.warn("log transaction of partition {} failed: {}", o.state.partition(), e.toString());
      try {
        o.producer.abortTransaction();
      } catch (KafkaException abort) {
        owned.remove(o.state.partition());
        o.producer.close(Duration.ZERO);
      }
      return false;
    }
  }

  private ConsumerRebalanceListener rebalance(
      KafkaConsumer<String, byte[]> in, KafkaConsumer<String, byte[]> logReader) {
    return new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
        for (TopicPartition tp : revoked) {
          Owned o = owned.remove(tp.partition());
          if (o != null) {
            o.producer.close(Duration.ZERO);
          }
        }
      }

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
        if (assigned.isEmpty()) {
          return;
        }
        in.seekToBeginning(assigned);
        Map<TopicPartition, Long> ends = in.endOffsets(assigned);
        for (TopicPartition tp : assigned) {
          owned.put(tp.partition(), take(tp, ends.get(tp), logReader));
        }
        LOG.info("took partitions {}", assigned.stream().map(TopicPartition::partition).toList());
      }
    };
  }

  /** Fences the partition's previous owner, then reads its notification log to the end. */
  private Owned take(TopicPartition tp, long catchUpTo, KafkaConsumer<String, byte[]> logReader) {
    KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            settings.transactionalProducer(settings.groupPrefix() + "-log-" + tp.partition()),
            new StringSerializer(),
            new ByteArraySerializer());
    producer.initTransactions();
    GroupState state = new GroupState(tp.partition(), partitions, clock);
    TopicPartition logTp = new TopicPartition(settings.logTopic(), tp.partition());
    logReader.assign(List.of(logTp));
    logReader.seekToBeginning(List.of(logTp));
    long end = logReader.endOffsets(List.of(logTp)).get(logTp);
    int entries = 0;
    while (logReader.position(logTp) < end) {
      for (ConsumerRecord<String, byte[]> r : logReader.poll(Duration.ofMillis(200))) {
        state.putLog(r.key(), r.value() == null ? null : read(r.value(), LogEntry.class));
        entries++;
      }
    }
    LOG.info("partition {}: {} log records read", tp.partition(), entries);
    return new Owned(state, producer, catchUpTo);
  }

  private <T> T read(byte[] bytes, Class<T> type) {
    try {
      return json.readValue(bytes, type);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable " + type.getSimpleName(), e);
    }
  }

  static String logKey(LogEntry e) {
    return InternalTopics.logKey(e.receiver(), e.groupKey(), e.channelId());
  }

  private static java.util.Set<String> fingerprints(List<Alert> alerts) {
    return alerts.stream().map(Alert::fingerprint).collect(Collectors.toSet());
  }

  /** Asks the loop to end; it closes its clients on the way out. */
  public void stop() {
    running = false;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }
}
