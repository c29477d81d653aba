package io.stackpilot.planner.rules;

import io.stackpilot.planner.spec.SpecParser;
import java.util.ArrayList;
import java.util.List;

/** The rules a declaration is checked against, in a fixed order. */
public final class RuleBook {
  private final List<Rule> rules;

  private RuleBook(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** Every rule docs/rules.md lists, grouped by component. */
  public static RuleBook standard() {
    return new RuleBook(
        List.of(
            new TempoStorageTrace(),
            new MimirPersistentVolume(),
            new MimirStorageClass(),
            new MimirStoreGatewayKey(),
            new MimirPushGrpc(),
            new MimirDataPaths(),
            new MimirWriteEndpoint(),
            new MimirWriteDistributor(),
            new MimirQueryGateway(),
            new MimirTenantHeader(),
            new LokiSchemaConfig(),
            new LokiStorageClass(),
            new LokiRetentionCompactor(),
            new LokiTenantHeader(),
            new TenantHeaderPerCluster(),
            new AlloyNodeLocalScrape(),
            new GrafanaAlertReduce(),
            new ThanosObjstoreSecret(),
            new S3PlainHttp(),
            new LonghornDataEngine(),
            new SecretInline()));
  }

  public List<Rule> rules() {
    return rules;
  }

  /** All findings of all rules: by rule in book order, then as each rule found them. */
  public List<Finding> evaluate(SpecParser.Declared declared) {
    List<Finding> findings = new ArrayList<>();
    Views views = Views.of(declared);
    for (Rule rule : rules) {
      findings.addAll(rule instanceof SeedRule seed ? seed.check(views) : rule.check(declared));
    }
    return List.copyOf(findings);
  }
}
