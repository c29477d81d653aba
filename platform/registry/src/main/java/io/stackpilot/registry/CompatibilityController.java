package io.stackpilot.registry;

import io.stackpilot.registry.ApiResponses.CompatibilityAnswer;
import java.util.List;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Tests a candidate schema without registering it. As in Confluent, {@code messages} is only
 * included with {@code ?verbose=true}.
 */
@RestController
@RequestMapping(
    path = "/compatibility/subjects/{subject}",
    produces = {MediaTypes.V1, MediaTypes.GENERIC, MediaTypes.JSON})
class CompatibilityController {

  private final RegistryService registry;

  CompatibilityController(RegistryService registry) {
    this.registry = registry;
  }

  @PostMapping("/versions/{version}")
  CompatibilityAnswer againstVersion(
      @PathVariable String subject,
      @PathVariable String version,
      @RequestParam(defaultValue = "false") boolean verbose,
      @RequestBody(required = false) byte[] body) {
    return answer(
        registry.compatibility(
            subject, version, RequestBodies.schema(SubjectsController.utf8(body))),
        verbose);
  }

  @PostMapping("/versions")
  CompatibilityAnswer againstLevel(
      @PathVariable String subject,
      @RequestParam(defaultValue = "false") boolean verbose,
      @RequestBody(required = false) byte[] body) {
    return answer(
        registry.compatibility(subject, null, RequestBodies.schema(SubjectsController.utf8(body))),
        verbose);
  }

  private static CompatibilityAnswer answer(List<String> messages, boolean verbose) {
    return new CompatibilityAnswer(messages.isEmpty(), verbose ? messages : null);
  }
}
