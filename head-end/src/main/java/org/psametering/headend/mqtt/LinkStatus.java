package org.psametering.headend.mqtt;

/**
 * The head-end's MQTT link as /health, the metrics and the logs report it. The head-end hears meters only when it is
 * both connected and subscribed; a connection without subscriptions (what a broker restart without persistence
 * leaves behind) is DOWN.
 *
 * @param reason            why the link is down (null when up)
 * @param sessionTakeovers  times the broker dropped us because another client connected with our client id
 * @param reconnects        successful connections after the first
 * @param outboxSize        publications waiting for the link
 * @param outboxDropped     publications dropped because the outbox was full
 */
public record LinkStatus(boolean connected, boolean subscribed, String reason, long sessionTakeovers, long reconnects,
                         int outboxSize, long outboxDropped) {
    public boolean up() {
        return connected && subscribed;
    }
}
