package io.lightsout.evacuation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How evacuations run.
 *
 * @param maxParallel    instances of one evacuation rebuilt at once
 * @param maxAttempts    rebuild attempts (with backoff between them) before an operator decides on the instance
 * @param verifyTimeout  how long a rebuild may take to show the instance settled on its target
 * @param verifyInterval pause between two reads of an instance's placement while its rebuild is under way
 */
@ConfigurationProperties("lightsout.evacuation")
public record EvacuationProperties(Integer maxParallel, Integer maxAttempts, Duration verifyTimeout,
                                   Duration verifyInterval) {

  public EvacuationProperties {
    maxParallel = maxParallel == null ? 8 : maxParallel;
    maxAttempts = maxAttempts == null ? 4 : maxAttempts;
    verifyTimeout = verifyTimeout == null ? Duration.ofMinutes(10) : verifyTimeout;
    verifyInterval = verifyInterval == null ? Duration.ofSeconds(2) : verifyInterval;
    if (maxParallel < 1) {
      throw new IllegalArgumentException("lightsout.evacuation.max-parallel must be at least 1, not " + maxParallel);
    }
  }
}
