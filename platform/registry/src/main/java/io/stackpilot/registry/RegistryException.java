package io.stackpilot.registry;

/** A request the registry refuses or cannot complete, answered as Confluent's error JSON. */
class RegistryException extends RuntimeException {

  private final RegistryError error;

  RegistryException(RegistryError error, String message, Throwable cause) {
    super(message, cause);
    this.error = error;
  }

  public RegistryError error() {
    return error;
  }
}
