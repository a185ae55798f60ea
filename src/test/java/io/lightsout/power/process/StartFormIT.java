package io.lightsout.power.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.AppProcess;
import io.lightsout.testing.BrowserScript;
import io.lightsout.testing.TestDatabase;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The power-change start form in a real browser: an operator starts a power change from Camunda Tasklist in Debian's
 * Chromium, driven by Playwright ({@code src/test/browser/start-form.mjs}); the request is then checked over
 * {@code /api/v1}: it exists, asked by the operator, and succeeds on the {@code sim} driver. The script's screenshot
 * of the form is kept in {@code target/start-form.png}. Fails, never skips, when node, npm or Chromium is missing.
 */
class StartFormIT {

  private static final String ADMIN_PASSWORD = "start-form-Admin-7";
  private static final String OPERATOR = "admin";
  private static final Path SCREENSHOT = Path.of("target", "start-form.png").toAbsolutePath();
  private static final Path SCRIPT_LOG = Path.of("target", "start-form-browser.log").toAbsolutePath();

  @TempDir
  Path workDir;

  @BeforeEach
  void setUp() {
    BrowserScript.requireTools("StartFormIT");
  }

  @Test
  void anOperatorStartsAPowerChangeFromTasklist() throws Exception {
    Map<String, String> env = Map.of(
        "LIGHTSOUT_DB_URL", TestDatabase.createSeparate(),
        "LIGHTSOUT_DB_USER", TestDatabase.USER,
        "LIGHTSOUT_DB_PASSWORD", TestDatabase.PASSWORD,
        "LIGHTSOUT_ADMIN_PASSWORD", ADMIN_PASSWORD);
    String[] args = {"--lightsout.instance-id=start-form-test", "--lightsout.monitor.enabled=false",
        "--lightsout.secrets.key-file=" + workDir.resolve("secret.key"),
        // the test database server is shared: a small pool is enough for one request
        "--spring.datasource.hikari.maximum-pool-size=6"};
    try (AppProcess app = AppProcess.start(workDir, env, args).awaitHealthy(Duration.ofSeconds(180))) {
      ApiClient admin = app.as("admin", ADMIN_PASSWORD);
      ApiClient.Response created = admin.post("/api/v1/nodes", Map.of("id", "rack1-node07", "bmc", Map.of(
          "driver", "sim", "host", "sim-rack1", "port", 7, "username", "admin", "password", "x")));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);

      JsonNode result = runBrowser(app.baseUrl(), "rack1-node07", "cycle");

      JsonNode variables = result.get("submitted").get("variables");
      assertThat(variables.get("nodeId").get("value").asText()).isEqualTo("rack1-node07");
      assertThat(variables.get("action").get("value").asText()).isEqualTo("cycle");
      assertThat(variables.get("ifBusy").get("value").asText()).as("the form's default").isEqualTo("queue");
      assertThat(variables.get("startedIn").get("value").asText()).isEqualTo("tasklist");
      String requestId = result.get("started").get("businessKey").asText();
      JsonNode request = BrowserScript.await("request " + requestId + " succeeded", () -> {
        ApiClient.Response answer = admin.get("/api/v1/power-requests/" + requestId);
        return answer.status() == 200 && answer.json().get("status").asText().equals("succeeded") ? answer.json() : null;
      });
      assertThat(request.get("nodeId").asText()).isEqualTo("rack1-node07");
      assertThat(request.get("action").asText()).isEqualTo("cycle");
      assertThat(request.get("requestedBy").asText()).isEqualTo(OPERATOR);
      assertThat(request.get("reason").asText()).isEqualTo("started from Tasklist");
      assertThat(request.get("processInstanceId").asText()).isEqualTo(result.get("started").get("id").asText());

      BufferedImage image = ImageIO.read(SCREENSHOT.toFile());
      assertThat(image).as("screenshot " + SCREENSHOT).isNotNull();
      app.stop();
    }
  }

  /** Runs the Playwright script and returns its RESULT line; fails with its output if it fails. */
  private JsonNode runBrowser(String baseUrl, String nodeId, String action) throws IOException, InterruptedException {
    Files.deleteIfExists(SCREENSHOT);
    return BrowserScript.run("start-form.mjs", Map.of("LIGHTSOUT_URL", baseUrl, "LIGHTSOUT_USER", OPERATOR,
        "LIGHTSOUT_PASSWORD", ADMIN_PASSWORD, "NODE_ID", nodeId, "ACTION", action, "SCREENSHOT", SCREENSHOT.toString()),
        workDir, SCRIPT_LOG);
  }
}
