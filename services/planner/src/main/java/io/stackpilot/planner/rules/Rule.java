package io.stackpilot.planner.rules;

import io.stackpilot.planner.spec.SpecParser;
import java.util.List;

/** A semantic check of a declared stack and fleet, from a pitfall a seed write-up documents. */
public interface Rule {
  /** Stable id, e.g. {@code TEMPO-STORAGE-TRACE}; listed in docs/rules.md. */
  String id();

  Severity severity();

  /** The seed write-up the pitfall comes from, e.g. "000". */
  String seed();

  /** What the rule checks and what the seed says about it. */
  String summary();

  /** Findings in a deterministic order; none when the declaration is fine. Pure. */
  List<Finding> check(SpecParser.Declared declared);
}
