package io.stackpilot.notifier.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.stackpilot.contract.Topic;
import io.stackpilot.notifier.channel.Channel;
import io.stackpilot.notifier.routing.Alert;
import io.stackpilot.notifier.routing.Notification;
import io.stackpilot.notifier.routing.RoutingConfig;
import io.stackpilot.notifier.routing.Silences;
import io.stackpilot.runtime.metrics.StackpilotMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * sent again with the same notification id. A send that fails puts the previous entry back and the
 * group is retried after a backoff; an outcome that cannot be written makes the partition be taken
 * again; a record on the internal topics that cannot be read is dead-lettered. See DESIGN.md.
 */
public final class DeliveryStage implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryStage.class);

  /** The first wait before an outcome transaction that failed is tried again; doubles, to 5 s. */
  static final Duration OUTCOME_RETRY = Duration.ofMillis(200);

  private final KafkaSettings settings;
  private final RoutingConfigSource configs;
  private final ChannelDirectory directory;
  private final Deliverer deliverer;
  private final Clock clock;
  private final ObjectMapper json;
  private final NotificationEvents events;
  private final int chunk;
  private final String deadLetterTopic;
  private final Duration sendBudget;
  private final Silences silences;
  // written by the delivery thread only; concurrent so that owns() can be asked from others
  private final Map<Integer, Owned> owned = new java.util.concurrent.ConcurrentHashMap<>();
  private final Set<Integer> lost = new HashSet<>();
  private volatile boolean running = true;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private KafkaConsumer<String, byte[]> logReader;
  private AutoCloseable lag;
  private StackpilotMetrics metrics = StackpilotMetrics.NONE;
  private long generation;
  private volatile int partitions;

  /** A partition this instance owns: its groups, its fencing producer, and how far to catch up. */
  private static final class Owned {
    final GroupState state;
    final KafkaProducer<String, byte[]> producer;
    final long catchUpTo;
    boolean ready;
    boolean resent;
    // outcomes whose transaction failed: written before anything else of the partition happens
    Outcome unrecorded;

    Owned(GroupState state, KafkaProducer<String, byte[]> producer, long catchUpTo) {
      this.state = state;
      this.producer = producer;
      this.catchUpTo = catchUpTo;
    }
  }

  /** Outcomes to write in one transaction, and what follows in memory once they are in. */
  private static final class Outcome {
    final java.util.function.Consumer<LogWriter> body;
    final Runnable after;
    int tries = 1;
    Instant retryAt;

    Outcome(java.util.function.Consumer<LogWriter> body, Runnable after, Instant retryAt) {
      this.body = body;
      this.after = after;
      this.retryAt = retryAt;
    }
  }

  /** One send decided: the notification, one of its receiver's channels, its log intent. */
  private record Planned(Notification n, Channel channel, LogEntry intent) {}

  /** The service's meters. Set before the loop runs. */
  public DeliveryStage metrics(StackpilotMetrics metrics) {
    this.metrics = metrics;
    return this;
  }

  public DeliveryStage(
      KafkaSettings settings,
      RoutingConfigSource configs,
      ChannelDirectory directory,
      Deliverer deliverer,
      Clock clock,
      ObjectMapper json,
      NotificationEvents events,
      int chunk,
      String service) {
    this(
        settings,
        configs,
        directory,
        deliverer,
        clock,
        json,
        events,
        chunk,
        service,
        new Silences());
  }

  /** With the silences and acknowledgements the dispatchers consult (the silence package). */
  public DeliveryStage(
      KafkaSettings settings,
      RoutingConfigSource configs,
      ChannelDirectory directory,
      Deliverer deliverer,
      Clock clock,
      ObjectMapper json,
      NotificationEvents events,
      int chunk,
      String service,
      Silences silences) {
    this.silences = silences;
    this.settings = settings;
    this.configs = configs;
    this.directory = directory;
    this.deliverer = deliverer;
    this.clock = clock;
    this.json = json;
    this.events = events;
    this.chunk = chunk;
    this.deadLetterTopic = Topic.deadLetterTopic(service);
    // sends run on the poll thread: half of max.poll.interval.ms for them, the rest for one
    // attempt's timeout past the deadline and the transactions around them
    this.sendBudget = Duration.ofMillis(KafkaSettings.DELIVERY_MAX_POLL_INTERVAL_MS / 2);
  }

  /**
   * Whether this instance owns a receiver's group now (the acknowledgement poller follows the
   * receipts of those groups only).
   */
  public boolean owns(String receiver, String groupKey) {
    int count = partitions;
    return count > 0 && owned.containsKey(InternalTopics.partitionFor(receiver, groupKey, count));
  }

  @Override
  public void run() {
    try (KafkaConsumer<String, byte[]> in =
            new KafkaConsumer<>(
                settings.deliveryConsumer(settings.groupPrefix() + "-delivery"),
                new StringDeserializer(),
                new ByteArrayDeserializer());
        KafkaConsumer<String, byte[]> reader =
            new KafkaConsumer<>(
                settings.consumer(null), new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer = in;
      logReader = reader;
      lag = metrics.bind(in);
      partitions = in.partitionsFor(settings.routedTopic()).size();
      if (partitions == 0) {
        throw new IllegalStateException(settings.routedTopic() + " has no partitions yet");
      }
      in.subscribe(List.of(settings.routedTopic()), rebalance(in));
      LOG.info("delivering from {} ({} partitions)", settings.routedTopic(), partitions);
      while (running) {
        for (ConsumerRecord<String, byte[]> r : in.poll(Duration.ofMillis(100))) {
          Owned o = owned.get(r.partition());
          if (o != null) {
            fold(o, r);
          }
        }
        step(in);
        takeLostAgain(in);
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
      StackpilotMetrics.unbind(lag);
      owned.values().forEach(o -> o.producer.close(Duration.ZERO));
      owned.clear();
      lost.clear();
    }
  }

  /**
   * One routed-alerts record into its partition's state; a record that is not one, dead-lettered.
   */
  private void fold(Owned o, ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      // a resolved alert tombstoned after its resolve was sent; or an alert fired again meanwhile,
      // which is written again so that compaction keeps it
      o.state
          .applyTombstone(r.key(), r.offset())
          .ifPresent(again -> recordOutcomes(o, w -> w.routed(r.key(), bytes(again)), () -> {}));
      return;
    }
    SourcedAlert alert;
    try {
      alert = readAlert(r.value());
    } catch (IOException | RuntimeException e) {
      recordOutcomes(
          o,
          w -> w.deadLetter(DeadLetterRecords.of(deadLetterTopic, r, e)),
          () -> metrics.deadLettered(r.topic()));
      return;
    }
    o.state.apply(alert, r.offset());
  }

  private void step(KafkaConsumer<String, byte[]> in) throws InterruptedException {
    RoutingConfigSource.Loaded loaded = configs.current();
    boolean reconfigured = loaded.generation() != generation;
    generation = loaded.generation();
    Instant deadline = clock.instant().plus(sendBudget);
    for (Owned o : List.copyOf(owned.values())) {
      if (!o.ready) {
        TopicPartition tp = new TopicPartition(settings.routedTopic(), o.state.partition());
        if (in.position(tp) < o.catchUpTo) {
          continue;
        }
        o.state.rebuild(loaded.config());
        o.ready = true;
        LOG.info("partition {} caught up: {} pending sends", tp, o.state.pending().size());
      } else if (reconfigured) {
        o.state.rebuild(loaded.config());
      }
      if (!writeUnrecorded(o)) {
        continue; // its outcomes first: nothing else of this partition meanwhile
      }
      if (!o.resent) {
        o.resent = resendPending(o, loaded.config(), deadline);
      }
      if (!o.resent || !owns(o)) {
        continue;
      }
      List<Notification> due = o.state.flushDue();
      for (int i = 0; i < due.size(); i += chunk) {
        List<Notification> part = due.subList(i, Math.min(due.size(), i + chunk));
        if (!owns(o)) {
          break;
        }
        if (o.unrecorded == null && clock.instant().isBefore(deadline)) {
          deliver(o, part, loaded.config(), deadline);
        } else {
          // out of time for this poll, or outcomes to write first: the dispatcher takes them back
          // and flushes them again at the next step
          part.forEach(n -> o.state.retry(n, lastEntry(o, n, loaded.config()), clock.instant()));
        }
      }
    }
  }

  private boolean owns(Owned o) {
    return owned.get(o.state.partition()) == o && !lost.contains(o.state.partition());
  }

  private void deliver(Owned o, List<Notification> due, RoutingConfig config, Instant deadline)
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
                resolved,
                previous == null ? null : previous.asPrevious());
        plans.add(new Planned(n, channel, intent));
      }
    }
    if (plans.isEmpty()) {
      return;
    }
    // 1. the intents, committed before anything is sent
    if (!inTransaction(o, w -> plans.forEach(p -> w.log(p.intent())))) {
      // nothing was sent: the decisions are taken back and made again after a backoff
      due.forEach(n -> o.state.retry(n, lastEntry(o, n, config), backoff(o, n)));
      return;
    }
    plans.forEach(p -> o.state.putLog(logKey(p.intent()), p.intent()));
    // 2. the sends, each with its stable id, each in a span that its outcome event continues
    List<Span> spans = new ArrayList<>();
    try {
      deliverTraced(o, plans, config, deadline, spans);
    } finally {
      spans.forEach(Span::end);
    }
  }

  private void deliverTraced(
      Owned o, List<Planned> plans, RoutingConfig config, Instant deadline, List<Span> spans)
      throws InterruptedException {
    List<Deliverer.Result> results = new ArrayList<>();
    for (Planned p : plans) {
      Span span = NotificationTraces.send(p.intent(), p.channel());
      spans.add(span);
      try (Scope scope = span.makeCurrent()) {
        results.add(deliverer.deliver(p.channel(), p.n(), p.intent().notificationId(), deadline));
      }
      NotificationTraces.outcome(span, results.get(results.size() - 1));
    }
    // 3. the outcomes: SENT and NotificationSent, or the previous entry back and NotificationFailed
    Map<Notification, Boolean> anyDelivered = new LinkedHashMap<>();
    Map<Notification, Boolean> allDelivered = new LinkedHashMap<>();
    Map<Notification, Boolean> deferred = new LinkedHashMap<>();
    for (int i = 0; i < plans.size(); i++) {
      Notification n = plans.get(i).n();
      anyDelivered.merge(n, results.get(i).delivered(), Boolean::logicalOr);
      allDelivered.merge(n, results.get(i).delivered(), Boolean::logicalAnd);
      deferred.merge(n, results.get(i).deferred(), Boolean::logicalOr);
    }
    recordOutcomes(
        o,
        w -> {
          for (int i = 0; i < plans.size(); i++) {
            // the outcome event continues the send's span
            try (Scope scope = spans.get(i).makeCurrent()) {
              record(
                  w,
                  plans.get(i).intent(),
                  plans.get(i).channel(),
                  results.get(i),
                  anyDelivered.get(plans.get(i).n()));
            }
          }
          allDelivered.forEach(
              (n, all) -> {
                if (all) {
                  tombstoneResolved(o, w, n);
                }
              });
        },
        () -> {
          for (int i = 0; i < plans.size(); i++) {
            Planned p = plans.get(i);
            published(results.get(i), anyDelivered.get(p.n()));
            o.state.putLog(
                logKey(p.intent()),
                results.get(i).delivered() ? p.intent().sent() : p.intent().previous());
          }
          anyDelivered.forEach(
              (n, delivered) -> {
                if (delivered) {
                  o.state.delivered(n);
                } else {
                  LogEntry before = lastEntry(o, n, config);
                  o.state.retry(n, before, deferred.get(n) ? clock.instant() : backoff(o, n));
                }
              });
        });
  }

  /** The log entry a notification's receiver and group stands at, on its first channel. */
  private LogEntry lastEntry(Owned o, Notification n, RoutingConfig config) {
    for (Channel c : directory.channels(config, n.receiver())) {
      Optional<LogEntry> e = o.state.log(n.receiver(), n.groupKey(), c.id());
      if (e.isPresent()) {
        return e.get().pending() ? e.get().previous() : e.get();
      }
    }
    return null;
  }

  private Instant backoff(Owned o, Notification n) {
    return o.state.backoffUntil(n, deliverer.policy());
  }

  private void tombstoneResolved(Owned o, LogWriter w, Notification n) {
    for (SourcedAlert s : o.state.deliveredResolves(n)) {
      w.routed(InternalTopics.alertKey(s), null);
    }
  }

  /**
   * The NotificationSent or NotificationFailed of a result, counted once its transaction committed.
   */
  private void published(Deliverer.Result r, boolean partlyDelivered) {
    if (r.deferred() && !partlyDelivered) {
      return; // nothing was published: tried again at the next step
    }
    Topic topic = r.delivered() ? Topic.NOTIFICATIONS_SENT : Topic.NOTIFICATIONS_FAILED;
    metrics.published(topic.topicName(), r.delivered() ? "NotificationSent" : "NotificationFailed");
  }

  /**
   * The outcome of one channel's send. A deferred send (no time left in the poll) publishes nothing
   * and the notification is tried again at the next step, unless another channel of the same
   * notification was delivered: then the notification is done and this channel counts as failed
   * (NotificationFailed, retriable), as a failed channel of a partly delivered one does.
   */
  private void record(
      LogWriter w, LogEntry intent, Channel channel, Deliverer.Result r, boolean partlyDelivered) {
    List<SourcedAlert> about = new ArrayList<>(intent.firingAlerts());
    about.addAll(intent.resolvedAlerts());
    if (r.delivered()) {
      w.log(intent.sent());
      w.event(events.sent(intent, channel, about, r));
      return;
    }
    if (intent.previous() == null) {
      w.tombstone(logKey(intent));
    } else {
      w.log(intent.previous());
    }
    if (r.deferred() && !partlyDelivered) {
      return; // not a failure of the receiver: tried again at the next step
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

  /**
   * Sends again, with the same id, what a previous owner decided but may not have sent. A send that
   * fails puts the entry before it back (its sequence and alerts), and the group is retried.
   */
  private boolean resendPending(Owned o, RoutingConfig config, Instant deadline)
      throws InterruptedException {
    for (LogEntry pending : o.state.pending()) {
      if (!owns(o) || o.unrecorded != null) {
        return false; // the rest once the outcome is in (still PENDING: not sent twice here)
      }
      Optional<Channel> channel =
          directory.channels(config, pending.receiver()).stream()
              .filter(c -> c.id().equals(pending.channelId()))
              .findFirst();
      if (channel.isEmpty()) {
        LOG.warn("pending {} has no channel any more; dropped", pending.notificationId());
        if (inTransaction(o, w -> w.tombstone(logKey(pending)))) {
          o.state.putLog(logKey(pending), null);
        }
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
      Deliverer.Result r = deliverer.deliver(channel.get(), n, pending.notificationId(), deadline);
      recordOutcomes(
          o,
          w -> {
            record(w, pending, channel.get(), r, false);
            if (r.delivered()) {
              tombstoneResolved(o, w, n);
            }
          },
          () -> {
            published(r, false);
            o.state.putLog(logKey(pending), r.delivered() ? pending.sent() : pending.previous());
            if (r.delivered()) {
              o.state.delivered(n);
            } else {
              o.state.retry(n, pending.previous(), r.deferred() ? clock.instant() : backoff(o, n));
            }
          });
    }
    return owns(o) && o.unrecorded == null;
  }

  /**
   * An outcome must not be lost: when its transaction aborts (without this owner being fenced) it
   * is kept and written again, with a backoff, before anything else of the partition happens; the
   * sends are not repeated. When the producer cannot even abort, the partition is taken again,
   * which re-sends its PENDING intents with their ids, so the next owner writes the outcome.
   */
  private void recordOutcomes(
      Owned o, java.util.function.Consumer<LogWriter> body, Runnable after) {
    if (inTransaction(o, body)) {
      after.run();
    } else if (owns(o)) {
      LOG.warn("outcomes of partition {} not written; trying again", o.state.partition());
      Outcome pending = o.unrecorded;
      o.unrecorded =
          pending == null
              ? new Outcome(body, after, clock.instant().plus(OUTCOME_RETRY))
              : new Outcome(
                  pending.body.andThen(body),
                  () -> {
                    pending.after.run();
                    after.run();
                  },
                  pending.retryAt);
    }
  }

  /** True when the partition has no outcome left to write. */
  private boolean writeUnrecorded(Owned o) {
    Outcome u = o.unrecorded;
    if (u == null) {
      return true;
    }
    if (clock.instant().isBefore(u.retryAt)) {
      return false;
    }
    if (inTransaction(o, u.body)) {
      o.unrecorded = null;
      u.after.run();
      LOG.info("outcomes of partition {} written after {} tries", o.state.partition(), u.tries + 1);
      return true;
    }
    u.tries++;
    long wait = Math.min(5_000, OUTCOME_RETRY.toMillis() << Math.min(u.tries, 5));
    u.retryAt = clock.instant().plusMillis(wait);
    return false;
  }

  /** Writes to the partition's log and the catalog in one transaction; false when it failed. */
  private boolean inTransaction(Owned o, java.util.function.Consumer<LogWriter> body) {
    boolean begun = false;
    try {
      o.producer.beginTransaction();
      begun = true;
      LogWriter w =
          new LogWriter(
              o.producer,
              settings.logTopic(),
              settings.routedTopic(),
              o.state.partition(),
              json,
              events);
      body.accept(w);
      o.producer.commitTransaction();
      w.published();
      return true;
    } catch (ProducerFencedException e) {
      LOG.warn("partition {} taken over by another owner: {}", o.state.partition(), e.toString());
      owned.remove(o.state.partition());
      o.producer.close(Duration.ZERO);
      return false;
    } catch (RuntimeException e) {
      // any failure, not only Kafka's: the transaction is aborted, never left open
      LOG.warn("log transaction of partition {} failed: {}", o.state.partition(), e.toString());
      if (begun) {
        try {
          o.producer.abortTransaction();
        } catch (KafkaException abort) {
          lost.add(o.state.partition()); // the producer is unusable: take the partition again
        }
      }
      return false;
    }
  }

  /** Partitions whose producer failed are taken again: fenced, log re-read, PENDING re-sent. */
  private void takeLostAgain(KafkaConsumer<String, byte[]> in) {
    for (Integer p : List.copyOf(lost)) {
      lost.remove(p);
      Owned o = owned.remove(p);
      if (o == null) {
        continue;
      }
      o.producer.close(Duration.ZERO);
      TopicPartition tp = new TopicPartition(settings.routedTopic(), p);
      if (in.assignment().contains(tp)) {
        in.seekToBeginning(List.of(tp));
        owned.put(p, take(tp, in.endOffsets(List.of(tp)).get(tp)));
        LOG.info("took partition {} again", p);
      }
    }
  }

  private ConsumerRebalanceListener rebalance(KafkaConsumer<String, byte[]> in) {
    return new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
        for (TopicPartition tp : revoked) {
          Owned o = owned.remove(tp.partition());
          lost.remove(tp.partition());
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
          owned.put(tp.partition(), take(tp, ends.get(tp)));
        }
        LOG.info("took partitions {}", assigned.stream().map(TopicPartition::partition).toList());
      }
    };
  }

  /**
   * Fences the partition's previous owner, then reads its notification log to the end. An entry
   * that cannot be read goes to the dead-letter topic and is skipped.
   */
  private Owned take(TopicPartition tp, long catchUpTo) {
    KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            settings.transactionalProducer(settings.groupPrefix() + "-log-" + tp.partition()),
            new StringSerializer(),
            new ByteArraySerializer());
    producer.initTransactions();
    Owned o =
        new Owned(new GroupState(tp.partition(), partitions, clock, silences), producer, catchUpTo);
    TopicPartition logTp = new TopicPartition(settings.logTopic(), tp.partition());
    logReader.assign(List.of(logTp));
    logReader.seekToBeginning(List.of(logTp));
    long end = logReader.endOffsets(List.of(logTp)).get(logTp);
    int entries = 0;
    while (logReader.position(logTp) < end) {
      for (ConsumerRecord<String, byte[]> r : logReader.poll(Duration.ofMillis(200))) {
        entries++;
        if (r.value() == null) {
          o.state.putLog(r.key(), null);
          continue;
        }
        try {
          o.state.putLog(r.key(), readEntry(r.value()));
        } catch (IOException | RuntimeException e) {
          recordOutcomes(
              o,
              w -> w.deadLetter(DeadLetterRecords.of(deadLetterTopic, r, e)),
              () -> metrics.deadLettered(r.topic()));
        }
      }
    }
    LOG.info("partition {}: {} log records read", tp.partition(), entries);
    return o;
  }

  private SourcedAlert readAlert(byte[] bytes) throws IOException {
    SourcedAlert a = json.readValue(bytes, SourcedAlert.class);
    require(a.routePath(), "routePath");
    require(a.receiver(), "receiver");
    require(a.groupKey(), "groupKey");
    require(a.labels(), "labels");
    return a;
  }

  private LogEntry readEntry(byte[] bytes) throws IOException {
    LogEntry e = json.readValue(bytes, LogEntry.class);
    require(e.receiver(), "receiver");
    require(e.groupKey(), "groupKey");
    require(e.channelId(), "channelId");
    require(e.state(), "state");
    require(e.notificationId(), "notificationId");
    require(e.firing(), "firing");
    require(e.resolved(), "resolved");
    if (e.pending()) {
      require(e.groupLabels(), "groupLabels");
      require(e.firingAlerts(), "firingAlerts");
      require(e.resolvedAlerts(), "resolvedAlerts");
    }
    return e;
  }

  private static void require(Object value, String field) {
    if (value == null) {
      throw new IllegalArgumentException("field " + field + " is missing");
    }
  }

  private byte[] bytes(SourcedAlert alert) {
    try {
      return json.writeValueAsBytes(alert);
    } catch (IOException e) {
      throw new UncheckedIOException("alert not serializable", e);
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
