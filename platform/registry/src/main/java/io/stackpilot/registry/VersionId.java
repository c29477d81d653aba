package io.stackpilot.registry;

/** Parses a version path segment: a positive number, or "latest" / -1. */
final class VersionId {

  static final int LATEST = -1;

  private VersionId() {}

  static int parse(String text) {
    if (text == null || text.equalsIgnoreCase("latest") || text.equals("-1")) {
      return LATEST;
    }
    try {
      int version = Integer.parseInt(text);
      if (version >= 1) {
        return version;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw RegistryError.INVALID_VERSION.exception(
        "The specified version '"
            + text
            + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the"
            + " string \"latest\"");
  }
}
