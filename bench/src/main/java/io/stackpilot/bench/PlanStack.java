package io.stackpilot.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The declaration PlanBenchmark plans: the 8-component stack of {@code plan-benchmark/stack.yaml}
 * and a generated Fleet of {@code clusters} clusters ({@code cluster-0001}, ...), each with its own
 * tenant, region and tier labels, and one override (Prometheus' external label {@code cluster}).
 * One canary, then batches of 10% of the clusters.
 */
final class PlanStack {
  static final String STACK_RESOURCE = "/plan-benchmark/stack.yaml";
  static final String CANARY = "cluster-0001";
  static final String BATCH_SIZE = "10%";
  static final int SOAK_SECONDS = 300;
  private static final String[] REGIONS = {"eu-west-1", "eu-central-1", "us-east-1", "ap-south-1"};
  private static final String[] TIERS = {"prod", "prod", "prod", "staging"};

  private PlanStack() {}

  /** The stack document, then the fleet document: what the API and the consumer admit. */
  static String documents(int clusters) {
    return stack() + "---\n" + fleet(clusters);
  }

  static String stack() {
    try (InputStream in = PlanStack.class.getResourceAsStream(STACK_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + STACK_RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String fleet(int clusters) {
    StringBuilder yaml = new StringBuilder(256 * clusters);
    yaml.append("apiVersion: stackpilot.io/v1alpha1\n")
        .append("kind: Fleet\n")
        .append("metadata:\n")
        .append("  name: fleet-")
        .append(clusters)
        .append('\n')
        .append("spec:\n")
        .append("  clusters:\n");
    for (int i = 1; i <= clusters; i++) {
      String name = name(i);
      yaml.append("    - name: ").append(name).append('\n');
      yaml.append("      context: ").append(name).append('\n');
      yaml.append("      tenant: ").append(String.format("tenant-%04d", i)).append('\n');
      yaml.append("      labels: {region: ")
          .append(REGIONS[i % REGIONS.length])
          .append(", tier: ")
          .append(TIERS[(i / REGIONS.length) % TIERS.length])
          .append("}\n");
      yaml.append("      overrides:\n");
      yaml.append("        kube-prometheus-stack:\n");
      yaml.append("          values:\n");
      yaml.append("            prometheus:\n");
      yaml.append("              prometheusSpec:\n");
      yaml.append("                externalLabels: {cluster: ").append(name).append("}\n");
    }
    yaml.append("  rollout:\n")
        .append("    canary: [")
        .append(CANARY)
        .append("]\n")
        .append("    batchSize: \"")
        .append(BATCH_SIZE)
        .append("\"\n")
        .append("    soakSeconds: ")
        .append(SOAK_SECONDS)
        .append('\n');
    return yaml.toString();
  }

  static String name(int i) {
    return String.format("cluster-%04d", i);
  }
}
