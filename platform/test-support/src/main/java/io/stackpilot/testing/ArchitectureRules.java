package io.stackpilot.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;

/**
 * The architecture rules every service's tests check: services never import each other, and the
 * pure decision packages (spec, plan, render, routing, slo) never import Spring or Kafka.
 */
public final class ArchitectureRules {
  static final List<String> SERVICES = List.of("planner", "applier", "verifier", "notifier");

  private ArchitectureRules() {}

  public static void assertServiceIsolated(String service) {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.stackpilot." + service);
    String[] others =
        SERVICES.stream()
            .filter(s -> !s.equals(service))
            .map(s -> "io.stackpilot." + s + "..")
            .toArray(String[]::new);
    noClasses()
        .that()
        .resideInAPackage("io.stackpilot." + service + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(others)
        .because("services talk only through Kafka topics")
        .check(classes);
    noClasses()
        .that()
        .resideInAnyPackage("..spec..", "..plan..", "..render..", "..routing..", "..slo..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework..", "org.apache.kafka..")
        .because("decisions are pure functions, tested without Kafka or Spring")
        .allowEmptyShould(true)
        .check(classes);
  }
}
