package io.stackpilot.planner.spec;

import java.util.Arrays;
import java.util.Optional;

/**
 * How the applier puts a component on a cluster: as a Flux HelmRelease (with its HelmRepository or
 * OCIRepository), as an Argo CD Application (with a sync wave per dependency rank), or as plain
 * manifests. Declared per stack ({@code spec.driver}) and per component; Flux by default.
 */
public enum RenderDriver {
  FLUX("flux"),
  ARGOCD("argocd"),
  MANIFESTS("manifests");

  private final String yamlName;

  RenderDriver(String yamlName) {
    this.yamlName = yamlName;
  }

  public String yamlName() {
    return yamlName;
  }

  public static Optional<RenderDriver> of(String name) {
    return Arrays.stream(values()).filter(d -> d.yamlName.equals(name)).findFirst();
  }

  /** The names a spec may use, for error messages. */
  public static String names() {
    return String.join(", ", Arrays.stream(values()).map(RenderDriver::yamlName).toList());
  }
}
