package io.stackpilot.registry;

import io.stackpilot.registry.ApiResponses.SchemaString;
import io.stackpilot.registry.ApiResponses.SubjectVersion;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The /schemas resources: schemas by global id, and where each id is used. */
@RestController
@RequestMapping(
    path = "/schemas",
    produces = {MediaTypes.V1, MediaTypes.GENERIC, MediaTypes.JSON})
class SchemasController {

  private final RegistryService registry;

  SchemasController(RegistryService registry) {
    this.registry = registry;
  }

  @GetMapping("/ids/{id}")
  SchemaString byId(@PathVariable int id) {
    return new SchemaString(registry.schemaById(id));
  }

  @GetMapping("/ids/{id}/schema")
  String rawById(@PathVariable int id) {
    return registry.schemaById(id);
  }

  @GetMapping("/ids/{id}/versions")
  List<SubjectVersion> versions(
      @PathVariable int id, @RequestParam(defaultValue = "false") boolean deleted) {
    return registry.usages(id, deleted).stream()
        .map(v -> new SubjectVersion(v.subject(), v.version()))
        .toList();
  }

  @GetMapping("/ids/{id}/subjects")
  List<String> subjects(
      @PathVariable int id, @RequestParam(defaultValue = "false") boolean deleted) {
    return registry.usages(id, deleted).stream().map(SchemaVersion::subject).distinct().toList();
  }

  @GetMapping("/types")
  List<String> types() {
    return List.of("AVRO");
  }
}
