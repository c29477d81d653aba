package io.stackpilot.registry;

import org.springframework.http.HttpStatus;

/**
 * Every error the API answers, with Confluent's HTTP status and error code, and whether a retry can
 * help.
 */
enum RegistryError {
  SUBJECT_NOT_FOUND(HttpStatus.NOT_FOUND, 40401, false),
  VERSION_NOT_FOUND(HttpStatus.NOT_FOUND, 40402, false),
  SCHEMA_NOT_FOUND(HttpStatus.NOT_FOUND, 40403, false),
  SUBJECT_SOFT_DELETED(HttpStatus.NOT_FOUND, 40404, false),
  VERSION_SOFT_DELETED(HttpStatus.NOT_FOUND, 40406, false),
  SUBJECT_CONFIG_NOT_FOUND(HttpStatus.NOT_FOUND, 40408, false),
  NOT_FOUND(HttpStatus.NOT_FOUND, 404, false),
  METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, 405, false),
  NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, 406, false),
  INCOMPATIBLE_SCHEMA(HttpStatus.CONFLICT, 409, false),
  UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 415, false),
  MALFORMED_REQUEST(HttpStatus.BAD_REQUEST, 400, false),
  INVALID_SCHEMA(HttpStatus.UNPROCESSABLE_ENTITY, 42201, false),
  INVALID_VERSION(HttpStatus.UNPROCESSABLE_ENTITY, 42202, false),
  INVALID_COMPATIBILITY_LEVEL(HttpStatus.UNPROCESSABLE_ENTITY, 42203, false),
  OPERATION_NOT_PERMITTED(HttpStatus.UNPROCESSABLE_ENTITY, 42205, false),
  STORE_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, 50001, true),
  STORE_TIMEOUT(HttpStatus.INTERNAL_SERVER_ERROR, 50002, true);

  private final HttpStatus status;
  private final int code;
  private final boolean retriable;

  RegistryError(HttpStatus status, int code, boolean retriable) {
    this.status = status;
    this.code = code;
    this.retriable = retriable;
  }

  public HttpStatus status() {
    return status;
  }

  public int code() {
    return code;
  }

  /** Whether the same request may succeed later (store trouble), as opposed to bad input. */
  public boolean retriable() {
    return retriable;
  }

  public RegistryException exception(String message) {
    return new RegistryException(this, message, null);
  }

  public RegistryException exception(String message, Throwable cause) {
    return new RegistryException(this, message, cause);
  }
}
