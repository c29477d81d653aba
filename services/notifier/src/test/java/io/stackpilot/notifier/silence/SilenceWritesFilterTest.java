package io.stackpilot.notifier.silence;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Whoever can create a silence can mute pages: writes need the bearer token. */
class SilenceWritesFilterTest {

  @Test
  void writesNeedTheTokenReadsDoNot() throws Exception {
    SilenceWritesFilter filter = new SilenceWritesFilter("s3cret");

    assertThat(status(filter, "POST", "/api/v2/silences", null)).isEqualTo(401);
    assertThat(status(filter, "POST", "/api/v2/silences", "Bearer wrong")).isEqualTo(401);
    assertThat(status(filter, "DELETE", "/api/v2/silence/abc", "Bearer wrong")).isEqualTo(401);
    assertThat(status(filter, "POST", "/api/v2/silences", "Bearer s3cret")).isEqualTo(200);
    assertThat(status(filter, "DELETE", "/api/v2/silence/abc", "Bearer s3cret")).isEqualTo(200);
    assertThat(status(filter, "GET", "/api/v2/silences", null)).isEqualTo(200);
    assertThat(status(filter, "POST", "/api/routing/validate", null)).isEqualTo(200);
    // an encoded path reaches the same handler, so it needs the token as well
    assertThat(status(filter, "POST", "/api/v2/%73ilences", null)).isEqualTo(401);
    assertThat(status(filter, "DELETE", "/api/v2//silence/abc", null)).isEqualTo(401);
  }

  @Test
  void aNotifierWithoutATokenRefusesEveryWriteAndSaysWhy() throws Exception {
    SilenceWritesFilter filter = new SilenceWritesFilter("");
    MockHttpServletResponse response = response(filter, "POST", "/api/v2/silences", "Bearer x");

    assertThat(response.getStatus()).isEqualTo(401);
    assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
    assertThat(response.getContentAsString()).contains("stackpilot.notifier.api-token");
    assertThat(status(filter, "GET", "/api/v2/silences", null)).isEqualTo(200);
  }

  private static int status(SilenceWritesFilter filter, String method, String path, String auth)
      throws Exception {
    return response(filter, method, path, auth).getStatus();
  }

  private static MockHttpServletResponse response(
      SilenceWritesFilter filter, String method, String path, String auth) throws Exception {
    MockHttpServletRequest request = new MockHttpServletRequest(method, path);
    if (auth != null) {
      request.addHeader("Authorization", auth);
    }
    MockHttpServletResponse response = new MockHttpServletResponse();
    filter.doFilter(request, response, new MockFilterChain());
    return response;
  }
}
