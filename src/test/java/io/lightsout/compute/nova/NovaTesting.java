package io.lightsout.compute.nova;

import io.lightsout.testing.NovaKeystoneServer;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/** Settings of the nova driver for a {@link NovaKeystoneServer}, and a password no other text contains. */
final class NovaTesting {

  /** Unique per run, so that finding it in a message or a log line can only mean it leaked. */
  static final String PASSWORD = "pw-" + UUID.randomUUID();

  private NovaTesting() {
  }

  static NovaDriver driver(NovaProperties properties) {
    return new NovaDriver(properties, Clock.systemUTC());
  }

  static NovaProperties properties(NovaKeystoneServer cloud) {
    NovaProperties properties = new NovaProperties();
    properties.setAuthUrl(cloud.authUrl());
    properties.setUsername(NovaKeystoneServer.USER);
    properties.setPassword(PASSWORD);
    properties.setUserDomain(NovaKeystoneServer.USER_DOMAIN);
    properties.setProject(NovaKeystoneServer.PROJECT);
    properties.setProjectDomain(NovaKeystoneServer.PROJECT_DOMAIN);
    properties.setRequestTimeout(Duration.ofSeconds(5));
    return properties;
  }
}
