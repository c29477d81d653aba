package io.stackpilot.serde;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A registry base URL split into what goes on the wire and what may be shown: credentials in the
 * URL's user-info become a Basic authorization header and never appear in {@link #display()}.
 */
record RegistryEndpoint(URI base, String display, String authorization) {

  static RegistryEndpoint parse(String url, String userInfoOverride) {
    String trimmed = url.trim();
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "invalid schema registry URL " + redact(trimmed) + ": " + e.getReason());
    }
    if (uri.getScheme() == null
        || uri.getHost() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
      throw new IllegalArgumentException(
          "invalid schema registry URL " + redact(trimmed) + ": expected http(s)://host[:port]");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    String hostPort = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    String clean = uri.getScheme() + "://" + hostPort + path;
    String userInfo = userInfoOverride;
    if ((userInfo == null || userInfo.isBlank()) && uri.getRawUserInfo() != null) {
      userInfo = URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
    }
    String authorization =
        userInfo == null || userInfo.isBlank()
            ? null
            : "Basic "
                + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    return new RegistryEndpoint(URI.create(clean), clean, authorization);
  }

  /** Hides user-info in a URL that may not even parse, so it can go into an error message. */
  static String redact(String url) {
    return url.replaceAll("//[^/@?#]*@", "//***@");
  }

  URI resolve(String path) {
    return URI.create(display + path);
  }

  @Override
  public String toString() {
    // Records print all fields; the authorization header must never reach a log line.
    return display;
  }
}
