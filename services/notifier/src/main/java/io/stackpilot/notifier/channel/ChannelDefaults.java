package io.stackpilot.notifier.channel;

import java.time.Duration;

/**
 * What channels share unless an entry says otherwise.
 *
 * @param timeout how long one attempt may wait for an answer (an entry's {@code timeout} wins)
 * @param externalUrl the link templates show as {@code .ExternalURL} and the webhook payload's
 *     {@code externalURL}, e.g. the console's alert page; may be empty
 */
public record ChannelDefaults(Duration timeout, String externalUrl) {

  public ChannelDefaults {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    externalUrl = externalUrl == null ? "" : externalUrl;
  }

  /** Ten seconds per attempt, no external URL. */
  public static ChannelDefaults standard() {
    return new ChannelDefaults(Duration.ofSeconds(10), "");
  }
}
