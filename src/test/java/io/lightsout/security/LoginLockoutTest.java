package io.lightsout.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightsout.testing.ApiClient;
import io.lightsout.testing.FromAddress;
import io.lightsout.testing.LogCapture;
import io.lightsout.testing.PostgresIntegrationTest;
import io.lightsout.testing.TestUsers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Groups;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Wrong passwords never lock out the holder of the right one (issue 10): failed log-ins are throttled per
 * client address instead. Each test plays its attackers from loopback addresses of its own (127.0.0.x).
 */
public class LoginLockoutTest extends PostgresIntegrationTest {

  public static final String WRONG = "wrong-guess-Zq81";
  public static final String RESET_PASSWORD = "ada-new-pw-Kx7";

  @Autowired
  ProcessEngine engine;

  @Autowired
  JdbcTemplate jdbc;

  @Test
  void twentyWrongPasswordsOnEveryLoginThenTheRightOneAnswers200() {
    TestUsers.ensure(identityService, "lena", Caller.OPERATORS);
    String right = TestUsers.passwordOf("lena");
    List<String> attackers = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5");
    // 5 per address stays under the throttle, so all 20 reach Camunda's password check
    for (String attacker : attackers) {
      FromAddress from = new FromAddress(attacker, port);
      for (int i = 0; i < 2; i++) {
        assertThat(from.get("/api/v1/me", FromAddress.basic("lena", WRONG + i)).status()).isEqualTo(401);
      }
      assertThat(from.get("/engine-rest/engine", FromAddress.basic("lena", WRONG)).status()).isEqualTo(401);
      for (int i = 0; i < 2; i++) {
        assertThat(webappLogin(from, "lena", WRONG).status()).isEqualTo(401);
      }
    }

    assertThat(as("lena", right).get("/api/v1/me").status()).isEqualTo(200);
    assertThat(as("lena", right).get("/engine-rest/engine").status()).isEqualTo(200);
    assertThat(webappLogin(new FromAddress("127.0.0.1", port), "lena", right).status()).isEqualTo(200);
  }

  @Test
  void aThrottledAddressGets429WithRetryAfterWhileAnotherGets200AtOnce() {
    TestUsers.ensure(identityService, "lars", Caller.OPERATORS);
    String right = TestUsers.passwordOf("lars");
    FromAddress attacker = new FromAddress("127.0.0.6", port);
    for (int i = 0; i < 20; i++) {
      int status = attacker.get("/api/v1/me", FromAddress.basic("lars", WRONG)).status();
      assertThat(status).as("attempt " + (i + 1)).isEqualTo(i < 10 ? 401 : 429);
    }

    FromAddress.Answer throttled = attacker.get("/api/v1/me", FromAddress.basic("lars", right));
    assertThat(throttled.status()).isEqualTo(429);
    assertThat(Integer.parseInt(throttled.header("Retry-After"))).isBetween(1, 60);
    assertThat(throttled.header("Content-Type")).startsWith("application/problem+json");
    assertThat(throttled.body()).contains("Too many failed log-ins from 127.0.0.6");
    assertThat(attacker.get("/engine-rest/engine", FromAddress.basic("lars", right)).status()).isEqualTo(429);
    assertThat(webappLogin(attacker, "lars", right).status()).isEqualTo(429);

    assertThat(new FromAddress("127.0.0.7", port).get("/api/v1/me", FromAddress.basic("lars", right)).status())
        .isEqualTo(200);
    assertThat(as("lars", right).get("/engine-rest/engine").status()).isEqualTo(200);
  }

  @Test
  void failuresAreLoggedOncePerAddressAndMinuteWithoutThePassword() {
    TestUsers.ensure(identityService, "lina", Caller.VIEWERS);
    List<String> lines;
    try (LogCapture logs = LogCapture.start()) {
      FromAddress attacker = new FromAddress("127.0.0.8", port);
      for (int i = 0; i < 8; i++) {
        attacker.get("/api/v1/me", FromAddress.basic("lina", WRONG));
        attacker.get("/engine-rest/engine", FromAddress.basic("lina", WRONG));
      }
      lines = logs.lines();
    }
    assertThat(lines.stream().filter(line -> line.contains("127.0.0.8"))).hasSize(1);
    assertThat(lines).noneMatch(line -> line.contains(WRONG) || line.contains("ENGINE-2700"));
  }

  @Test
  void theResetOptionGivesALockedAdministratorANewPassword() {
    TestUsers.ensure(identityService, "ada", Groups.CAMUNDA_ADMIN);
    // locked as Camunda's default settings lock a user for good after ten wrong passwords
    jdbc.update("UPDATE ACT_ID_USER SET ATTEMPTS_ = 10, LOCK_EXP_TIME_ = now() + interval '1 day' WHERE ID_ = 'ada'");
    assertThat(as("ada", TestUsers.passwordOf("ada")).get("/api/v1/me").status()).isEqualTo(401);

    ByteArrayOutputStream console = new ByteArrayOutputStream();
    new IdentityBootstrap(new AdminProperties("ada", RESET_PASSWORD, true), "jdbc:postgresql://test",
        new PrintStream(console, true, StandardCharsets.UTF_8)).postProcessEngineBuild(engine);

    ApiClient.Response me = as("ada", RESET_PASSWORD).get("/api/v1/me");
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().get("groups").toString()).contains(Groups.CAMUNDA_ADMIN, Caller.OPERATORS);
    assertThat(as("ada", TestUsers.passwordOf("ada")).get("/api/v1/me").status()).isEqualTo(401);
    assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain(RESET_PASSWORD);
  }

  /** The webapps' login form, as a browser sends it: session and CSRF token of a page first. */
  private FromAddress.Answer webappLogin(FromAddress from, String user, String password) {
    ApiClient.Response page = anonymous().get("/camunda/app/tasklist/default/");
    String cookies = String.join("; ", page.raw().headers().allValues("Set-Cookie").stream()
        .map(cookie -> cookie.substring(0, cookie.indexOf(';'))).toList());
    Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/x-www-form-urlencoded",
        "Cookie", cookies, "X-XSRF-TOKEN", page.header("X-XSRF-TOKEN")));
    return from.send("POST", "/camunda/api/admin/auth/user/default/login/tasklist", headers,
        "username=" + user + "&password=" + password);
  }
}
