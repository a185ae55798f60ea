package io.lightsout.security;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code lightsout.security.login-throttle.*}: failed log-ins an address may make per window before it waits. */
@ConfigurationProperties("lightsout.security.login-throttle")
public record LoginThrottleProperties(Integer maxFailures, Duration window) {

  public LoginThrottleProperties {
    maxFailures = maxFailures == null ? 10 : maxFailures;
    window = window == null ? Duration.ofMinutes(1) : window;
  }
}
