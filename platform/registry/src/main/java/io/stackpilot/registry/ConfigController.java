package io.stackpilot.registry;

import io.stackpilot.registry.ApiResponses.CompatibilityLevelAnswer;
import io.stackpilot.registry.ApiResponses.CompatibilityUpdate;
import io.stackpilot.registry.ApiResponses.Mode;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Compatibility configuration, global and per subject. As in Confluent, GET answers {@code
 * compatibilityLevel} while PUT answers {@code compatibility}.
 */
@RestController
class ConfigController {

  private static final Logger log = LoggerFactory.getLogger(ConfigController.class);
  private final RegistryService registry;

  ConfigController(RegistryService registry) {
    this.registry = registry;
  }

  @GetMapping(
      path = "/config",
      produces = {MediaTypes.V1, MediaTypes.GENERIC, MediaTypes.JSON})
  CompatibilityLevelAnswer global() {
    return new CompatibilityLevelAnswer(registry.globalLevel().name());
  }

  @PutMapping(
      path = "/config",
      produces = {MediaTypes.V1, MediaTypes.GENERIC, MediaTypes.JSON})
  CompatibilityUpdate setGlobal(@RequestBody(required = false) byte[] body) {
    String level =
        registry.setGlobalLevel(RequestBodies.compatibility(SubjectsController.utf8(body))).name();
    log.info("global compatibility set to {}", level);
    return new CompatibilityUpdate(level);
  }

  @DeleteMapping(
      path = "/config",
      produces = {MediaTypes.V1, MediaTypes.GENERIC, MediaTypes.JSON})
  CompatibilityLevelAnswer resetGlobal() {
    return new CompatibilityLevelAnswer(registry.resetGlobalLevel().name());
  }

  @GetMapping(
      path = "/config/{subject}",
      produces = {MediaTypes.V1, MediaTypes.GENERIC, MediaTypes.JSON})
  CompatibilityLevelAnswer subject(
      @PathVariable String subject, @RequestParam(defaultValue = "false") boolean defaultToGlobal) {
    return new CompatibilityLevelAnswer(registry.subjectLevel(subject, defaultToGlobal).name());
  }

  @PutMapping(
      path = "/config/{subject}",
      produces = {MediaTypes.V1, MediaTypes.GENERIC, MediaTypes.JSON})
  CompatibilityUpdate setSubject(
      @PathVariable String subject, @RequestBody(required = false) byte[] body) {
    String level =
        registry
            .setSubjectLevel(subject, RequestBodies.compatibility(SubjectsController.utf8(body)))
            .name();
    log.info("compatibility of subject {} set to {}", subject, level);
    return new CompatibilityUpdate(level);
  }

  @DeleteMapping(
      path = "/config/{subject}",
      produces = {MediaTypes.V1, MediaTypes.GENERIC, MediaTypes.JSON})
  CompatibilityLevelAnswer deleteSubject(@PathVariable String subject) {
    return new CompatibilityLevelAnswer(registry.deleteSubjectLevel(subject).name());
  }

  @GetMapping(
      path = "/mode",
      produces = {MediaTypes.V1, MediaTypes.GENERIC, MediaTypes.JSON})
  Mode mode() {
    return new Mode("READWRITE"); // IMPORT/READONLY modes are not supported
  }

  @GetMapping(
      path = "/",
      produces = {MediaTypes.V1, MediaTypes.GENERIC, MediaTypes.JSON})
  Map<String, Object> root() {
    return Map.of(); // Confluent answers {} here; some health checks probe it
  }
}
