package io.lightsout.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightsout.testing.ApiClient;
import io.lightsout.testing.PostgresIntegrationTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class AuthenticationTest extends PostgresIntegrationTest {

  @Autowired
  DataSource dataSource;

  @ParameterizedTest
  @ValueSource(strings = {"/engine-rest/engine", "/engine-rest/process-definition", "/engine-rest/task",
      "/api/v1/me", "/api/v1/nodes"})
  void anonymousCallsAreRefusedWith401(String path) {
    ApiClient.Response answer = anonymous().get(path);

    assertThat(answer.status()).as(answer.toString()).isEqualTo(401);
    assertThat(answer.header("WWW-Authenticate")).startsWith("Basic");
  }

  @Test
  void apiRefusalIsProblemJsonWithAReason() {
    ApiClient.Response answer = anonymous().get("/api/v1/me");

    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    assertThat(answer.json().get("detail").asText()).contains("HTTP Basic");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/engine-rest/engine", "/api/v1/me"})
  void wrongPasswordIsRefusedWith401(String path) {
    asMemberOf("wendy", Caller.OPERATORS);
    assertThat(as("wendy", "not-the-password").get(path).status()).isEqualTo(401);
    assertThat(as("nobody", "whatever").get(path).status()).isEqualTo(401);
  }

  @Test
  void adminWorksOnBothApis() {
    assertThat(asAdmin().get("/engine-rest/engine").status()).isEqualTo(200);
    assertThat(asAdmin().get("/engine-rest/process-definition").status()).isEqualTo(200);
    ApiClient.Response me = asAdmin().get("/api/v1/me");
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().get("userId").asText()).isEqualTo(ADMIN);
    assertThat(me.json().get("mayAct").asBoolean()).isTrue();
  }

  @Test
  void adminMayManageUsersOverEngineRest() {
    ApiClient.Response created = asAdmin().post("/engine-rest/user/create",
        Map.of("profile", Map.of("id", "olga"), "credentials", Map.of("password", "olga-pw-123")));

    assertThat(created.status()).as(created.toString()).isEqualTo(204);
    assertThat(identityService.createUserQuery().userId("olga").count()).isEqualTo(1);
    identityService.deleteUser("olga");
  }

  @Test
  void operatorsAndViewersGroupsExistAfterStart() {
    assertThat(identityService.createGroupQuery().groupIdIn(Caller.OPERATORS, Caller.VIEWERS).count()).isEqualTo(2);
  }

  @Test
  void viewerMayReadButGets403OnWrites() {
    ApiClient viewer = asMemberOf("vera", Caller.VIEWERS);

    assertThat(viewer.get("/api/v1/me").json().get("mayAct").asBoolean()).isFalse();
    assertThat(viewer.get("/engine-rest/process-definition").status()).isEqualTo(200);

    ApiClient.Response apiWrite = viewer.post("/api/v1/nodes", Map.of("id", "n1"));
    assertThat(apiWrite.status()).as(apiWrite.toString()).isEqualTo(403);
    assertThat(apiWrite.header("Content-Type")).startsWith("application/problem+json");
    assertThat(apiWrite.json().get("detail").asText()).contains("operators");

    ApiClient.Response engineWrite = viewer.post("/engine-rest/user/create",
        Map.of("profile", Map.of("id", "mallory"), "credentials", Map.of("password", "x")));
    assertThat(engineWrite.status()).as(engineWrite.toString()).isEqualTo(403);
    assertThat(identityService.createUserQuery().userId("mallory").count()).isZero();
  }

  @Test
  void userWithoutGroupMayNotEvenRead() {
    asMemberOf("nora", Caller.VIEWERS);
    identityService.deleteMembership("nora", Caller.VIEWERS);

    assertThat(as("nora", io.lightsout.testing.TestUsers.passwordOf("nora")).get("/api/v1/me").status())
        .isEqualTo(403);
  }

  @Test
  void adminPasswordIsStoredOnlyAsAHash() throws Exception {
    try (Connection connection = dataSource.getConnection();
         Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("select PWD_, SALT_ from ACT_ID_USER where ID_ = 'admin'")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString("PWD_")).doesNotContain(ADMIN_PASSWORD).startsWith("{SHA-512}");
      assertThat(rows.getString("SALT_")).isNotBlank();
    }
  }

  @Test
  void webappLoginWorks() {
    WebappSession session = WebappSession.open(anonymous());

    ApiClient.Response login = session.login(ADMIN, ADMIN_PASSWORD, session.token());

    assertThat(login.status()).as(login.toString()).isEqualTo(200);
    assertThat(login.json().get("userId").asText()).isEqualTo(ADMIN);
  }

  @Test
  void webappKeepsCsrfProtection() {
    WebappSession session = WebappSession.open(anonymous());

    assertThat(session.login(ADMIN, ADMIN_PASSWORD, null).status()).isEqualTo(403);
    assertThat(session.login(ADMIN, ADMIN_PASSWORD, "forged-token").status()).isEqualTo(403);
  }

  /** A browser's view of the webapps: session and CSRF cookies from the first page, then the login form. */
  private record WebappSession(ApiClient client, String cookies, String token) {

    static WebappSession open(ApiClient client) {
      ApiClient.Response page = client.get("/camunda/app/tasklist/default/");
      assertThat(page.status()).isEqualTo(200);
      String cookies = String.join("; ", page.raw().headers().allValues("Set-Cookie").stream()
          .map(cookie -> cookie.substring(0, cookie.indexOf(';'))).toList());
      return new WebappSession(client, cookies, page.header("X-XSRF-TOKEN"));
    }

    ApiClient.Response login(String user, String password, String csrfToken) {
      Map<String, String> headers = new java.util.HashMap<>(
          Map.of("Content-Type", "application/x-www-form-urlencoded", "Cookie", cookies));
      if (csrfToken != null) {
        headers.put("X-XSRF-TOKEN", csrfToken);
      }
      return client.send("POST", "/camunda/api/admin/auth/user/default/login/cockpit",
          "username=" + user + "&password=" + password, headers);
    }
  }
}
