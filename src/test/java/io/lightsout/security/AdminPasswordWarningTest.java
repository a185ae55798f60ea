package io.lightsout.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightsout.testing.LogCapture;
import io.lightsout.testing.PostgresIntegrationTest;
import io.lightsout.testing.TestUsers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Groups;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 13 point 8: LIGHTSOUT_ADMIN_PASSWORD on a later start that is not the administrator's stored password
 * is one WARN line saying how to reset it; never the password, never a failed log-in counted against the user.
 * Each test is a later start: the bootstrap runs again on the engine where the administrator already exists.
 */
class AdminPasswordWarningTest extends PostgresIntegrationTest {

  private static final String OTHER_PASSWORD = "not-the-stored-pw-Rt4";

  @Autowired
  ProcessEngine engine;

  @Autowired
  JdbcTemplate jdbc;

  @Test
  void aDifferentPasswordOnALaterStartIsOneWarningWithTheWayToResetIt() {
    TestUsers.ensure(identityService, "greta", Groups.CAMUNDA_ADMIN);

    List<String> warnings = laterStart(new AdminProperties("greta", OTHER_PASSWORD, false));

    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).contains("LIGHTSOUT_ADMIN_PASSWORD differs from the stored password of administrator 'greta'")
        .contains("LIGHTSOUT_ADMIN_RESET_PASSWORD=true").doesNotContain(OTHER_PASSWORD);
    assertThat(as("greta", TestUsers.passwordOf("greta")).get("/api/v1/me").status()).isEqualTo(200);
    assertThat(as("greta", OTHER_PASSWORD).get("/api/v1/me").status()).isEqualTo(401);
  }

  @Test
  void theComparisonCountsNoFailedLogIn() {
    TestUsers.ensure(identityService, "gero", Groups.CAMUNDA_ADMIN);

    laterStart(new AdminProperties("gero", OTHER_PASSWORD, false));

    assertThat(jdbc.queryForObject("select coalesce(ATTEMPTS_, 0) from ACT_ID_USER where ID_ = ?", Integer.class, "gero"))
        .isZero();
    assertThat(jdbc.queryForObject("select count(*) from ACT_ID_USER where ID_ = ? and LOCK_EXP_TIME_ is not null",
        Integer.class, "gero")).isZero();
  }

  @Test
  void theStoredPasswordOrNoneSaysNothing() {
    TestUsers.ensure(identityService, "gisa", Groups.CAMUNDA_ADMIN);

    assertThat(laterStart(new AdminProperties("gisa", TestUsers.passwordOf("gisa"), false))).isEmpty();
    assertThat(laterStart(new AdminProperties("gisa", "", false))).isEmpty();
  }

  @Test
  void aPasswordForAUserThatDoesNotExistSaysItWasNotUsed() {
    List<String> warnings = laterStart(new AdminProperties("nobody-here", OTHER_PASSWORD, false));

    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).contains("there is no user 'nobody-here'").contains("LIGHTSOUT_ADMIN_RESET_PASSWORD=true")
        .doesNotContain(OTHER_PASSWORD);
    assertThat(identityService.createUserQuery().userId("nobody-here").count()).isZero();
  }

  /** The bootstrap of a start on this engine; its WARN lines (the console stays silent: nothing is generated). */
  private List<String> laterStart(AdminProperties admin) {
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    try (LogCapture log = LogCapture.start()) {
      new IdentityBootstrap(admin, "jdbc:postgresql://test", new PrintStream(console, true, StandardCharsets.UTF_8))
          .postProcessEngineBuild(engine);
      assertThat(console.toString(StandardCharsets.UTF_8)).isEmpty();
      return log.lines().stream().filter(line -> line.startsWith("WARN " + IdentityBootstrap.class.getName())).toList();
    }
  }
}
