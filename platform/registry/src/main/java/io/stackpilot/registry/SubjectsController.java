package io.stackpilot.registry;

import io.stackpilot.registry.ApiResponses.RegisteredId;
import io.stackpilot.registry.ApiResponses.SubjectVersionSchema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The /subjects resources: register, look up, list and soft-delete subject versions. */
@RestController
@RequestMapping(
    path = "/subjects",
    produces = {MediaTypes.V1, MediaTypes.GENERIC, MediaTypes.JSON})
class SubjectsController {

  private static final Logger log = LoggerFactory.getLogger(SubjectsController.class);
  private final RegistryService registry;

  SubjectsController(RegistryService registry) {
    this.registry = registry;
  }

  @GetMapping
  List<String> subjects(@RequestParam(defaultValue = "false") boolean deleted) {
    return registry.subjects(deleted);
  }

  @PostMapping("/{subject}/versions")
  RegisteredId register(@PathVariable String subject, @RequestBody(required = false) byte[] body) {
    int id = registry.register(subject, RequestBodies.schema(utf8(body)));
    log.debug("register subject={} id={}", subject, id);
    return new RegisteredId(id);
  }

  @PostMapping("/{subject}")
  SubjectVersionSchema lookup(
      @PathVariable String subject,
      @RequestParam(defaultValue = "false") boolean deleted,
      @RequestBody(required = false) byte[] body) {
    return SubjectVersionSchema.of(
        registry.lookup(subject, RequestBodies.schema(utf8(body)), deleted));
  }

  @GetMapping("/{subject}/versions")
  List<Integer> versions(
      @PathVariable String subject, @RequestParam(defaultValue = "false") boolean deleted) {
    return registry.versions(subject, deleted);
  }

  @GetMapping("/{subject}/versions/{version}")
  SubjectVersionSchema version(
      @PathVariable String subject,
      @PathVariable String version,
      @RequestParam(defaultValue = "false") boolean deleted) {
    return SubjectVersionSchema.of(registry.version(subject, version, deleted));
  }

  @GetMapping("/{subject}/versions/{version}/schema")
  String rawSchema(
      @PathVariable String subject,
      @PathVariable String version,
      @RequestParam(defaultValue = "false") boolean deleted) {
    return registry.version(subject, version, deleted).schema();
  }

  @GetMapping("/{subject}/versions/{version}/referencedby")
  List<Integer> referencedBy(@PathVariable String subject, @PathVariable String version) {
    registry.version(subject, version, false);
    return List.of(); // schema references are not supported, so nothing refers to anything
  }

  @DeleteMapping("/{subject}")
  List<Integer> deleteSubject(
      @PathVariable String subject, @RequestParam(defaultValue = "false") boolean permanent) {
    List<Integer> deleted = registry.deleteSubject(subject, permanent);
    log.info("soft-deleted subject {} versions {}", subject, deleted);
    return deleted;
  }

  @DeleteMapping("/{subject}/versions/{version}")
  int deleteVersion(
      @PathVariable String subject,
      @PathVariable String version,
      @RequestParam(defaultValue = "false") boolean permanent) {
    int deleted = registry.deleteVersion(subject, version, permanent);
    log.info("soft-deleted subject {} version {}", subject, deleted);
    return deleted;
  }

  static String utf8(byte[] body) {
    return body == null ? null : new String(body, StandardCharsets.UTF_8);
  }
}
