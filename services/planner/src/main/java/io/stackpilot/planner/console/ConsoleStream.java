package io.stackpilot.planner.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stackpilot.planner.rollout.RolloutOrchestrator;
import io.stackpilot.planner.spec.SpecParser;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The console's live stream: server-sent events, one {@code snapshot} (a {@link ConsoleView}) on
 * connect and another whenever the rollout loop's state changed, coalesced over {@link #COALESCE}
 * so a burst of events is one push. The state is read on the loop ({@link
 * RolloutOrchestrator#call}), never from this process's own writes alone: the loop rebuilt it from
 * the topics. A comment line every {@link #HEARTBEAT} finds clients that went away.
 */
@Component
public class ConsoleStream {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleStream.class);
  static final Duration COALESCE = Duration.ofMillis(200);
  static final Duration HEARTBEAT = Duration.ofSeconds(15);
  static final Duration LOOP_TIMEOUT = Duration.ofSeconds(30);

  /** A client reconnects on its own (EventSource does) after this; it bounds a lost client. */
  static final Duration EMITTER_TIMEOUT = Duration.ofMinutes(30);

  private final RolloutOrchestrator loop;
  private final ObjectMapper json;
  private final SpecParser parser = new SpecParser();
  private final List<SseEmitter> clients = new CopyOnWriteArrayList<>();
  private final AtomicLong version = new AtomicLong();
  private final AtomicBoolean pending = new AtomicBoolean();
  private final ScheduledExecutorService pusher =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "console-stream");
            t.setDaemon(true);
            return t;
          });

  public ConsoleStream(RolloutOrchestrator loop, ObjectMapper json) {
    this.loop = loop;
    this.json = json;
    loop.addChangeListener(this::changed);
    pusher.scheduleWithFixedDelay(
        this::heartbeat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The current snapshot, read on the loop. */
  public ConsoleView.Snapshot snapshot() {
    return loop.call(rollouts -> ConsoleView.of(version.get(), rollouts, parser), LOOP_TIMEOUT);
  }

  /** A new client: it gets the current snapshot at once, then every change. */
  public SseEmitter subscribe() {
    SseEmitter emitter = new SseEmitter(EMITTER_TIMEOUT.toMillis());
    emitter.onCompletion(() -> clients.remove(emitter));
    emitter.onTimeout(() -> clients.remove(emitter));
    emitter.onError(e -> clients.remove(emitter));
    clients.add(emitter);
    pusher.execute(() -> send(List.of(emitter)));
    return emitter;
  }

  /** Called on the loop: schedule one push, unless one is already due. */
  private void changed() {
    if (pending.compareAndSet(false, true)) {
      pusher.schedule(
          () -> {
            pending.set(false);
            version.incrementAndGet();
            send(clients);
          },
          COALESCE.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  private void send(List<SseEmitter> to) {
    if (to.isEmpty()) {
      return;
    }
    String data;
    try {
      data = json.writeValueAsString(snapshot());
    } catch (JsonProcessingException | RuntimeException e) {
      LOG.warn("console snapshot not built; the next change tries again: {}", e.toString());
      return;
    }
    String id = Long.toString(version.get());
    for (SseEmitter emitter : to) {
      try {
        emitter.send(SseEmitter.event().name("snapshot").id(id).data(data));
      } catch (IOException | IllegalStateException e) {
        clients.remove(emitter); // the client went away; its connection is already closed
      }
    }
  }

  private void heartbeat() {
    for (SseEmitter emitter : clients) {
      try {
        emitter.send(SseEmitter.event().comment("keep-alive"));
      } catch (IOException | IllegalStateException e) {
        clients.remove(emitter);
      }
    }
  }

  /** How many clients follow the stream (for tests and metrics). */
  public int clients() {
    return clients.size();
  }

  @PreDestroy
  void close() {
    pusher.shutdownNow();
    clients.forEach(SseEmitter::complete);
    clients.clear();
  }
}
