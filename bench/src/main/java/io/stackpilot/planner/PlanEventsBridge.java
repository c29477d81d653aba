package io.stackpilot.planner;

import io.stackpilot.events.DesiredStateChanged;
import io.stackpilot.events.RolloutPlanned;
import io.stackpilot.events.StepRequested;
import io.stackpilot.planner.plan.Plan;
import io.stackpilot.runtime.Envelopes;
import java.util.List;

/**
 * Lets the bench build a plan's events with the planner's own package-private {@link PlanEvents},
 * so the benchmark measures the service's mapping rather than a copy of it. It lives in the
 * planner's package but ships in the bench jar: a split package, which works on the class path (one
 * class loader), not on the module path.
 */
public final class PlanEventsBridge {
  private final PlanEvents events;

  public PlanEventsBridge(Envelopes envelopes) {
    this.events = new PlanEvents(envelopes);
  }

  public RolloutPlanned rolloutPlanned(DesiredStateChanged cause, Plan plan) {
    return events.rolloutPlanned(cause, plan);
  }

  public List<StepRequested> stepsRequested(RolloutPlanned planned, Plan plan) {
    return events.stepsRequested(planned, plan);
  }
}
