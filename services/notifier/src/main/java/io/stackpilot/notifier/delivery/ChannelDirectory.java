package io.stackpilot.notifier.delivery;

import io.stackpilot.notifier.channel.Channel;
import io.stackpilot.notifier.routing.RoutingConfig;
import java.util.List;

/** The channels of a receiver of a routing configuration (none: the receiver sends nothing). */
@FunctionalInterface
public interface ChannelDirectory {
  List<Channel> channels(RoutingConfig config, String receiver);
}
