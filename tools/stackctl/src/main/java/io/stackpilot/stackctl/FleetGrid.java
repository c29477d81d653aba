package io.stackpilot.stackctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Clusters by components: one row per cluster (every cluster of a registered fleet, and any other
 * the planner has seen), one column per component, each cell the component's health there.
 */
final class FleetGrid {
  /** The cell of a component applied but not verified yet (health null). */
  static final String UNVERIFIED = "?";

  /** The cell of a component the cluster does not run. */
  static final String ABSENT = "-";

  /** A row's cluster: the fleet it belongs to and its tenant. */
  private record Member(String fleet, String tenant) {}

  private final Map<String, Member> clusters; // in the planner's order
  private final Map<String, Map<String, String>> cells; // cluster -> column -> health
  private final Set<String> columns;

  private FleetGrid(
      Map<String, Member> clusters, Map<String, Map<String, String>> cells, Set<String> columns) {
    this.clusters = clusters;
    this.cells = cells;
    this.columns = columns;
  }

  /** From the planner's answers to GET /fleets and GET /clusters. */
  static FleetGrid of(JsonNode fleets, JsonNode clusters) {
    Map<String, Member> rows = new LinkedHashMap<>();
    fleets
        .path("fleets")
        .forEach(
            f ->
                f.path("clusters")
                    .forEach(
                        c ->
                            rows.put(
                                c.path("name").asText(),
                                new Member(f.path("name").asText(), Table.text(c, "tenant")))));
    // a component name used by two stacks gets a column per stack: stack/component
    Map<String, Set<String>> stacksOf = new HashMap<>();
    clusters
        .path("clusters")
        .forEach(
            c ->
                c.path("components")
                    .forEach(
                        k ->
                            stacksOf
                                .computeIfAbsent(k.path("component").asText(), n -> new TreeSet<>())
                                .add(k.path("stack").asText())));
    Set<String> columns = new TreeSet<>();
    Map<String, Map<String, String>> cells = new TreeMap<>();
    for (JsonNode c : clusters.path("clusters")) {
      String name = c.path("name").asText();
      rows.putIfAbsent(name, new Member(Table.text(c, "fleet"), Table.text(c, "tenant")));
      Map<String, String> row = cells.computeIfAbsent(name, n -> new HashMap<>());
      for (JsonNode k : c.path("components")) {
        String component = k.path("component").asText();
        String column =
            stacksOf.get(component).size() > 1
                ? k.path("stack").asText() + "/" + component
                : component;
        columns.add(column);
        JsonNode health = k.path("health");
        row.put(column, health.isTextual() ? health.asText() : UNVERIFIED);
      }
    }
    return new FleetGrid(rows, cells, columns);
  }

  void print(PrintWriter out) {
    if (clusters.isEmpty()) {
      out.println("no clusters: register a fleet with stackctl fleet apply -f FILE");
      return;
    }
    List<String> header = new ArrayList<>(List.of("CLUSTER", "FLEET", "TENANT"));
    header.addAll(columns);
    Table table = new Table().row(header.toArray(String[]::new));
    clusters.forEach(
        (name, member) -> {
          List<String> row = new ArrayList<>(List.of(name, member.fleet(), member.tenant()));
          Map<String, String> health = cells.getOrDefault(name, Map.of());
          columns.forEach(column -> row.add(health.getOrDefault(column, ABSENT)));
          table.row(row.toArray(String[]::new));
        });
    table.print(out);
  }
}
