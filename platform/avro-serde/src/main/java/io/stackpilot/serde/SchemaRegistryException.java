package io.stackpilot.serde;

/** A failed call to a schema registry: the HTTP status and Confluent error code, or -1 for both. */
public class SchemaRegistryException extends RuntimeException {

  /** Used for both fields when no HTTP answer arrived (connection refused, timeout). */
  public static final int NO_RESPONSE = -1;

  private final int httpStatus;
  private final int errorCode;

  public SchemaRegistryException(int httpStatus, int errorCode, String message) {
    this(httpStatus, errorCode, message, null);
  }

  public SchemaRegistryException(int httpStatus, int errorCode, String message, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  /** The HTTP status of the answer, or {@link #NO_RESPONSE}. */
  public int httpStatus() {
    return httpStatus;
  }

  /** Confluent's {@code error_code} (e.g. 40403), the HTTP status if absent, or -1. */
  public int errorCode() {
    return errorCode;
  }
}
