package io.lightsout.power.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.BmcSimulatorFleet;
import io.lightsout.testing.PostgresIntegrationTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Batches of power requests against PostgreSQL and IPMI simulators: the BMCs' logs and the tables are the proof. */
class PowerBatchesTest extends PostgresIntegrationTest {

  private static final String BATCHES = "/api/v1/power-requests";
  private static final AtomicInteger NEXT_BMC = new AtomicInteger();
  private static BmcSimulatorFleet fleet;

  @Autowired
  JdbcTemplate jdbc;

  @BeforeAll
  static void startFleet() {
    fleet = BmcSimulatorFleet.start(12);
  }

  @AfterAll
  static void stopFleet() {
    fleet.close();
  }

  private record Sim(String id, int bmc) {}

  /** A node on a simulator of its own, powered off to begin with. */
  private Sim node(String name) {
    int bmc = NEXT_BMC.getAndIncrement();
    fleet.setPower(bmc, false);
    String id = "batch-" + name + "-" + System.nanoTime() % 100000;
    ApiClient.Response created = asAdmin().post("/api/v1/nodes", Map.of("id", id,
        "bmc", Map.of("driver", "ipmi", "host", fleet.host(), "port", fleet.port(bmc), "username", "admin",
            "password", fleet.password())));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return new Sim(id, bmc);
  }

  private static Map<String, Object> item(String nodeId, String action) {
    Map<String, Object> item = new HashMap<>();
    item.put("nodeId", nodeId);
    item.put("action", action);
    return item;
  }

  private static Map<String, Object> batch(List<Map<String, Object>> items) {
    return Map.of("items", items);
  }

  private int requestRows(String nodeId) {
    return jdbc.queryForObject("SELECT count(*) FROM lo_power_request WHERE node_id = ?", Integer.class, nodeId);
  }

  private static String requestId(JsonNode answer, int index) {
    return answer.get("items").get("items").get(index).get("request").get("id").asText();
  }

  @Test
  void oneBatchAnswersEachItemOnItsOwnAndOnlyTheAcceptedReachTheBmc() {
    Sim a = node("mixed");
    ApiClient.Response answer = asAdmin().post(BATCHES, batch(List.of(item(a.id(), "on"), item(a.id(), "on"),
        item("batch-no-such-node", "off"), item(a.id(), "explode"))));

    assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
    String batchId = answer.json().get("id").asText();
    assertThat(answer.header("Location")).isEqualTo("/api/v1/power-batches/" + batchId);
    JsonNode items = answer.json().get("items").get("items");
    assertThat(items.get(0).get("status").asInt()).isEqualTo(202);
    assertThat(items.get(0).get("request").get("requestedBy").asText()).isEqualTo(ADMIN);
    assertThat(items.get(1).get("status").asInt()).isEqualTo(202);
    assertThat(items.get(1).get("request").get("status").asText()).isEqualTo("merged");
    assertThat(items.get(1).get("request").get("mergedInto").asText()).isEqualTo(requestId(answer.json(), 0));
    assertThat(items.get(2).get("status").asInt()).isEqualTo(404);
    assertThat(items.get(2).get("problem").asText()).contains("batch-no-such-node");
    assertThat(items.get(3).get("status").asInt()).isEqualTo(400);
    assertThat(items.get(3).has("request")).isFalse();

    asAdmin().awaitRequest(requestId(answer.json(), 0), "succeeded");
    assertThat(fleet.commands(a.bmc())).containsExactly("set power 1");
    assertThat(requestRows(a.id())).isEqualTo(2);
    JsonNode summary = asAdmin().get("/api/v1/power-batches/" + batchId).json();
    assertThat(summary.get("total").asInt()).isEqualTo(4);
    assertThat(summary.get("counts").get("succeeded").asInt()).isEqualTo(1);
    assertThat(summary.get("counts").get("merged").asInt()).isEqualTo(1);
    assertThat(summary.get("counts").get("rejected").asInt()).isEqualTo(2);
    JsonNode page = asAdmin().get("/api/v1/power-batches/" + batchId + "?page=1&size=3").json().get("items");
    assertThat(page.get("items")).hasSize(1);
    assertThat(page.get("items").get(0).get("index").asInt()).isEqualTo(3);
    assertThat(page.get("total").asInt()).isEqualTo(4);
  }

  @Test
  void overTheLimitNothingIsAcceptedAndTheLimitIsSaid() {
    Sim a = node("limit");
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i <= PowerBatchService.MAX_ITEMS; i++) {
      items.add(item(a.id(), i % 2 == 0 ? "on" : "off"));
    }
    int batchesBefore = jdbc.queryForObject("SELECT count(*) FROM lo_power_batch", Integer.class);

    ApiClient.Response answer = asAdmin().post(BATCHES, batch(items));

    assertThat(answer.status()).as(answer.toString()).isEqualTo(422);
    assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
    assertThat(answer.json().get("limit").asInt()).isEqualTo(1000);
    assertThat(requestRows(a.id())).isZero();
    assertThat(jdbc.queryForObject("SELECT count(*) FROM lo_power_batch", Integer.class)).isEqualTo(batchesBefore);
    assertThat(fleet.commands(a.bmc())).isEmpty();
  }

  @Test
  void theSameKeyReplaysTheBatchAndAnotherBodyUnderItIsRefused() {
    Sim a = node("idem-a");
    Sim b = node("idem-b");
    Map<String, String> key = Map.of("Idempotency-Key", "rack-7-outage");
    Map<String, Object> body = batch(List.of(item(a.id(), "on"), item(b.id(), "on")));
    ApiClient.Response first = asAdmin().post(BATCHES, body, key);
    ApiClient.Response replay = asAdmin().post(BATCHES, body, key);
    ApiClient.Response other = asAdmin().post(BATCHES, batch(List.of(item(a.id(), "off"))), key);

    assertThat(first.status()).as(first.toString()).isEqualTo(202);
    assertThat(replay.status()).as(replay.toString()).isEqualTo(200);
    assertThat(replay.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
    assertThat(requestId(replay.json(), 1)).isEqualTo(requestId(first.json(), 1));
    assertThat(other.status()).as(other.toString()).isEqualTo(422);
    assertThat(other.json().get("detail").asText()).contains(first.json().get("id").asText());
    asAdmin().awaitRequest(requestId(first.json(), 0), "succeeded");
    asAdmin().awaitRequest(requestId(first.json(), 1), "succeeded");
    assertThat(fleet.commands(a.bmc())).containsExactly("set power 1");
    assertThat(fleet.commands(b.bmc())).containsExactly("set power 1");
    assertThat(requestRows(a.id()) + requestRows(b.id())).isEqualTo(2);
  }

  /**
   * A crash after items were committed but before their answers were written leaves requests without answers:
   * the replay with the same key finds them by their item keys and submits nothing twice.
   */
  @Test
  void aReplayFinishesABatchCutShortWithoutSubmittingAnItemTwice() {
    Sim a = node("crash-a");
    Sim b = node("crash-b");
    assertThat(asAdmin().post("/api/v1/nodes/" + a.id() + "/hold", Map.of("reason", "crash test")).status())
        .isEqualTo(200);
    assertThat(asAdmin().post("/api/v1/nodes/" + b.id() + "/hold", Map.of("reason", "crash test")).status())
        .isEqualTo(200);
    Map<String, String> key = Map.of("Idempotency-Key", "crash-" + System.nanoTime());
    Map<String, Object> body = batch(List.of(item(a.id(), "on"), item(b.id(), "on")));
    ApiClient.Response first = asAdmin().post(BATCHES, body, key);
    assertThat(first.status()).as(first.toString()).isEqualTo(202);
    String batchId = first.json().get("id").asText();
    jdbc.update("DELETE FROM lo_power_batch_item WHERE batch_id = ? AND item_index = 1", batchId);

    ApiClient.Response replay = asAdmin().post(BATCHES, body, key);

    assertThat(replay.status()).as(replay.toString()).isEqualTo(200);
    assertThat(replay.json().get("counts").get("held").asInt()).as(first + " then " + replay).isEqualTo(2);
    assertThat(requestId(replay.json(), 0)).isEqualTo(requestId(first.json(), 0));
    assertThat(requestId(replay.json(), 1)).isEqualTo(requestId(first.json(), 1));
    assertThat(requestRows(a.id())).isEqualTo(1);
    assertThat(requestRows(b.id())).isEqualTo(1);
    assertThat(jdbc.queryForObject("SELECT count(*) FROM lo_power_batch_item WHERE batch_id = ?", Integer.class,
        batchId)).isEqualTo(2);
  }

  @Test
  void aBatchOverHeldNodesIsAcceptedAndWaitsBehindTheHold() {
    Sim a = node("held-a");
    Sim b = node("held-b");
    for (Sim s : List.of(a, b)) {
      assertThat(asAdmin().post("/api/v1/nodes/" + s.id() + "/hold", Map.of("reason", "rack outage")).status())
          .isEqualTo(200);
    }
    ApiClient.Response answer = asAdmin().post(BATCHES, batch(List.of(item(a.id(), "on"), item(b.id(), "on"))));

    assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
    String batchId = answer.json().get("id").asText();
    assertThat(answer.json().get("counts").get("held").asInt()).isEqualTo(2);
    assertThat(answer.json().get("items").get("items").get(0).get("request").get("hold").get("reason").asText())
        .isEqualTo("held by admin: rack outage");
    assertThat(asAdmin().get("/api/v1/power-batches/" + batchId).json().get("counts").get("held").asInt())
        .isEqualTo(2);
    sleep(1000);
    assertThat(fleet.commands(a.bmc())).isEmpty();
    assertThat(fleet.commands(b.bmc())).isEmpty();

    assertThat(asAdmin().post("/api/v1/nodes/" + a.id() + "/resume", null).status()).isEqualTo(200);
    asAdmin().awaitRequest(requestId(answer.json(), 0), "succeeded");
    assertThat(fleet.commands(a.bmc())).containsExactly("set power 1");
    assertThat(fleet.commands(b.bmc())).isEmpty();
    JsonNode counts = asAdmin().get("/api/v1/power-batches/" + batchId).json().get("counts");
    assertThat(counts.get("succeeded").asInt()).isEqualTo(1);
    assertThat(counts.get("held").asInt()).isEqualTo(1);
    assertThat(asAdmin().delete("/api/v1/power-requests/" + requestId(answer.json(), 1)).status()).isEqualTo(200);
  }

  @Test
  void aViewerMayReadABatchButNotPostOne() {
    Sim a = node("viewer");
    ApiClient viewer = asMemberOf("batchviewer", "viewers");

    ApiClient.Response refused = viewer.post(BATCHES, batch(List.of(item(a.id(), "on"))));
    ApiClient.Response posted = asAdmin().post(BATCHES, batch(List.of(item("batch-absent", "on"))));

    assertThat(refused.status()).isEqualTo(403);
    assertThat(requestRows(a.id())).isZero();
    assertThat(viewer.get("/api/v1/power-batches/" + posted.json().get("id").asText()).status()).isEqualTo(200);
    assertThat(anonymous().post(BATCHES, batch(List.of(item(a.id(), "on")))).status()).isEqualTo(401);
    assertThat(asAdmin().get("/api/v1/power-batches/no-such-batch").status()).isEqualTo(404);
    assertThat(asAdmin().post(BATCHES, Map.of("items", List.of())).status()).isEqualTo(400);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
