package io.lightsout.power;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits of the power queue.
 *
 * @param maxQueuePerNode open requests a node may have before new ones get {@code 503}
 * @param maxQueueFleetWide open requests across the fleet before new ones get {@code 503}
 * @param retryAfter what {@code Retry-After} tells a client that hit a limit
 * @param maxAttempts BMC attempts (with backoff between them) before a request fails as unreachable
 * @param verifyDeadline how long a request may wait for the BMC to report the target state
 * @param verifyInterval pause between two read-backs while waiting for a slow transition
 */
@ConfigurationProperties("lightsout.power")
public record PowerProperties(
    Integer maxQueuePerNode,
    Integer maxQueueFleetWide,
    Duration retryAfter,
    Integer maxAttempts,
    Duration verifyDeadline,
    Duration verifyInterval) {

  public PowerProperties {
    maxQueuePerNode = maxQueuePerNode == null ? 32 : maxQueuePerNode;
    maxQueueFleetWide = maxQueueFleetWide == null ? 20_000 : maxQueueFleetWide;
    retryAfter = retryAfter == null ? Duration.ofSeconds(5) : retryAfter;
    maxAttempts = maxAttempts == null ? 4 : maxAttempts;
    verifyDeadline = verifyDeadline == null ? Duration.ofMinutes(5) : verifyDeadline;
    verifyInterval = verifyInterval == null ? Duration.ofSeconds(5) : verifyInterval;
  }
}
