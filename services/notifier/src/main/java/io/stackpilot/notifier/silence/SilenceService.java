package io.stackpilot.notifier.silence;

import io.stackpilot.events.EventEnvelope;
import io.stackpilot.events.SilenceChange;
import io.stackpilot.notifier.routing.Silence;
import io.stackpilot.notifier.routing.Silences;
import io.stackpilot.runtime.Envelopes;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and expires silences with Alertmanager's semantics, each change an event on the silences
 * topic: a person's silence is its own correlation (no rollout), a wave's silence carries its
 * rollout and the event that caused it.
 */
public final class SilenceService {
  private static final Logger LOG = LoggerFactory.getLogger(SilenceService.class);

  /** No silence with that id (an HTTP 404). */
  public static final class SilenceNotFoundException extends RuntimeException {
    SilenceNotFoundException(String id) {
      super("silence " + id + " not found");
    }
  }

  private final SilenceLog log;
  private final Envelopes envelopes;
  private final Clock clock;

  public SilenceService(SilenceLog log, Envelopes envelopes, Clock clock) {
    this.log = log;
    this.envelopes = envelopes;
    this.clock = clock;
  }

  /**
   * Creates the silence a request asks for and returns its id. As Alertmanager's update: a request
   * with the id of a silence replaces it, by expiring it and creating a new one.
   */
  public String create(SilenceRequest request) {
    Instant now = clock.instant();
    Silence silence = request.toSilence(now);
    if (request.id() != null && !request.id().isBlank()) {
      Silence old =
          silences()
              .get(request.id())
              .orElseThrow(() -> new SilenceNotFoundException(request.id()));
      if (!old.expiredAt(now)) {
        expire(old, now, envelope(silence.createdBy(), old.id(), null, null));
      }
    }
    create(silence, envelope(silence.createdBy(), silence.id(), null, null));
    return silence.id();
  }

  /** Writes a silence made elsewhere (a wave's), unless one with its id exists already. */
  public boolean createIfAbsent(Silence silence, EventEnvelope envelope) {
    if (silences().get(silence.id()).isPresent()) {
      return false;
    }
    create(silence, envelope);
    return true;
  }

  private void create(Silence silence, EventEnvelope envelope) {
    log.publish(SilenceEvents.event(envelope, SilenceChange.CREATED, silence));
    LOG.info(
        "silence {} created by {}: {} from {} to {}",
        silence.id(),
        silence.createdBy(),
        io.stackpilot.notifier.routing.LabelMatcher.toString(silence.matchers()),
        silence.startsAt(),
        silence.endsAt());
  }

  /**
   * Expires a silence now. Idempotent, as Alertmanager's since 0.24: an expired silence stays as it
   * is and the call succeeds.
   *
   * @throws SilenceNotFoundException when there is no such silence
   */
  public void expire(String id, String actor) {
    Silence s = silences().get(id).orElseThrow(() -> new SilenceNotFoundException(id));
    Instant now = clock.instant();
    if (!s.expiredAt(now)) {
      expire(s, now, envelope(actor, id, null, null));
    }
  }

  /** Expires a silence made elsewhere (a wave's) when it is still running; false otherwise. */
  public boolean expireIfRunning(String id, EventEnvelope envelope) {
    Optional<Silence> s = silences().get(id);
    Instant now = clock.instant();
    if (s.isEmpty() || s.get().expiredAt(now)) {
      return false;
    }
    expire(s.get(), now, envelope);
    return true;
  }

  private void expire(Silence s, Instant now, EventEnvelope envelope) {
    log.publish(SilenceEvents.event(envelope, SilenceChange.EXPIRED, Silences.expired(s, now)));
    LOG.info("silence {} expired by {}", s.id(), envelope.getActor());
  }

  public List<Silence> all() {
    return silences().all();
  }

  public Optional<Silence> get(String id) {
    return silences().get(id);
  }

  public Instant updatedAt(Silence s) {
    Instant at = log.updatedAt(s.id());
    return at != null ? at : s.startsAt();
  }

  public Instant now() {
    return clock.instant();
  }

  /** The envelope of a change caused by a rollout's event: its actor, its rollout, that cause. */
  public EventEnvelope causedBy(EventEnvelope cause) {
    return envelopes.causedBy(cause);
  }

  /** The envelope of a silence change: who, which rollout (or the silence itself), which cause. */
  public EventEnvelope envelope(
      String actor, String correlationId, String causationId, String cluster) {
    return EventEnvelope.newBuilder(envelopes.root(actor, correlationId))
        .setCausationId(causationId)
        .setCluster(cluster)
        .build();
  }

  private Silences silences() {
    return log.silences();
  }
}
