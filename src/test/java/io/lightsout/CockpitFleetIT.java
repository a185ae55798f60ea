package io.lightsout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightsout.bmc.PowerState;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.AppEnvironment;
import io.lightsout.testing.AppProcess;
import io.lightsout.testing.BmcSimulatorFleet;
import io.lightsout.testing.BrowserScript;
import io.lightsout.testing.PowerRequestWaits;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lights-Out plugins of Camunda Cockpit in a real browser ({@code src/test/browser/cockpit-fleet.mjs} in Debian's
 * Chromium): an operator holds a node by hand and asks it to power on; Cockpit's Fleet dashboard shows the node held
 * with its reason and the fleet's power states, links the waiting request to its process instance, and that
 * instance's "Power request" tab shows node, action and status. The webapps are branded Lights-Out without Camunda's
 * banner, and the Cockpit session reads {@code /api/v1} but cannot write. The held node's BMC gets no command until
 * the node is resumed over the API. Screenshots go to {@code docs/fleet-dashboard.png} and
 * {@code docs/power-request-tab.png} (the README shows them). Fails, never skips, when node, npm or Chromium is missing.
 */
class CockpitFleetIT {

  private static final String ADMIN_PASSWORD = "cockpit-fleet-Admin-7";
  private static final String HELD = "rack1-node07";
  private static final String RUNNING = "rack1-node08";
  private static final String HOLD_REASON = "cabling work in rack 1";
  private static final Path DASHBOARD = Path.of("docs", "fleet-dashboard.png").toAbsolutePath();
  private static final Path TAB = Path.of("docs", "power-request-tab.png").toAbsolutePath();
  private static final Path SCRIPT_LOG = Path.of("target", "cockpit-fleet-browser.log").toAbsolutePath();

  @TempDir
  Path workDir;

  @Test
  void cockpitShowsTheHeldNodeAndThePowerRequestOfAnInstance() throws Exception {
    BrowserScript.requireTools("CockpitFleetIT");
    Map<String, String> env = AppEnvironment.onFreshDatabase(ADMIN_PASSWORD);
    String[] args = {"--lightsout.instance-id=cockpit-fleet-test", "--lightsout.bmc.min-command-interval=0",
        "--lightsout.monitor.enabled=false", "--lightsout.secrets.key-file=" + workDir.resolve("secret.key"),
        "--spring.datasource.hikari.maximum-pool-size=6"};
    try (BmcSimulatorFleet fleet = BmcSimulatorFleet.start(2);
        AppProcess app = AppProcess.start(workDir, env, args).awaitHealthy(Duration.ofSeconds(180))) {
      ApiClient admin = app.as("admin", ADMIN_PASSWORD);
      List<String> nodes = List.of(HELD, RUNNING);
      for (int i = 0; i < nodes.size(); i++) {
        fleet.setPower(i, false);
        ApiClient.Response created = admin.post("/api/v1/nodes", Map.of("id", nodes.get(i), "bmc", Map.of("driver",
            "ipmi", "host", fleet.host(), "port", fleet.port(i), "username", "admin", "password", fleet.password())));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
      }
      // power states known: the held node observed off, the other one on
      assertThat(awaitFinal(admin, submit(admin, HELD, "off")).get("status").asText()).isEqualTo("succeeded");
      assertThat(awaitFinal(admin, submit(admin, RUNNING, "on")).get("status").asText()).isEqualTo("succeeded");

      ApiClient.Response held = admin.post("/api/v1/nodes/" + HELD + "/hold", Map.of("reason", HOLD_REASON));
      assertThat(held.status()).as(held.toString()).isEqualTo(200);
      String waiting = submit(admin, HELD, "on");
      JsonNode request = BrowserScript.await("the waiting request's process instance", () -> {
        JsonNode answer = admin.get("/api/v1/power-requests/" + waiting).json();
        return answer.hasNonNull("processInstanceId") ? answer : null;
      });
      List<String> commandsBefore = fleet.commands(0);

      JsonNode result = runBrowser(app.baseUrl(), request.get("processInstanceId").asText());

      assertThat(result.get("pageErrors")).as("no script error in Cockpit").isEmpty();
      assertThat(result.get("title").asText()).startsWith("Lights-Out Cockpit");
      assertThat(result.get("banners").asInt()).as("visible 'migrate to Camunda 8' banners").isZero();
      for (String webapp : List.of("Tasklist", "Admin", "Welcome")) {
        JsonNode branded = result.get("apps").get(webapp.toLowerCase(Locale.ROOT));
        assertThat(branded.get("title").asText()).startsWith("Lights-Out " + webapp);
        assertThat(branded.get("banners").asInt()).as("visible banners in " + webapp).isZero();
        assertThat(branded.get("brand").asText()).as("the header's name in " + webapp).isEqualTo("Lights-Out " + webapp);
        JsonNode logo = branded.get("logo");
        assertThat(logo.get("image").asText()).as("the mark before the name in " + webapp).contains("lightsout-logo.svg");
        assertThat(logo.get("status").asInt()).as(logo.toString()).isEqualTo(200);
        assertThat(logo.get("type").asText()).as(logo.toString()).startsWith("image/svg+xml");
      }
      JsonNode tiles = result.get("tiles");
      assertThat(tiles.get("nodes").asInt()).isEqualTo(2);
      assertThat(tiles.get("on").asInt()).isEqualTo(1);
      assertThat(tiles.get("off").asInt()).isEqualTo(1);
      assertThat(tiles.get("held").asInt()).isEqualTo(1);
      assertThat(tiles.get("running requests").asInt()).isZero();
      assertThat(tiles.get("waiting requests").asInt()).isEqualTo(1);
      assertThat(result.get("heldRows")).hasSize(1);
      assertThat(result.get("heldRows").get(0).asText()).startsWith(HELD).contains("held by admin: " + HOLD_REASON);
      assertThat(result.get("queueRows")).hasSize(1);
      assertThat(result.get("queueRows").get(0).asText()).startsWith(HELD + " off (held) 1");
      assertThat(result.get("linkText").asText()).startsWith("on (admin, ");
      assertThat(result.get("writeWithSession").asInt()).as("a write with the Cockpit session alone").isEqualTo(401);

      JsonNode fields = result.get("fields");
      assertThat(fields.get("Node").asText()).isEqualTo(HELD);
      assertThat(fields.get("Action").asText()).isEqualTo("on");
      assertThat(fields.get("Request id").asText()).isEqualTo(waiting);
      assertThat(fields.get("Requested by").asText()).isEqualTo("admin");
      assertThat(fields.get("Reason").asText()).isEqualTo("cockpit fleet test");
      assertThat(fields.get("Status").asText()).as("it waits behind the hold").isEqualTo("held")
          .isEqualTo(admin.get("/api/v1/power-requests/" + waiting).json().get("status").asText());
      assertThat(fields.get("Position in queue").asText()).startsWith(request.get("position").asText() + " (");
      assertThat(fields.get("Node held").asText()).startsWith("held by admin: " + HOLD_REASON + " (since ");
      assertThat(result.get("queueOfNode")).hasSize(1);
      assertThat(result.get("queueOfNode").get(0).asText()).contains("on (this one)");

      // Nothing the browser did changed the fleet: still held, and the held node's BMC got no command.
      assertThat(admin.get("/api/v1/nodes/" + HELD).json().get("hold").get("reason").asText()).contains(HOLD_REASON);
      assertThat(fleet.commands(0)).isEqualTo(commandsBefore);
      // The request the tab showed is the real one: resumed, it powers that BMC on.
      assertThat(admin.post("/api/v1/nodes/" + HELD + "/resume", Map.of()).status()).isEqualTo(200);
      assertThat(awaitFinal(admin, waiting).get("status").asText()).isEqualTo("succeeded");
      assertThat(fleet.powerState(0)).isEqualTo(PowerState.ON);

      for (Path screenshot : List.of(DASHBOARD, TAB)) {
        BufferedImage image = ImageIO.read(screenshot.toFile());
        assertThat(image).as("screenshot " + screenshot).isNotNull();
        assertThat(image.getWidth()).isGreaterThanOrEqualTo(1280);
      }
      app.stop();
    }
  }

  private static String submit(ApiClient admin, String node, String action) {
    ApiClient.Response answer = admin.post("/api/v1/nodes/" + node + "/power-requests",
        Map.of("action", action, "reason", "cockpit fleet test"));
    assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
    return answer.json().get("id").asText();
  }

  private static JsonNode awaitFinal(ApiClient admin, String id) {
    return PowerRequestWaits.awaitFinal(admin, id, Duration.ofSeconds(60));
  }

  /** Runs the Playwright script and returns its RESULT line; fails with its output if it fails. */
  private JsonNode runBrowser(String baseUrl, String processInstanceId) throws IOException, InterruptedException {
    Files.deleteIfExists(DASHBOARD);
    Files.deleteIfExists(TAB);
    return BrowserScript.run("cockpit-fleet.mjs", Map.of("LIGHTSOUT_URL", baseUrl, "LIGHTSOUT_USER", "admin",
        "LIGHTSOUT_PASSWORD", ADMIN_PASSWORD, "HELD_NODE", HELD, "PROCESS_INSTANCE_ID", processInstanceId,
        "DASHBOARD_SCREENSHOT", DASHBOARD.toString(), "TAB_SCREENSHOT", TAB.toString()), workDir, SCRIPT_LOG);
  }
}
