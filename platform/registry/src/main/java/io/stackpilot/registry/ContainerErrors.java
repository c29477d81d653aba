package io.stackpilot.registry;

import io.stackpilot.registry.ApiResponses.Error;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors raised before Spring MVC sees the request (e.g. Tomcat refusing an encoded slash) still
 * get Confluent's error JSON rather than Boot's default body.
 */
@RestController
class ContainerErrors implements ErrorController {

  @RequestMapping("${server.error.path:/error}")
  ResponseEntity<Error> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    HttpStatus status =
        code instanceof Integer i && HttpStatus.resolve(i) != null
            ? HttpStatus.valueOf(i)
            : HttpStatus.INTERNAL_SERVER_ERROR;
    Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
    String text =
        message == null || message.toString().isBlank()
            ? "HTTP " + status.value() + " " + status.getReasonPhrase()
            : message.toString();
    return ResponseEntity.status(status)
        .contentType(ApiErrors.V1)
        .body(new Error(status.value(), text));
  }
}
