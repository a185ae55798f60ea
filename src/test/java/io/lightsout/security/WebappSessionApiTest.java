package io.lightsout.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightsout.testing.ApiClient;
import io.lightsout.testing.LogCapture;
import io.lightsout.testing.PostgresIntegrationTest;
import io.lightsout.testing.TestUsers;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cockpit's Lights-Out plugins read {@code /api/v1} with the browser's webapp session: a logged-in reader may read,
 * nobody may write with the session alone (writes need HTTP Basic, so a forged cross-site request changes nothing),
 * and a browser is never sent a Basic challenge that would open a login dialog over Cockpit.
 */
class WebappSessionApiTest extends PostgresIntegrationTest {

  @Test
  void aCockpitSessionOfAViewerReadsTheApi() {
    ApiClient.Response nodes = anonymous().send("GET", "/api/v1/nodes", null, sessionOf("vera", Caller.VIEWERS));

    assertThat(nodes.status()).as(nodes.toString()).isEqualTo(200);
    assertThat(nodes.json().has("items")).isTrue();
    ApiClient.Response me = anonymous().send("GET", "/api/v1/me", null, sessionOf("vera", Caller.VIEWERS));
    assertThat(me.json().get("userId").asText()).isEqualTo("vera");
    assertThat(me.json().get("mayAct").asBoolean()).isFalse();
  }

  @Test
  void aCockpitSessionAloneCannotWriteEvenForAnOperator() {
    String node = "session-" + System.nanoTime();
    assertThat(asAdmin().post("/api/v1/nodes", Map.of("id", node, "bmc", Map.of("driver", "sim", "host", "sim-a",
        "username", "admin", "password", "x"))).status()).isEqualTo(201);
    Map<String, String> session = sessionOf("otto", Caller.OPERATORS);

    ApiClient.Response hold = anonymous().send("POST", "/api/v1/nodes/" + node + "/hold", Map.of(), session);

    assertThat(hold.status()).as(hold.toString()).isEqualTo(401);
    assertThat(hold.header("Content-Type")).startsWith("application/problem+json");
    assertThat(hold.header("WWW-Authenticate")).as("no Basic dialog over Cockpit").isNull();
    assertThat(asAdmin().get("/api/v1/nodes/" + node).json().get("hold").isNull()).as("not held").isTrue();
  }

  @Test
  void aSessionWithoutLoginReadsNothingAndGroupsAreReadAtEveryCall() {
    ApiClient.Response page = anonymous().get("/camunda/app/cockpit/default/");
    ApiClient.Response notLoggedIn = anonymous().send("GET", "/api/v1/nodes", null, Map.of("Cookie", cookies(page)));
    assertThat(notLoggedIn.status()).as(notLoggedIn.toString()).isEqualTo(401);

    Map<String, String> session = sessionOf("nina", Caller.VIEWERS);
    assertThat(anonymous().send("GET", "/api/v1/nodes", null, session).status()).isEqualTo(200);
    identityService.deleteMembership("nina", Caller.VIEWERS);
    ApiClient.Response afterLeaving = anonymous().send("GET", "/api/v1/nodes", null, session);
    assertThat(afterLeaving.status()).as(afterLeaving.toString()).isEqualTo(403);
  }

  @Test
  void theWebappsEngineApiAnswersATaskThatIsGoneWithA404AndNoWarning() {
    Map<String, String> session = sessionOf("wanda", Caller.OPERATORS);
    try (LogCapture logs = LogCapture.start()) {
      String task = "/camunda/api/engine/engine/default/task/gone-" + System.nanoTime();
      ApiClient.Response gone = anonymous().send("GET", task + "/variables", null, session);
      // Tasklist's call for the task's Camunda Form (the engine threw a NullPointerException: 500)
      ApiClient.Response form = anonymous().send("GET", task + "/deployed-form", null, session);

      assertThat(gone.status()).as(gone.toString()).isEqualTo(404);
      assertThat(gone.json().path("message").asText()).as(gone.toString()).contains("doesn't exist");
      assertThat(form.status()).as(form.toString()).isEqualTo(404);
      assertThat(form.json().path("message").asText()).as(form.toString()).contains("Cannot find the task");
      assertThat(logs.lines()).as("another operator's completed task is not worth a warning")
          .noneMatch(line -> line.startsWith("WARN org.camunda.bpm.engine.rest"));
    }
  }

  /** Logs {@code user} (made a member of {@code group}) in to Cockpit as a browser does; the session's headers. */
  private Map<String, String> sessionOf(String user, String group) {
    TestUsers.ensure(identityService, user, group);
    ApiClient.Response page = anonymous().get("/camunda/app/cockpit/default/");
    Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/x-www-form-urlencoded",
        "Cookie", cookies(page), "X-XSRF-TOKEN", page.header("X-XSRF-TOKEN")));
    ApiClient.Response login = anonymous().send("POST", "/camunda/api/admin/auth/user/default/login/cockpit",
        "username=" + user + "&password=" + TestUsers.passwordOf(user), headers);
    assertThat(login.status()).as(login.toString()).isEqualTo(200);
    // the login may start a new session (a new JSESSIONID): its cookies win over the page's
    Map<String, String> jar = new LinkedHashMap<>();
    for (ApiClient.Response answer : List.of(page, login)) {
      for (String cookie : answer.raw().headers().allValues("Set-Cookie")) {
        String pair = cookie.substring(0, cookie.indexOf(';'));
        jar.put(pair.substring(0, pair.indexOf('=')), pair);
      }
    }
    return Map.of("Cookie", String.join("; ", jar.values()));
  }

  private static String cookies(ApiClient.Response answer) {
    return String.join("; ", answer.raw().headers().allValues("Set-Cookie").stream()
        .map(cookie -> cookie.substring(0, cookie.indexOf(';'))).toList());
  }
}
