package io.stackpilot.applier.render;

/** Labels and annotations that mark an object as Stackpilot's: for pruning, drift and audit. */
public final class Ownership {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGER = "stackpilot";
  public static final String COMPONENT = "stackpilot.io/component";
  public static final String DIGEST = "stackpilot.io/digest";
  public static final String ROLLOUT = "stackpilot.io/rollout";
  public static final String STEP = "stackpilot.io/step";

  /** Field manager of every server-side apply, so ownership of fields is Stackpilot's. */
  public static final String FIELD_MANAGER = "stackpilot-applier";

  private Ownership() {}
}
