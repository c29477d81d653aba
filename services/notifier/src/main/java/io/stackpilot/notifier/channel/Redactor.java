package io.stackpilot.notifier.channel;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Masks credentials in anything a channel reports (outcome details, exception messages, logs):
 * every secret value used by the attempt, and URL parts that commonly carry tokens.
 */
final class Redactor {

  static final String MASK = "<redacted>";

  /** Query parameters that carry credentials (ntfy's {@code auth}, Pushover's {@code token}). */
  private static final Pattern TOKEN_QUERY =
      Pattern.compile(
          "(?i)([?&](?:auth|token|access_token|api_key|apikey|key|secret|password|user)=)[^&\\s\"']*");

  private static final Pattern USER_INFO = Pattern.compile("(?i)(https?://)[^/@\\s\"']+@");

  private final List<String> secrets = new ArrayList<>();

  /** Masks this value wherever it appears from now on (short values are masked too). */
  Redactor secret(String value) {
    if (value != null && !value.isEmpty()) {
      secrets.add(value);
      secrets.sort(Comparator.comparingInt(String::length).reversed());
    }
    return this;
  }

  /**
   * Masks a URL that is itself a credential (read from a secret): the whole of it, and its path and
   * query alone, since a service may echo either without the host.
   */
  Redactor secretUrl(String url) {
    secret(url);
    try {
      URI uri = URI.create(url);
      if (uri.getRawPath() != null && uri.getRawPath().length() > 1) {
        secret(uri.getRawPath());
      }
      secret(uri.getRawQuery());
    } catch (IllegalArgumentException e) {
      // not a URL: the whole string is masked already
    }
    return this;
  }

  String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, MASK);
    }
    out = TOKEN_QUERY.matcher(out).replaceAll("$1" + MASK);
    return USER_INFO.matcher(out).replaceAll("$1" + MASK + "@");
  }

  /** A URL as it may be shown: scheme, host and port only when its path is a secret (Slack). */
  static String origin(URI uri) {
    String port = uri.getPort() == -1 ? "" : ":" + uri.getPort();
    return uri.getScheme() + "://" + uri.getHost() + port + "/" + MASK;
  }
}
