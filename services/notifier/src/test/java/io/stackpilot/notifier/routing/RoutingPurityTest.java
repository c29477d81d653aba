package io.stackpilot.notifier.routing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Routing stays a pure library: no Spring, Kafka, HTTP or the notifier's delivery code. */
class RoutingPurityTest {

  @Test
  void routingImportsNoSpringKafkaHttpOrDelivery() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.stackpilot.notifier.routing");
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "org.apache.kafka..",
            "java.net..",
            "io.stackpilot.runtime..",
            "io.stackpilot.contract..")
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("io.stackpilot.notifier")
        .because("routing decisions are pure functions over labels and a clock")
        .check(classes);
  }
}
