package io.stackpilot.planner.api;

import io.stackpilot.events.FleetRegistered;
import io.stackpilot.planner.plan.RolloutPlanner;
import io.stackpilot.planner.rollout.Deployments;
import io.stackpilot.planner.rollout.RolloutOrchestrator;
import io.stackpilot.planner.spec.FleetSpec;
import io.stackpilot.planner.spec.SpecException;
import io.stackpilot.planner.spec.SpecParser;
import io.stackpilot.runtime.Envelopes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Fleets registered on their own (a stack submitted with {@code ?fleet=NAME} rolls out to one), and
 * every cluster with what it runs, as the log says.
 */
@RestController
@RequestMapping("/api/v1")
public class FleetController {
  private final RolloutOrchestrator loop;
  private final Envelopes envelopes;
  private final SpecParser parser = new SpecParser();

  public FleetController(RolloutOrchestrator loop, Envelopes envelopes) {
    this.loop = loop;
    this.envelopes = envelopes;
  }

  /** What a registration answers. */
  public record Registered(String fleet, String revision, List<String> clusters, String eventId) {}

  /** The registered fleets. */
  public record Fleets(List<FleetView> fleets) {}

  /** A fleet and its clusters. */
  public record FleetView(String name, String revision, List<ClusterView> clusters) {}

  /** A cluster as registered. */
  public record ClusterView(
      String name, String context, String tenant, Map<String, String> labels) {}

  /** Every cluster the planner knows, with what it runs. */
  public record Clusters(List<ClusterState> clusters) {}

  /** A cluster and its components. */
  public record ClusterState(
      String name, String fleet, String tenant, List<ComponentState> components) {}

  /** A component on a cluster, as last applied and verified. */
  public record ComponentState(
      String stack,
      String component,
      String digest,
      String chartVersion,
      String health,
      String rolloutId,
      Instant updatedAt) {}

  @PutMapping(
      path = "/fleets/{name}",
      consumes = {"application/yaml", "application/x-yaml", "text/yaml", "text/plain"})
  public Registered register(
      @PathVariable("name") String name,
      @RequestBody(required = false) String document,
      @RequestHeader(name = RolloutController.ACTOR_HEADER, defaultValue = "api:anonymous")
          String actor,
      @RequestHeader(
              name = RolloutController.REASON_HEADER,
              defaultValue = "registered through the API")
          String reason) {
    if (document == null || document.isBlank()) {
      throw SpecException.of("document", "empty: expected a Fleet");
    }
    SpecParser.DeclaredFleet declared = parser.parseFleet(document);
    FleetSpec fleet = declared.fleet();
    if (!name.equals(fleet.metadata().name())) {
      throw SpecException.of(
          "fleet.metadata.name", "is '" + fleet.metadata().name() + "' but the path names " + name);
    }
    List<String> clusters = fleet.spec().clusters().stream().map(FleetSpec.Cluster::name).toList();
    FleetRegistered event =
        FleetRegistered.newBuilder()
            .setEnvelope(envelopes.root(actor, "fleet/" + name + "/" + UUID.randomUUID()))
            .setFleetName(name)
            .setFleetRevision("sha256:" + RolloutPlanner.sha256(declared.yaml()))
            .setFleetSpec(declared.yaml())
            .setClusters(clusters)
            .setReason(reason)
            .build();
    loop.call(rollouts -> loop.publish(List.of(event)), RolloutStatusController.LOOP_TIMEOUT);
    return new Registered(
        name, event.getFleetRevision(), clusters, event.getEnvelope().getEventId());
  }

  @GetMapping("/fleets")
  public Fleets fleets() {
    return loop.call(
        rollouts -> {
          List<FleetView> out = new ArrayList<>();
          rollouts
              .fleets()
              .values()
              .forEach(
                  f -> {
                    FleetSpec spec = parser.parseFleet(f.getFleetSpec()).fleet();
                    out.add(
                        new FleetView(
                            f.getFleetName(),
                            f.getFleetRevision(),
                            spec.spec().clusters().stream()
                                .map(
                                    c ->
                                        new ClusterView(
                                            c.name(), c.context(), c.tenant(), c.labelsOrEmpty()))
                                .toList()));
                  });
          return new Fleets(out);
        },
        RolloutStatusController.LOOP_TIMEOUT);
  }

  @GetMapping("/clusters")
  public Clusters clusters() {
    return loop.call(
        rollouts -> {
          Map<String, ClusterState> out = new TreeMap<>();
          rollouts
              .fleets()
              .values()
              .forEach(
                  f ->
                      parser
                          .parseFleet(f.getFleetSpec())
                          .fleet()
                          .spec()
                          .clusters()
                          .forEach(
                              c ->
                                  out.putIfAbsent(
                                      c.name(),
                                      new ClusterState(
                                          c.name(),
                                          f.getFleetName(),
                                          c.tenant(),
                                          new ArrayList<>()))));
          for (Map.Entry<Deployments.Key, Deployments.Deployed> e : rollouts.deployments().all()) {
            Deployments.Key key = e.getKey();
            Deployments.Deployed d = e.getValue();
            ClusterState cluster =
                out.computeIfAbsent(
                    key.cluster(), c -> new ClusterState(c, null, d.tenant(), new ArrayList<>()));
            cluster
                .components()
                .add(
                    new ComponentState(
                        key.stack(),
                        key.component(),
                        d.digest(),
                        d.chartVersion(),
                        d.health() == null ? null : d.health().name(),
                        d.rolloutId(),
                        d.appliedAt()));
          }
          return new Clusters(List.copyOf(out.values()));
        },
        RolloutStatusController.LOOP_TIMEOUT);
  }
}
