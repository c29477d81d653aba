package io.stackpilot.notifier.silence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stackpilot.notifier.routing.LabelMatcher;
import io.stackpilot.notifier.routing.Silence;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Alertmanager's silence validation, each refusal naming its field; and the event round trip. */
class SilenceRequestTest {
  static final Instant NOW = Instant.parse("2026-11-21T18:00:00Z");

  static SilenceRequest request(
      List<SilenceRequest.MatcherBody> matchers, String start, String end) {
    return new SilenceRequest(null, matchers, start, end, "user:alice", "maintenance");
  }

  static SilenceRequest.MatcherBody m(String name, String value, Boolean regex, Boolean equal) {
    return new SilenceRequest.MatcherBody(name, value, regex, equal);
  }

  @Test
  void aValidRequestBecomesASilenceWithTheFourOperators() {
    Silence s =
        request(
                List.of(
                    m("cluster", "perso", false, true),
                    m("severity", "info", false, false),
                    m("alertname", "Kube.*", true, null),
                    m("job", "node|blackbox", true, false)),
                "2026-11-21T18:00:00Z",
                "2026-11-21T20:00:00+01:00")
            .toSilence(NOW);

    assertThat(s.matchers())
        .extracting(LabelMatcher::type)
        .containsExactly(
            LabelMatcher.Type.EQUAL,
            LabelMatcher.Type.NOT_EQUAL,
            LabelMatcher.Type.REGEX,
            LabelMatcher.Type.NOT_REGEX);
    assertThat(s.endsAt()).isEqualTo(Instant.parse("2026-11-21T19:00:00Z"));
    assertThat(s.activeAt(NOW)).isTrue();
    assertThat(s.id()).hasSize(36);
    assertThat(
            s.matchers().get(0).matches(Map.of("cluster", "perso"))
                && !s.matchers().get(0).matches(Map.of("cluster", "foundation")))
        .isTrue();
  }

  @Test
  void eachRefusalNamesItsField() {
    String start = "2026-11-21T18:00:00Z";
    String end = "2026-11-21T19:00:00Z";
    assertField(request(List.of(), start, end), "matchers");
    assertField(request(List.of(m("bad-name", "x", false, true)), start, end), "matchers[0].name");
    assertField(
        request(List.of(m("cluster", "x", false, true), m("job", "(", true, true)), start, end),
        "matchers[1].value");
    assertField(request(List.of(m("cluster", ".*", true, true)), start, end), "matchers");
    assertField(request(List.of(m("cluster", "x", false, true)), null, end), "startsAt");
    assertField(request(List.of(m("cluster", "x", false, true)), start, "tomorrow"), "endsAt");
    assertField(
        request(List.of(m("cluster", "x", false, true)), end, start), "endsAt"); // before start
    assertField(
        request(
            List.of(m("cluster", "x", false, true)),
            "2026-11-21T16:00:00Z",
            "2026-11-21T17:00:00Z"),
        "endsAt"); // in the past
    assertField(
        new SilenceRequest(null, List.of(m("cluster", "x", false, true)), start, end, " ", "c"),
        "createdBy");
    assertField(
        new SilenceRequest(null, List.of(m("cluster", "x", false, true)), start, end, "u", null),
        "comment");
  }

  @Test
  void theEventCarriesTheSilenceWhole() {
    Silence s =
        request(
                List.of(m("cluster", "perso", false, true), m("job", "a|b", true, false)),
                "2026-11-21T18:00:00Z",
                "2026-11-21T19:00:00Z")
            .toSilence(NOW);
    var event =
        SilenceEvents.event(
            io.stackpilot.testing.Events.envelope("e1", s.id(), null),
            io.stackpilot.events.SilenceChange.CREATED,
            s);
    assertThat(SilenceEvents.silence(event)).isEqualTo(s);
  }

  private static void assertField(SilenceRequest r, String field) {
    assertThatThrownBy(() -> r.toSilence(NOW))
        .isInstanceOfSatisfying(
            InvalidSilenceException.class, e -> assertThat(e.field()).isEqualTo(field));
  }
}
