package io.lightsout.bmc.redfish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightsout.bmc.PowerState;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.Evacuations;
import io.lightsout.testing.RebuildReceiver;
import io.lightsout.testing.PostgresIntegrationTest;
import io.lightsout.testing.RedfishSimulatorFleet;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Nodes with driver {@code redfish} through the whole product: registered over the REST API, driven by the queue
 * (power-change process) against the Redfish simulator over HTTPS, held and resumed like ipmi nodes.
 */
class RedfishNodesTest extends PostgresIntegrationTest {

  private static final AtomicInteger NEXT_BMC = new AtomicInteger();
  private static RedfishSimulatorFleet fleet;

  @Autowired
  private RedfishDriver driver;

  @BeforeAll
  static void startFleet() {
    fleet = RedfishSimulatorFleet.start(4);
  }

  /** The sessions the driver keeps for the next operation are deleted now, as at their idle time. */
  @AfterEach
  void closeKeptSessions() {
    driver.closeIdleSessions();
  }

  @AfterAll
  static void stopFleet() {
    fleet.close();
  }

  private record Bmc(String nodeId, int index) {}

  /** A node registered over the API on a simulated Redfish BMC of its own, trusting the simulator's certificate. */
  private Bmc node(String name, boolean on, String password) {
    return node(name, on, password, true);
  }

  /** Without {@code check}, for settings the BMC refuses: the registration's check would answer 422. */
  private Bmc node(String name, boolean on, String password, boolean check) {
    int bmc = NEXT_BMC.getAndIncrement();
    fleet.setPower(bmc, on);
    String id = "rf-" + name + "-" + System.nanoTime() % 100000;
    Map<String, Object> settings = new HashMap<>(Map.of("driver", "redfish", "host", fleet.host(),
        "port", fleet.port(bmc), "username", RedfishSimulatorFleet.USER, "password", password,
        "options", Map.of("caCertificate", fleet.certificatePem())));
    ApiClient.Response created = asAdmin().post("/api/v1/nodes?check=" + check, Map.of("id", id, "bmc", settings));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.body()).doesNotContain(password);
    assertThat(created.json().get("bmc").get("driver").asText()).isEqualTo("redfish");
    return new Bmc(id, bmc);
  }

  private String request(Bmc node, String action) {
    ApiClient.Response accepted = asAdmin().post("/api/v1/nodes/" + node.nodeId() + "/power-requests",
        Map.of("action", action));
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    return accepted.json().get("id").asText();
  }

  @Test
  void aCycleRequestedOverTheApiIsForceOffThenOnAndSucceeds() {
    Bmc node = node("cycle", true, RedfishSimulatorFleet.PASSWORD);

    JsonNode done = asAdmin().awaitRequest(request(node, "cycle"), "succeeded", "failed");

    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
    assertThat(fleet.resets(node.index())).containsExactly("ForceOff 204", "On 204");
    assertThat(fleet.powerState(node.index())).isEqualTo(PowerState.ON);
    driver.closeIdleSessions();
    assertThat(fleet.sessions(node.index()).open()).isZero();
    assertThat(fleet.sessions(node.index()).max()).isEqualTo(1);
    JsonNode view = asAdmin().get("/api/v1/nodes/" + node.nodeId()).json();
    assertThat(view.get("powerState").asText()).isEqualTo("on");
    assertThat(view.toString()).doesNotContain(RedfishSimulatorFleet.PASSWORD);
  }

  @Test
  void anEvacuationFencesARedfishHostWithForceOffBeforeAnyRebuild() {
    Bmc node = node("fence", true, RedfishSimulatorFleet.PASSWORD);
    String host = node.nodeId() + "-host";
    assertThat(asAdmin().post("/api/v1/hosts", Map.of("id", host, "node", node.nodeId(), "capacity", 0)).status())
        .isEqualTo(201);
    String spareNode = "rf-spare-" + System.nanoTime() % 100000;
    assertThat(asAdmin().post("/api/v1/nodes", Map.of("id", spareNode, "bmc", Map.of("driver", "sim",
        "host", "sim-" + spareNode, "username", "admin", "password", "sim-pw"))).status()).isEqualTo(201);
    assertThat(asAdmin().post("/api/v1/hosts", Map.of("id", spareNode + "-host", "node", spareNode, "capacity", 2))
        .status()).isEqualTo(201);
    assertThat(asAdmin().post("/api/v1/instances", Map.of("id", host + "-vm", "host", host)).status()).isEqualTo(201);

    String id = asAdmin().post("/api/v1/hosts/" + host + "/evacuations", Map.of()).json().get("id").asText();
    JsonNode done = Evacuations.awaitStatus(asAdmin(), id, "succeeded", Duration.ofSeconds(60));

    assertThat(fleet.resets(node.index())).containsExactly("ForceOff 204");
    assertThat(fleet.powerState(node.index())).isEqualTo(PowerState.OFF);
    driver.closeIdleSessions();
    assertThat(fleet.sessions(node.index()).open()).isZero();
    assertThat(done.get("fencing").get("by").asText()).isEqualTo("bmc");
    assertThat(RebuildReceiver.shared().callsOf(id)).hasSize(1);
    assertThat(asAdmin().get("/api/v1/nodes/" + node.nodeId()).json().get("hold").get("kind").asText())
        .isEqualTo("evacuation");
  }

  @Test
  void aWrongPasswordFailsTheRequestAtOnceWithoutTheSecretAndSendsNothing() {
    Bmc node = node("badpw", false, "not-the-" + RedfishSimulatorFleet.PASSWORD, false);

    JsonNode done = asAdmin().awaitRequest(request(node, "on"), "succeeded", "failed");

    assertThat(done.get("status").asText()).isEqualTo("failed");
    assertThat(done.get("result").asText()).contains("rejected the credentials of user 'admin'");
    assertThat(done.toString()).doesNotContain("not-the-" + RedfishSimulatorFleet.PASSWORD);
    assertThat(fleet.resets(node.index())).isEmpty();
    assertThat(fleet.log(node.index())).containsOnly("session-create - 401");
  }

  @Test
  void aFrozenBmcFailsTheRequestHoldsTheNodeAndResumeRunsWhatWaits() {
    Bmc node = node("frozen", false, RedfishSimulatorFleet.PASSWORD);
    fleet.fault(node.index(), "frozen", true);
    String running = request(node, "on");
    String next = request(node, "cycle");

    JsonNode failed = asAdmin().awaitRequest(running, "failed", "succeeded");

    assertThat(failed.get("status").asText()).isEqualTo("failed");
    assertThat(failed.get("result").asText()).contains(fleet.host() + ":" + fleet.port(node.index()))
        .contains("did not answer within 1 s");
    JsonNode view = asAdmin().get("/api/v1/nodes/" + node.nodeId()).json();
    assertThat(view.get("hold").get("kind").asText()).isEqualTo("bmc-unreachable");
    JsonNode waiting = asAdmin().get("/api/v1/power-requests/" + next).json();
    assertThat(waiting.get("status").asText()).isEqualTo("held");
    assertThat(waiting.get("hold").get("kind").asText()).isEqualTo("bmc-unreachable");
    assertThat(fleet.resets(node.index())).isEmpty();

    fleet.normal(node.index());
    assertThat(asAdmin().post("/api/v1/nodes/" + node.nodeId() + "/resume", Map.of()).status()).isEqualTo(200);
    assertThat(asAdmin().awaitRequest(next, "succeeded", "failed").get("status").asText()).isEqualTo("succeeded");
    assertThat(fleet.resets(node.index())).containsExactly("On 204");
    assertThat(fleet.powerState(node.index())).isEqualTo(PowerState.ON);
  }
}
