package io.stackpilot.planner.rules;

import io.stackpilot.planner.spec.ComponentType;
import java.util.ArrayList;
import java.util.List;

/** Mimir's local directories must not be the same or nested in one another. */
final class MimirDataPaths extends SeedRule {
  private static final List<VPath> DIRS =
      List.of(
          config("blocks_storage", "filesystem", "dir"),
          config("blocks_storage", "tsdb", "dir"),
          config("blocks_storage", "bucket_store", "sync_dir"),
          config("ruler_storage", "filesystem", "dir"),
          config("alertmanager_storage", "filesystem", "dir"),
          config("alertmanager", "data_dir"),
          config("compactor", "data_dir"),
          config("ruler", "rule_path"));

  MimirDataPaths() {
    super(
        "MIMIR-DATA-PATHS",
        Severity.ERROR,
        "000",
        "Mimir's directories (blocks_storage filesystem and tsdb, bucket_store sync_dir,"
            + " ruler_storage, alertmanager_storage, alertmanager data_dir, compactor data_dir,"
            + " ruler rule_path) must not overlap. Seed 000: \"The initial configuration used"
            + " `/var/mimir/data` for multiple components ... Each component must have its own"
            + " unique path to avoid 'directory cannot overlap' errors.\" `common.storage` is the"
            + " shared default and is not compared.",
        "Give each its own directory under /data: /data/blocks, /data/tsdb, /data/ruler-storage,"
            + " /data/alertmanager, /data/compactor, /data/ruler-rules.");
  }

  private static VPath config(String... keys) {
    VPath p = VPath.of("mimir", "structuredConfig");
    for (String k : keys) {
      p = p.key(k);
    }
    return p;
  }

  @Override
  void check(StackView.ComponentView c, List<Finding> out) {
    if (!c.is(ComponentType.MIMIR)) {
      return;
    }
    List<VPath> seen = new ArrayList<>();
    for (VPath path : DIRS) {
      String dir = normalize(Values.text(Values.get(c.values(), path)));
      if (dir == null) {
        continue;
      }
      for (VPath earlier : seen) {
        String other = normalize(Values.text(Values.get(c.values(), earlier)));
        if (overlap(dir, other)) {
          out.add(
              finding(
                  c.field(path),
                  "`"
                      + name(path)
                      + "` ("
                      + dir
                      + ") overlaps `"
                      + name(earlier)
                      + "` ("
                      + other
                      + "): Mimir refuses to start (directory cannot overlap)"));
          break;
        }
      }
      seen.add(path);
    }
  }

  private static String name(VPath path) {
    return path.render().substring(".mimir.structuredConfig.".length());
  }

  private static String normalize(String dir) {
    if (dir == null || dir.isBlank()) {
      return null;
    }
    String d = dir.trim();
    while (d.length() > 1 && d.endsWith("/")) {
      d = d.substring(0, d.length() - 1);
    }
    return d;
  }

  private static boolean overlap(String a, String b) {
    return a.equals(b) || a.startsWith(b + "/") || b.startsWith(a + "/");
  }
}
