package io.stackpilot.stackctl;

/**
 * Bodies shaped as the planner's documented contract says (GET /rollouts/{id}, GET /rollouts, GET
 * /fleets, GET /clusters, PUT /fleets/{name}, POST /rollouts, RFC 7807 problems).
 */
final class Contract {
  private Contract() {}

  static String problem(int status, String title, String detail) {
    return """
        {"type":"about:blank","title":"%s","status":%d,"detail":"%s"}"""
        .formatted(title, status, detail);
  }

  static String progress(int promoted, int applied, int healthy, int failed) {
    return """
        {"wavesTotal":3,"wavesPromoted":%d,"stepsTotal":6,"stepsRequested":%d,\
        "stepsApplied":%d,"stepsHealthy":%d,"stepsFailed":%d}"""
        .formatted(promoted, Math.max(applied + failed, 0), applied, healthy, failed);
  }

  /** A rollout that completed: every wave promoted, every step healthy. */
  static String completed(String id) {
    return rollout(
        id,
        "COMPLETED",
        "all 3 waves promoted",
        progress(3, 6, 6, 0),
        new String[] {"PROMOTED", "PROMOTED", "PROMOTED"},
        new String[] {"HEALTHY", "HEALTHY", "HEALTHY", "HEALTHY", "HEALTHY", "HEALTHY"},
        "[]");
  }

  /** A rollout halted by wave 1: one step failed, one timed out, wave 2 never started. */
  static String halted(String id) {
    return rollout(
        id,
        "HALTED",
        "wave 1 failed: 2 steps not healthy",
        progress(1, 3, 3, 2),
        new String[] {"PROMOTED", "FAILED", "PENDING"},
        new String[] {"HEALTHY", "HEALTHY", "FAILED", "TIMED_OUT", "HEALTHY", "PENDING"},
        """
        [{"transition":"STARTED","phase":"PROGRESSING","wave":null,"reason":"declared","actor":"user:alice","at":"2026-11-21T10:00:00Z"},
         {"transition":"WAVE_FAILED","phase":"HALTED","wave":1,"reason":"wave 1 failed: 2 steps not healthy","actor":"service:planner","at":"2026-11-21T10:05:00Z"}]""");
  }

  /** A rollout still moving, in the given non-terminal phase. */
  static String inPhase(String id, String phase, int promoted) {
    return rollout(
        id,
        phase,
        "wave " + promoted + " started",
        progress(promoted, promoted * 2, promoted * 2, 0),
        new String[] {"RUNNING", "PENDING", "PENDING"},
        new String[] {"REQUESTED", "REQUESTED", "PENDING", "PENDING", "PENDING", "PENDING"},
        "[]");
  }

  static String rollout(
      String id,
      String phase,
      String reason,
      String progress,
      String[] waveStates,
      String[] stepStates,
      String transitions) {
    return """
        {"rolloutId":"%s","stack":"lgtm","phase":"%s","reason":"%s","actor":"user:alice",
         "startedAt":"2026-11-21T10:00:00Z","updatedAt":"2026-11-21T10:05:00Z",
         "progress":%s,
         "waves":[
           {"index":0,"name":"canary","clusters":["foundation"],"state":"%s"},
           {"index":1,"name":"batch-1","clusters":["cryptellation","perso"],"state":"%s"},
           {"index":2,"name":"batch-2","clusters":["edge"],"state":"%s"}],
         "steps":[
           {"stepId":"%1$s/foundation/loki","wave":0,"cluster":"foundation","component":"loki","change":"UPGRADE","action":"APPLY","state":"%s","digest":"sha256:aaaa","detail":null},
           {"stepId":"%1$s/foundation/tempo","wave":0,"cluster":"foundation","component":"tempo","change":"INSTALL","action":"APPLY","state":"%s","digest":"sha256:bbbb","detail":null},
           {"stepId":"%1$s/cryptellation/loki","wave":1,"cluster":"cryptellation","component":"loki","change":"UPGRADE","action":"APPLY","state":"%s","digest":"sha256:aaaa","detail":"CrdMissing: no kind ServiceMonitor"},
           {"stepId":"%1$s/perso/tempo","wave":1,"cluster":"perso","component":"tempo","change":"INSTALL","action":"APPLY","state":"%s","digest":"sha256:bbbb","detail":"not healthy within 600s"},
           {"stepId":"%1$s/perso/loki","wave":1,"cluster":"perso","component":"loki","change":"RECONFIGURE","action":"APPLY","state":"%s","digest":"sha256:aaaa","detail":null},
           {"stepId":"%1$s/edge/loki","wave":2,"cluster":"edge","component":"loki","change":"UPGRADE","action":"APPLY","state":"%s","digest":"sha256:aaaa","detail":null}],
         "transitions":%s}"""
        .formatted(
            id,
            phase,
            reason,
            progress,
            waveStates[0],
            waveStates[1],
            waveStates[2],
            stepStates[0],
            stepStates[1],
            stepStates[2],
            stepStates[3],
            stepStates[4],
            stepStates[5],
            transitions);
  }
}
