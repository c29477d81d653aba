package io.stackpilot.notifier.channel;

/**
 * What one attempt to send gave.
 *
 * @param delivered the service accepted the notification
 * @param retryable a failure that a later attempt may not repeat (a timeout, 429, 5xx); false for a
 *     refusal (4xx other than 408 and 429) or a notification too large to ever be accepted
 * @param status the HTTP (or SMTP) status, null when nothing answered
 * @param detail why it failed, or what the service answered; never a credential
 * @param receipt an id the service gave back to follow the notification (Pushover's emergency
 *     receipt), or null
 */
public record SendOutcome(
    boolean delivered, boolean retryable, Integer status, String detail, String receipt) {

  public static SendOutcome delivered(Integer status, String receipt) {
    return new SendOutcome(true, false, status, "delivered", receipt);
  }

  public static SendOutcome failed(boolean retryable, Integer status, String detail) {
    return new SendOutcome(false, retryable, status, detail, null);
  }
}
