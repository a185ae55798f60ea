package io.lightsout.outage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.AppProcess;
import io.lightsout.testing.BmcSimulatorFleet;
import io.lightsout.testing.BrowserScript;
import io.lightsout.testing.TestDatabase;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue-review form in a real browser: a BMC stops answering, its node is held and a review opens; an operator
 * (group operators) decides it in Camunda Tasklist in Debian's Chromium, driven by Playwright
 * ({@code src/test/browser/review-form.mjs}): cancels one queued request, resumes the rest. The outcome is checked
 * over REST and on the BMC. The script's screenshot of the form is kept in {@code target/review-form.png}.
 * Fails, never skips, when node, npm or Chromium is missing.
 */
class ReviewFormIT {

  private static final String ADMIN_PASSWORD = "review-form-Admin-7";
  /** The first admin is in group operators too; Lights-Out's admins may not create users over /engine-rest. */
  private static final String OPERATOR = "admin";
  private static final String OPERATOR_PASSWORD = ADMIN_PASSWORD;
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final Path BROWSER_DIR = Path.of("src", "test", "browser").toAbsolutePath();
  private static final Path SCREENSHOT = Path.of("target", "review-form.png").toAbsolutePath();
  private static final Path SCRIPT_LOG = Path.of("target", "review-form-browser.log").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path workDir;

  private BmcSimulatorFleet fleet;

  @BeforeEach
  void setUp() {
    BrowserScript.requireTools("ReviewFormIT");
    fleet = BmcSimulatorFleet.start(2);
  }

  @AfterEach
  void tearDown() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void anOperatorCancelsOneRequestInTasklistAndTheRestResumes() throws Exception {
    Map<String, String> env = Map.of(
        "LIGHTSOUT_DB_URL", TestDatabase.createSeparate(),
        "LIGHTSOUT_DB_USER", TestDatabase.USER,
        "LIGHTSOUT_DB_PASSWORD", TestDatabase.PASSWORD,
        "LIGHTSOUT_ADMIN_PASSWORD", ADMIN_PASSWORD);
    String[] args = {"--lightsout.instance-id=review-form-test", "--lightsout.bmc.ipmi.timeout=1s",
        "--lightsout.bmc.min-command-interval=0", "--lightsout.power.max-attempts=2",
        "--lightsout.monitor.enabled=false", "--lightsout.secrets.key-file=" + workDir.resolve("secret.key")};
    try (AppProcess app = AppProcess.start(workDir, env, args).awaitHealthy(Duration.ofSeconds(180))) {
      ApiClient admin = app.as("admin", ADMIN_PASSWORD);
      for (int i = 0; i < 2; i++) {
        fleet.setPower(i, false);
        ApiClient.Response created = admin.post("/api/v1/nodes", Map.of("id", "rf-" + i, "bmc", Map.of("driver", "ipmi",
            "host", fleet.host(), "port", fleet.port(i), "username", "admin", "password", fleet.password())));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
      }

      // A first request that reaches the BMC: the node's power state before the hold is known ("before off").
      String reachable = submit(admin, "rf-0", "off");
      assertThat(awaitFinal(admin, reachable).get("status").asText()).isEqualTo("succeeded");

      // BMC 0 stops answering: its first request fails as unreachable, the node is held with two requests waiting.
      fleet.freeze(0);
      List<String> ids = new ArrayList<>();
      for (String action : List.of("on", "off", "on")) {
        ids.add(submit(admin, "rf-0", action));
      }
      String control = submit(admin, "rf-1", "on");
      JsonNode first = awaitFinal(admin, ids.get(0));
      assertThat(first.get("status").asText()).as(first.toString()).isEqualTo("failed");
      JsonNode task = await("a queue-review task", () -> {
        JsonNode tasks = admin.get("/engine-rest/task?processDefinitionKey=queue-review").json();
        return tasks.size() == 1 ? tasks.get(0) : null;
      });
      assertThat(task.get("name").asText()).as("Tasklist's list names the held node").isEqualTo("Review held queues: rf-0");
      assertThat(admin.get("/api/v1/nodes/rf-0").json().get("hold").get("kind").asText()).isEqualTo("bmc-unreachable");
      assertThat(awaitFinal(admin, control).get("status").asText()).as("the other node is not held").isEqualTo("succeeded");
      JsonNode variables = admin.get("/engine-rest/task/" + task.get("id").asText()
          + "/variables?deserializeValues=false").json();
      String reviewId = variables.get("reviewId").get("value").asText();
      for (String id : ids.subList(1, 3)) {
        assertThat(admin.get("/api/v1/power-requests/" + id).json().get("status").asText()).isEqualTo("held");
        assertThat(variables.get("requestOptions").get("value").asText()).contains(id);
      }
      assertThat(variables.get("requestOptions").get("value").asText()).as("the form says how they wait, as the API does")
          .contains("(held)").doesNotContain("(queued");

      fleet.thaw(0);
      Thread.sleep(2000); // what the frozen BMC had queued is processed now, before the baseline is taken
      List<String> commandsBefore = fleet.commands(0);
      Thread.sleep(3000);
      assertThat(fleet.commands(0)).as("nothing reaches a held node's BMC").isEqualTo(commandsBefore);

      String cancel = ids.get(1);
      String resume = ids.get(2);
      JsonNode result = runBrowser(app.baseUrl(), cancel);

      // What the browser saw and what Tasklist sent: the checklist options from the Json variables, arrays back.
      assertThat(result.get("shownRequests")).hasSize(2);
      assertThat(result.get("shownNodes")).hasSize(1);
      // what the machine is now is not known: its BMC has not answered since the hold
      assertThat(result.get("summary").asText()).contains("Node rf-0: before off (observed ")
          .contains("now unknown (not read since the hold at ").contains("2 request(s) waiting");
      JsonNode submitted = result.get("submitted").get("variables");
      assertThat(submitted.get("decision").get("value").asText()).isEqualTo("per-request");
      assertThat(submitted.get("cancelRequests").get("type").asText()).isEqualTo("Json");
      assertThat(JSON.readTree(submitted.get("cancelRequests").get("value").asText()))
          .isEqualTo(JSON.createArrayNode().add(cancel));
      assertThat(JSON.readTree(submitted.get("cancelNodes").get("value").asText())).isEmpty();

      JsonNode cancelled = awaitFinal(admin, cancel);
      assertThat(cancelled.get("status").asText()).as(cancelled.toString()).isEqualTo("cancelled");
      assertThat(cancelled.get("result").asText()).contains(OPERATOR + " in review " + reviewId);
      JsonNode resumed = awaitFinal(admin, resume);
      assertThat(resumed.get("status").asText()).as(resumed.toString()).isEqualTo("succeeded");

      List<String> commandsAfter = fleet.commands(0);
      assertThat(commandsAfter.subList(0, commandsBefore.size())).isEqualTo(commandsBefore);
      assertThat(commandsAfter.subList(commandsBefore.size(), commandsAfter.size()))
          .as("only the resumed 'on' reached the BMC, never the cancelled 'off'").containsExactly("set power 1");
      assertThat(fleet.powerState(0)).isEqualTo(io.lightsout.bmc.PowerState.ON);

      await("rf-0 no longer held", () -> admin.get("/api/v1/nodes/rf-0").json().get("hold").isNull() ? true : null);
      assertThat(admin.get("/engine-rest/task?processDefinitionKey=queue-review").json()).isEmpty();
      JsonNode decidedBy = admin.get("/engine-rest/history/variable-instance?variableName=decidedBy").json();
      assertThat(decidedBy).hasSize(1);
      assertThat(decidedBy.get(0).get("value").asText()).isEqualTo(OPERATOR);

      BufferedImage image = ImageIO.read(SCREENSHOT.toFile());
      assertThat(image).as("screenshot " + SCREENSHOT).isNotNull();
      assertThat(image.getWidth()).isGreaterThanOrEqualTo(1280); // the script checked that the whole form is in it
      app.stop();
    }
  }

  private static String submit(ApiClient admin, String node, String action) {
    ApiClient.Response answer = admin.post("/api/v1/nodes/" + node + "/power-requests",
        Map.of("action", action, "reason", "review form test"));
    assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
    return answer.json().get("id").asText();
  }

  /** Runs the Playwright script and returns its RESULT line; fails with its output if it fails. */
  private JsonNode runBrowser(String baseUrl, String cancelRequestId) throws IOException, InterruptedException {
    Files.deleteIfExists(SCREENSHOT);
    return BrowserScript.run("review-form.mjs", Map.of("LIGHTSOUT_URL", baseUrl, "LIGHTSOUT_USER", OPERATOR,
        "LIGHTSOUT_PASSWORD", OPERATOR_PASSWORD, "CANCEL_REQUEST_ID", cancelRequestId, "SCREENSHOT", SCREENSHOT.toString()),
        workDir, SCRIPT_LOG);
  }

  private static JsonNode awaitFinal(ApiClient admin, String id) {
    return await("request " + id + " final", () -> {
      JsonNode request = admin.get("/api/v1/power-requests/" + id).json();
      return List.of("succeeded", "failed", "cancelled", "merged", "superseded").contains(request.get("status").asText())
          ? request : null;
    });
  }

  private static <T> T await(String what, Supplier<T> probe) {
    return BrowserScript.await(what, probe);
  }
}
