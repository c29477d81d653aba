package io.stackpilot.registry;

import io.stackpilot.registry.ApiResponses.Error;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every failure into Confluent's {"error_code", "message"} body; bad input is never a 5xx.
 */
@RestControllerAdvice
class ApiErrors {

  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);
  static final MediaType V1 = MediaType.parseMediaType(MediaTypes.V1);

  @ExceptionHandler(RegistryException.class)
  ResponseEntity<Error> registry(RegistryException e) {
    if (e.error().retriable()) {
      log.warn("store failure ({}): {}", e.error(), e.getMessage(), e.getCause());
    }
    return body(e.error(), e.getMessage());
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<Error> unreadable(HttpMessageNotReadableException e) {
    return body(
        RegistryError.MALFORMED_REQUEST,
        "Malformed request body: " + e.getMostSpecificCause().getMessage());
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<Error> typeMismatch(MethodArgumentTypeMismatchException e) {
    if ("id".equals(e.getName())) {
      return body(RegistryError.SCHEMA_NOT_FOUND, "Schema " + e.getValue() + " not found");
    }
    return body(
        RegistryError.MALFORMED_REQUEST, "Invalid value '" + e.getValue() + "' for " + e.getName());
  }

  @ExceptionHandler(ServletRequestBindingException.class)
  ResponseEntity<Error> binding(ServletRequestBindingException e) {
    return body(RegistryError.MALFORMED_REQUEST, e.getMessage());
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<Error> method(HttpRequestMethodNotSupportedException e) {
    return body(RegistryError.METHOD_NOT_ALLOWED, e.getMessage());
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<Error> mediaType(HttpMediaTypeNotSupportedException e) {
    return body(RegistryError.UNSUPPORTED_MEDIA_TYPE, e.getMessage());
  }

  @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
  ResponseEntity<Error> notAcceptable(HttpMediaTypeNotAcceptableException e) {
    return body(
        RegistryError.NOT_ACCEPTABLE,
        "Acceptable types: " + MediaTypes.V1 + ", " + MediaTypes.GENERIC + ", " + MediaTypes.JSON);
  }

  @ExceptionHandler({NoHandlerFoundException.class, NoResourceFoundException.class})
  ResponseEntity<Error> notFound(Exception e) {
    return body(RegistryError.NOT_FOUND, "HTTP 404 Not Found");
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Error> unexpected(Exception e) {
    log.error("unexpected failure answering a request", e);
    return body(RegistryError.STORE_ERROR, "Internal error: " + e);
  }

  static ResponseEntity<Error> body(RegistryError error, String message) {
    // The content type is preset so the error is written whatever the client said it accepts.
    return ResponseEntity.status(error.status())
        .contentType(V1)
        .body(new Error(error.code(), message));
  }
}
