package io.stackpilot.planner.api;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** An audit read whose brokers do not answer is a 503 to retry, not a 500. */
class AuditUnavailableTest {

  @Test
  void brokersThatDoNotAnswerGiveA503WithRetryAfter() throws Exception {
    // nothing listens on port 1: the metadata request times out
    AuditController audit =
        new AuditController("127.0.0.1:1", "http://127.0.0.1:1", Duration.ofSeconds(1));
    MockMvc mvc =
        MockMvcBuilders.standaloneSetup(audit).setControllerAdvice(new ApiErrors()).build();

    mvc.perform(get("/api/v1/audit").param("cluster", "foundation"))
        .andExpect(status().isServiceUnavailable())
        .andExpect(header().string("Retry-After", "10"))
        .andExpect(jsonPath("$.title").value("the event log cannot be read now"))
        .andExpect(jsonPath("$.detail").value(containsString("Timeout")));
  }
}
