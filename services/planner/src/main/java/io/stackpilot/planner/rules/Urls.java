package io.stackpilot.planner.rules;

/**
 * Host and path of URLs as written in values, tolerant of missing schemes ({@code tempo:4317}) and
 * of placeholders that {@link java.net.URI} would refuse.
 */
final class Urls {
  private Urls() {}

  static String host(String url) {
    if (url == null) {
      return "";
    }
    String rest = url.contains("://") ? url.substring(url.indexOf("://") + 3) : url;
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    authority = authority.substring(authority.lastIndexOf('@') + 1);
    int colon = authority.indexOf(':');
    return (colon < 0 ? authority : authority.substring(0, colon)).toLowerCase();
  }

  /** The host's first DNS label: the Service name for in-cluster URLs. */
  static String firstLabel(String url) {
    String host = host(url);
    int dot = host.indexOf('.');
    return dot < 0 ? host : host.substring(0, dot);
  }

  /** The path, without query; "" when there is none. */
  static String path(String url) {
    if (url == null) {
      return "";
    }
    String rest = url.contains("://") ? url.substring(url.indexOf("://") + 3) : url;
    int slash = rest.indexOf('/');
    if (slash < 0) {
      return "";
    }
    String path = rest.substring(slash);
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  /** Whether the URL carries a password in its user info ({@code https://user:pass@host}). */
  static boolean hasPassword(String url) {
    if (url == null || !url.contains("://")) {
      return false;
    }
    String rest = url.substring(url.indexOf("://") + 3);
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    int at = authority.lastIndexOf('@');
    return at > 0 && authority.substring(0, at).contains(":");
  }
}
