package io.stackpilot.history;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import java.util.List;

/** The unified diff of a stack's YAML between two revisions. */
final class SpecDiff {
  private SpecDiff() {}

  /**
   * @param before the previous revision's YAML; null for a first declaration (all lines added)
   * @return the diff, "" when the text did not change
   */
  static String unified(
      String stack, String beforeRevision, String before, String afterRevision, String after) {
    List<String> from = before == null ? List.of() : before.lines().toList();
    List<String> to = after == null ? List.of() : after.lines().toList();
    Patch<String> patch = DiffUtils.diff(from, to);
    if (patch.getDeltas().isEmpty()) {
      return "";
    }
    List<String> lines =
        UnifiedDiffUtils.generateUnifiedDiff(
            "a/" + stack + "@" + (before == null ? "none" : EventText.shortDigest(beforeRevision)),
            "b/" + stack + "@" + EventText.shortDigest(afterRevision),
            from,
            patch,
            3);
    return String.join("\n", lines) + "\n";
  }
}
