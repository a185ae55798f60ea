package io.lightsout.testing;

import io.lightsout.LightsOutApplication;
import org.camunda.bpm.engine.IdentityService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Lights-Out as deployed: the whole application on PostgreSQL behind a real HTTP port, with
 * bounds shortened so that fault paths finish in seconds. Every subclass shares this one
 * configuration, hence one application context and one engine: keep test-specific settings out
 * of subclasses.
 */
@SpringBootTest(classes = LightsOutApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "lightsout.bmc.ipmi.timeout=1s",
        "lightsout.bmc.redfish.timeout=1s",
        "lightsout.bmc.min-command-interval=50ms",
        "lightsout.power.max-attempts=2",
        "lightsout.power.verify-interval=1s",
        "lightsout.power.max-queue-per-node=32",
        "lightsout.callbacks.allowed-hosts=127.0.0.1",
        "lightsout.callbacks.poll-interval=200ms",
        "lightsout.monitor.enabled=false",
        "lightsout.evacuation.max-attempts=2",
        "lightsout.evacuation.verify-interval=PT0.2S",
        "camunda.bpm.job-execution.wait-time-in-millis=200",
        "camunda.bpm.job-execution.max-wait=1000",
        // Spring Boot tests switch metrics export off; the access matrix checks who may read /actuator/prometheus
        "management.prometheus.metrics.export.enabled=true"
    })
public abstract class PostgresIntegrationTest {

  public static final String ADMIN = "admin";
  public static final String ADMIN_PASSWORD = "test-admin-secret-7Qx";

  @LocalServerPort
  protected int port;

  @Autowired
  protected IdentityService identityService;

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", TestDatabase::url);
    registry.add("spring.datasource.username", () -> TestDatabase.USER);
    registry.add("spring.datasource.password", () -> TestDatabase.PASSWORD);
    registry.add("lightsout.admin.password", () -> ADMIN_PASSWORD);
    registry.add("lightsout.secrets.key-file", () -> "target/test-data/secret.key");
    registry.add("lightsout.compute.inventory.rebuild-webhook", () -> RebuildReceiver.shared().url());
  }

  protected ApiClient as(String user, String password) {
    return new ApiClient("http://127.0.0.1:" + port, user, password);
  }

  protected ApiClient asAdmin() {
    return as(ADMIN, ADMIN_PASSWORD);
  }

  protected ApiClient anonymous() {
    return new ApiClient("http://127.0.0.1:" + port, null, null);
  }

  /** A user in the given group (created once), with the password {@code user + "-pw"}. */
  protected ApiClient asMemberOf(String user, String group) {
    TestUsers.ensure(identityService, user, group);
    return as(user, TestUsers.passwordOf(user));
  }
}
