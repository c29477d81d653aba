package io.stackpilot.planner.spec;

import java.util.List;

/** ntfy's typed section (seed 000): its public base URL and the topics alerts are sent to. */
public record NtfySettings(String baseUrl, List<String> topics) {}
