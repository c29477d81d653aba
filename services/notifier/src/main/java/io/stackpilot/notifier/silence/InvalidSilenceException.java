package io.stackpilot.notifier.silence;

/** A silence request that cannot be accepted, naming the offending field (an HTTP 400). */
public final class InvalidSilenceException extends RuntimeException {
  private final String field;

  public InvalidSilenceException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
