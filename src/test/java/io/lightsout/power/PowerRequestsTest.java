package io.lightsout.power;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.BmcSimulatorFleet;
import io.lightsout.testing.CallbackReceiver;
import io.lightsout.testing.LogCapture;
import io.lightsout.testing.PostgresIntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.HistoryService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The power queue against PostgreSQL and real IPMI simulators: what the BMCs saw is the proof. */
class PowerRequestsTest extends PostgresIntegrationTest {

  private static final AtomicInteger NEXT_BMC = new AtomicInteger();
  private static BmcSimulatorFleet fleet;

  @Autowired
  HistoryService history;

  @Autowired
  org.camunda.bpm.engine.RuntimeService runtime;

  @Autowired
  org.springframework.jdbc.core.JdbcTemplate jdbc;

  @Autowired
  PowerMonitor monitor;

  @Autowired
  PowerQueue queue;

  @Autowired
  io.lightsout.outage.EngineInstance engineInstance;

  @Autowired
  org.camunda.bpm.engine.ManagementService management;

  @BeforeAll
  static void startFleet() {
    fleet = BmcSimulatorFleet.start(30);
  }

  @AfterAll
  static void stopFleet() {
    fleet.close();
  }

  /** A node on a simulator of its own, powered off to begin with. */
  private Sim node(String name) {
    int bmc = NEXT_BMC.getAndIncrement();
    fleet.setPower(bmc, false);
    String id = name + "-" + System.nanoTime() % 100000;
    ApiClient.Response created = asAdmin().post("/api/v1/nodes", Map.of("id", id, "name", "test " + name,
        "bmc", Map.of("driver", "ipmi", "host", fleet.host(), "port", fleet.port(bmc), "username", "admin",
            "password", fleet.password())));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return new Sim(id, bmc);
  }

  private record Sim(String id, int bmc) {}

  /** The settings of simulator {@code bmc} as a node body's {@code bmc}. */
  private static Map<String, Object> ipmi(int bmc, String password) {
    return Map.of("driver", "ipmi", "host", fleet.host(), "port", fleet.port(bmc), "username", "admin",
        "password", password);
  }

  private long storedNodes(String id) {
    return jdbc.queryForObject("SELECT COUNT(*) FROM lo_node WHERE id = ?", Long.class, id);
  }

  private ApiClient.Response request(Sim node, String action) {
    return request(node, action, Map.of());
  }

  private ApiClient.Response request(Sim node, String action, Map<String, String> extra) {
    Map<String, String> body = new java.util.HashMap<>(extra);
    body.put("action", action);
    return asAdmin().post("/api/v1/nodes/" + node.id() + "/power-requests", body);
  }

  private JsonNode awaitStatus(String requestId, String... statuses) {
    return asAdmin().awaitRequest(requestId, statuses);
  }

  private List<String> commands(Sim node) {
    return fleet.events(node.bmc()).stream().map(BmcSimulatorFleet.BmcEvent::command).toList();
  }

  @Test
  void onFromOffPowersOnOnceAndAnswersWithTheQueueView() {
    Sim node = node("basic");

    ApiClient.Response accepted = request(node, "on", Map.of("reason", "maintenance done"));

    assertThat(accepted.status()).isEqualTo(202);
    String id = accepted.json().get("id").asText();
    assertThat(accepted.header("Location")).isEqualTo("/api/v1/power-requests/" + id);
    assertThat(accepted.json().get("requestedBy").asText()).isEqualTo(ADMIN);
    assertThat(accepted.json().get("processInstanceId").asText()).isNotBlank();
    JsonNode done = awaitStatus(id, "succeeded", "failed");
    assertThat(done.get("status").asText()).isEqualTo("succeeded");
    assertThat(done.get("result").asText()).contains("on");
    assertThat(done.get("reason").asText()).isEqualTo("maintenance done");
    assertThat(commands(node)).containsExactly("set power 1");
    assertThat(fleet.powerState(node.bmc())).isEqualTo(io.lightsout.bmc.PowerState.ON);
    JsonNode view = asAdmin().get("/api/v1/nodes/" + node.id()).json();
    assertThat(view.get("powerState").asText()).isEqualTo("on");
    assertThat(view.get("powerObservedAt").asText()).isNotBlank();
    assertThat(view.toString()).doesNotContain(fleet.password());
  }

  @Test
  void nodeLifecycleNeverShowsThePasswordAndRefusesChangesWhileBusy() {
    Sim node = node("life");
    ApiClient admin = asAdmin();
    Map<String, Object> bmc = Map.of("driver", "ipmi", "host", fleet.host(), "port", fleet.port(node.bmc()),
        "username", "admin", "password", fleet.password());

    assertProblem(admin.post("/api/v1/nodes", Map.of("id", node.id(), "bmc", bmc)), 409, "already exists");
    assertThat(admin.get("/api/v1/nodes?size=500").body()).contains(node.id()).doesNotContain(fleet.password());
    assertThat(jdbc.queryForObject("SELECT bmc_password_sealed FROM lo_node WHERE id = ?", String.class, node.id()))
        .startsWith("v1:").doesNotContain(fleet.password());

    fleet.slow(node.bmc(), 2);
    String running = request(node, "on").json().get("id").asText();
    Map<String, Object> renamed = Map.of("name", "renamed", "bmc", Map.of("driver", "ipmi", "host", fleet.host(),
        "port", fleet.port(node.bmc()), "username", "admin"));
    assertProblem(admin.put("/api/v1/nodes/" + node.id(), renamed), 409, "open power requests");
    assertProblem(admin.delete("/api/v1/nodes/" + node.id()), 409, "open power requests");
    fleet.normal(node.bmc());
    awaitStatus(running, "succeeded");

    ApiClient.Response updated = admin.put("/api/v1/nodes/" + node.id(), renamed);
    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
    assertThat(updated.json().get("name").asText()).isEqualTo("renamed");
    awaitStatus(request(node, "off").json().get("id").asText(), "succeeded");
    assertThat(commands(node)).as("the stored password still works after an update without one")
        .containsExactly("set power 1", "set power 0");

    assertThat(admin.delete("/api/v1/nodes/" + node.id()).status()).isEqualTo(204);
    assertProblem(admin.get("/api/v1/nodes/" + node.id()), 404, node.id());
  }

  @Test
  void registrationReadsTheBmcAndRefusesWhatDoesNotAnswerUnlessToldNotToCheck() {
    ApiClient admin = asAdmin();
    int good = NEXT_BMC.getAndIncrement();
    fleet.setPower(good, true);
    String goodId = "check-good-" + System.nanoTime() % 100000;
    ApiClient.Response created = admin.post("/api/v1/nodes", Map.of("id", goodId, "bmc", ipmi(good, fleet.password())));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.json().get("powerState").asText()).as("the state the check observed").isEqualTo("on");
    assertThat(created.json().get("powerObservedAt").asText()).isNotBlank();
    assertThat(created.json().get("lastBmcError").isNull()).isTrue();
    assertThat(fleet.commands(good)).as("a check only reads").isEmpty();

    String wrongId = "check-wrongpw-" + System.nanoTime() % 100000;
    ApiClient.Response wrongPassword = admin.post("/api/v1/nodes",
        Map.of("id", wrongId, "bmc", ipmi(good, "not-" + fleet.password())));
    assertProblem(wrongPassword, 422, "rejected the credentials of user 'admin'");
    assertThat(wrongPassword.body()).doesNotContain("not-" + fleet.password());
    assertThat(storedNodes(wrongId)).isZero();

    int dead = NEXT_BMC.getAndIncrement();
    fleet.kill(dead);
    String deadId = "check-dead-" + System.nanoTime() % 100000;
    ApiClient.Response unreachable = admin.post("/api/v1/nodes", Map.of("id", deadId, "bmc", ipmi(dead, fleet.password())));
    assertProblem(unreachable, 422, "BMC " + fleet.host() + ":" + fleet.port(dead));
    assertThat(unreachable.body()).contains("check=false").doesNotContain(fleet.password());
    assertThat(storedNodes(deadId)).isZero();
    assertProblem(admin.get("/api/v1/nodes/" + deadId), 404, deadId);

    ApiClient.Response uncabled = admin.post("/api/v1/nodes?check=false",
        Map.of("id", deadId, "bmc", ipmi(dead, fleet.password())));
    assertThat(uncabled.status()).as(uncabled.toString()).isEqualTo(201);
    assertThat(uncabled.json().get("powerState").asText()).isEqualTo("unknown");
    assertThat(uncabled.json().get("powerObservedAt").isNull()).isTrue();
    assertThat(storedNodes(deadId)).isOne();

    assertProblem(admin.put("/api/v1/nodes/" + deadId, Map.of("name", "still dead", "bmc", ipmi(dead, fleet.password()))),
        422, "BMC " + fleet.host() + ":" + fleet.port(dead));
    assertThat(jdbc.queryForObject("SELECT name FROM lo_node WHERE id = ?", String.class, deadId))
        .as("a refused update stores nothing").isNull();
    ApiClient.Response moved = admin.put("/api/v1/nodes/" + deadId, Map.of("name", "moved", "bmc",
        Map.of("driver", "ipmi", "host", fleet.host(), "port", fleet.port(good), "username", "admin")));
    assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
    assertThat(moved.json().get("powerState").asText()).as("read with the stored password").isEqualTo("on");
    assertProblem(admin.post("/api/v1/nodes?check=maybe", Map.of("id", "check-bad", "bmc", ipmi(good, "x"))), 400,
        "check");
    fleet.normal(dead);
  }

  @Test
  void aHeldNodesSettingsCanBeMendedItsWaitingRequestCancelledAndTheQueueGoesOnAfterResume() {
    Sim node = node("mend");
    int spare = NEXT_BMC.getAndIncrement();
    fleet.setPower(spare, false);
    ApiClient admin = asAdmin();
    fleet.freeze(node.bmc());
    String failing = request(node, "on").json().get("id").asText();
    String cancelled = request(node, "off").json().get("id").asText();
    String last = request(node, "on").json().get("id").asText();
    Map<String, Object> mended = Map.of("name", "mended", "bmc", ipmi(spare, fleet.password()));
    assertProblem(admin.put("/api/v1/nodes/" + node.id(), mended), 409, "open power requests");

    assertThat(awaitStatus(failing, "failed", "succeeded").get("status").asText()).isEqualTo("failed");
    JsonNode held = admin.get("/api/v1/nodes/" + node.id()).json();
    assertThat(held.get("hold").get("kind").asText()).isEqualTo("bmc-unreachable");
    assertThat(held.get("lastBmcError").get("message").asText())
        .contains(fleet.host() + ":" + fleet.port(node.bmc()) + " did not answer");
    assertThat(Instant.parse(held.get("lastBmcError").get("at").asText())).isAfter(Instant.now().minusSeconds(60));

    ApiClient.Response updated = admin.put("/api/v1/nodes/" + node.id(), mended);
    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
    assertThat(updated.json().get("bmc").get("port").asInt()).isEqualTo(fleet.port(spare));
    assertThat(updated.json().get("hold").get("kind").asText()).as("the hold stays").isEqualTo("bmc-unreachable");
    assertThat(updated.json().get("powerState").asText()).isEqualTo("off");
    assertThat(updated.json().get("lastBmcError").isNull()).as("cleared by the check's good read").isTrue();

    ApiClient.Response cancel = admin.delete("/api/v1/power-requests/" + cancelled);
    assertThat(cancel.status()).as(cancel.toString()).isEqualTo(200);
    assertThat(cancel.json().get("status").asText()).isEqualTo("cancelled");
    String instance = cancel.json().get("processInstanceId").asText();
    assertThat(runtime.createProcessInstanceQuery().processInstanceId(instance).count()).as("its process ended").isZero();
    assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(instance).activityId("End_Withdrawn")
        .count()).isOne();

    assertThat(admin.post("/api/v1/nodes/" + node.id() + "/resume", Map.of()).status()).isEqualTo(200);
    assertThat(awaitStatus(last, "succeeded", "failed").get("status").asText()).isEqualTo("succeeded");
    assertThat(fleet.commands(spare)).as("the mended BMC saw the last 'on', never the cancelled 'off'")
        .containsExactly("set power 1");
    fleet.thaw(node.bmc());
    sleep(500);
    assertThat(commands(node)).as("the old BMC saw nothing but the failed attempts' reads").isEmpty();
  }

  @Test
  void aRequestHeldAfterAnOutageCanBeCancelledItsProcessEndsAndTheQueueGoesOnAfterResume() {
    Sim node = node("heldcancel");
    fleet.freeze(node.bmc());
    JsonNode interrupted = request(node, "on").json();
    String next = request(node, "off").json().get("id").asText();
    String instance = interrupted.get("processInstanceId").asText();
    Instant deadline = Instant.now().plusSeconds(30);
    while (management.createJobQuery().processInstanceId(instance).withException().count() == 0
        && Instant.now().isBefore(deadline)) {
      sleep(100);
    }
    // its first attempt timed out; its retry is due in 2 s: as if its instance had died now, it is held
    queue.holdInterrupted(node.id(), engineInstance.id(), new Hold(Hold.Kind.OUTAGE, "test outage", Instant.now()),
        "interrupted by the test's outage");
    assertThat(asAdmin().get("/api/v1/power-requests/" + interrupted.get("id").asText()).json().get("status").asText())
        .isEqualTo("held");

    ApiClient.Response cancel = asAdmin().delete("/api/v1/power-requests/" + interrupted.get("id").asText());
    assertThat(cancel.status()).as(cancel.toString()).isEqualTo(200);
    assertThat(cancel.json().get("status").asText()).isEqualTo("cancelled");
    deadline = Instant.now().plusSeconds(30);
    while (runtime.createProcessInstanceQuery().processInstanceId(instance).count() > 0 && Instant.now().isBefore(deadline)) {
      sleep(200);
    }
    assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(instance).activityId("End_Withdrawn")
        .count()).as("its process ended as withdrawn").isOne();

    fleet.thaw(node.bmc());
    assertThat(asAdmin().post("/api/v1/nodes/" + node.id() + "/resume", Map.of()).status()).isEqualTo(200);
    assertThat(awaitStatus(next, "succeeded", "failed").get("status").asText()).isEqualTo("succeeded");
    assertThat(commands(node)).as("the cancelled 'on' never reached the BMC; 'off' found it off").isEmpty();
  }

  @Test
  void aFailedReadShowsAsTheNodesLastBmcErrorWithoutAFreshObservationAndAGoodReadClearsIt() {
    Sim node = node("reads");
    ApiClient admin = asAdmin();
    JsonNode before = admin.get("/api/v1/nodes/" + node.id()).json();
    assertThat(before.get("powerState").asText()).isEqualTo("off");
    String observedAt = before.get("powerObservedAt").asText();

    fleet.freeze(node.bmc());
    try (LogCapture logs = LogCapture.start()) {
      monitor.observe(node.id());
      JsonNode failed = admin.get("/api/v1/nodes/" + node.id()).json();
      assertThat(failed.get("powerState").asText()).as("the last observed state stays").isEqualTo("off");
      assertThat(failed.get("powerObservedAt").asText()).as("a failed read observed nothing").isEqualTo(observedAt);
      assertThat(failed.get("lastBmcError").get("message").asText())
          .contains(fleet.host() + ":" + fleet.port(node.bmc()), "did not answer");
      monitor.observe(node.id());
      assertThat(logs.lines()).as("one line naming node and BMC, not one per failed read")
          .filteredOn(line -> line.startsWith("WARN") && line.contains("Node " + node.id() + ":")
              && line.contains(fleet.host() + ":" + fleet.port(node.bmc())))
          .hasSize(1);
      assertThat(logs.lines()).noneMatch(line -> line.startsWith("ERROR"));
    }
    fleet.thaw(node.bmc());
    fleet.setPower(node.bmc(), true);
    sleep(500);
    monitor.observe(node.id());
    JsonNode cleared = admin.get("/api/v1/nodes/" + node.id()).json();
    assertThat(cleared.get("powerState").asText()).isEqualTo("on");
    assertThat(cleared.get("lastBmcError").isNull()).isTrue();
  }

  @Test
  void aNodeWithWrongCredentialsShowsTheErrorNotAFreshUnknownAndTheLibraryStaysOutOfError() {
    int bmc = NEXT_BMC.getAndIncrement();
    String id = "badcred-" + System.nanoTime() % 100000;
    ApiClient admin = asAdmin();
    assertThat(admin.post("/api/v1/nodes?check=false", Map.of("id", id, "bmc", ipmi(bmc, "not-" + fleet.password())))
        .status()).isEqualTo(201);
    try (LogCapture logs = LogCapture.start()) {
      String request = admin.post("/api/v1/nodes/" + id + "/power-requests", Map.of("action", "on")).json()
          .get("id").asText();
      assertThat(awaitStatus(request, "failed", "succeeded").get("result").asText())
          .contains("rejected the credentials");
      JsonNode view = admin.get("/api/v1/nodes/" + id).json();
      assertThat(view.get("powerState").asText()).isEqualTo("unknown");
      assertThat(view.get("powerObservedAt").isNull()).isTrue();
      assertThat(view.get("lastBmcError").get("message").asText()).contains("rejected the credentials of user 'admin'");
      assertThat(logs.lines()).noneMatch(line -> line.startsWith("ERROR"))
          .noneMatch(line -> line.split(" ", 3)[1].startsWith("org.metricshub"))
          .anyMatch(line -> line.startsWith("WARN") && line.contains("Node " + id + ":")
              && line.contains(fleet.host() + ":" + fleet.port(bmc)) && line.contains("rejected the credentials"));
    }
    assertThat(fleet.commands(bmc)).isEmpty();
  }

  @Test
  void aCycleWhoseJobFailsAfterTheBmcActedIsNotCycledAgainOnRetry() {
    Sim node = node("doubled");
    fleet.setPower(node.bmc(), true);
    String marker = "fail-after-bmc-" + node.id();
    jdbc.execute("CREATE SEQUENCE test_fail_once_" + node.bmc());
    jdbc.execute("CREATE FUNCTION test_fail_after_bmc_" + node.bmc() + "() RETURNS trigger AS $$ BEGIN "
        + "IF NEW.status = 'succeeded' AND NEW.reason = '" + marker + "' THEN "
        + "IF nextval('test_fail_once_" + node.bmc() + "') = 1 THEN "
        + "RAISE EXCEPTION 'injected: the job fails after the BMC acted'; END IF; END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
    jdbc.execute("CREATE TRIGGER test_fail_after_bmc_" + node.bmc() + " BEFORE UPDATE ON lo_power_request "
        + "FOR EACH ROW EXECUTE FUNCTION test_fail_after_bmc_" + node.bmc() + "()");
    try {
      String id = request(node, "cycle", Map.of("reason", marker)).json().get("id").asText();

      JsonNode done = awaitStatus(id, "succeeded", "failed");

      assertThat(done.get("status").asText()).isEqualTo("succeeded");
      // one attempt per step (off, then on after the command interval); the retry did not talk to the BMC
      assertThat(done.get("attempts").asInt()).as("attempts at the BMC").isEqualTo(2);
      assertThat(done.get("result").asText()).contains("confirmed by an earlier attempt");
      assertThat(commands(node)).as("one cycle, not two").containsExactly("set power 0", "set power 1");
    } finally {
      jdbc.execute("DROP TRIGGER test_fail_after_bmc_" + node.bmc() + " ON lo_power_request");
      jdbc.execute("DROP FUNCTION test_fail_after_bmc_" + node.bmc() + "()");
      jdbc.execute("DROP SEQUENCE test_fail_once_" + node.bmc());
    }
  }

  @Test
  void cockpitSeesTheRequestIdAsBusinessKey() {
    Sim node = node("cockpit");
    String id = request(node, "on").json().get("id").asText();
    awaitStatus(id, "succeeded");

    assertThat(history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(id).singleResult()
        .getProcessDefinitionKey()).isEqualTo("power-change");
  }

  /**
   * History's removal time is written with the instance's first history rows (strategy "start"), so that an
   * instance's end does not rewrite every history row it made: a waiting request already has it.
   */
  @Test
  void aWaitingRequestsHistoryCarriesItsRemovalTimeFromItsStart() {
    Sim node = node("removal");
    assertThat(asAdmin().post("/api/v1/nodes/" + node.id() + "/hold", Map.of("reason", "removal time")).status())
        .isEqualTo(200);
    String id = request(node, "on").json().get("id").asText();

    var instance = history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(id).singleResult();
    assertThat(instance.getEndTime()).as("still waiting behind the hold").isNull();
    assertThat(instance.getRemovalTime()).isEqualTo(Date.from(instance.getStartTime().toInstant().plus(Duration.ofDays(30))));
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM act_hi_varinst WHERE proc_inst_id_ = ? AND removal_time_ IS NULL",
        Integer.class, instance.getId())).as("variables without a removal time").isZero();

    assertThat(asAdmin().post("/api/v1/nodes/" + node.id() + "/resume", Map.of()).status()).isEqualTo(200);
    awaitStatus(id, "succeeded");
    assertThat(history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(id).singleResult()
        .getRemovalTime()).isEqualTo(instance.getRemovalTime());
  }

  @Test
  void fiveNodesTwentyMixedRequestsFourClientsRunInAcceptanceOrderOneAtATime() throws Exception {
    List<Sim> nodes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      nodes.add(node("mixed" + i));
    }
    List<String> actions = List.of("on", "off", "cycle");
    ExecutorService clients = Executors.newFixedThreadPool(4);
    List<Future<String>> submitted = new ArrayList<>();
    Random random = new Random(42);
    for (Sim node : nodes) {
      for (int r = 0; r < 20; r++) {
        String action = actions.get(random.nextInt(actions.size()));
        submitted.add(clients.submit(() -> {
          ApiClient.Response answer = request(node, action);
          assertThat(answer.status()).as(answer.toString()).isEqualTo(202);
          return answer.json().get("id").asText();
        }));
      }
    }
    List<String> ids = new ArrayList<>();
    for (Future<String> f : submitted) {
      ids.add(f.get());
    }
    clients.shutdown();
    ids.forEach(id -> awaitStatus(id, "succeeded", "merged", "failed"));

    for (Sim node : nodes) {
      List<JsonNode> story = new ArrayList<>();
      asAdmin().get("/api/v1/nodes/" + node.id() + "/history?size=100").json().get("items").forEach(story::add);
      assertThat(story).hasSize(20);
      java.util.Collections.reverse(story);
      boolean on = false;
      List<String> expected = new ArrayList<>();
      Instant previousEnd = Instant.EPOCH;
      for (JsonNode r : story) {
        String status = r.get("status").asText();
        assertThat(status).as(r.toString()).isIn("succeeded", "merged");
        assertThat(r.get("result").asText()).isNotBlank();
        if (status.equals("merged")) {
          continue;
        }
        Instant started = Instant.parse(r.get("startedAt").asText());
        Instant finished = Instant.parse(r.get("finishedAt").asText());
        assertThat(started).as("no overlap on node " + node.id()).isAfterOrEqualTo(previousEnd);
        previousEnd = finished;
        switch (r.get("action").asText()) {
          case "on" -> { if (!on) { expected.add("set power 1"); } on = true; }
          case "off" -> { if (on) { expected.add("set power 0"); } on = false; }
          default -> { if (on) { expected.add("set power 0"); } expected.add("set power 1"); on = true; }
        }
      }
      assertThat(commands(node)).as("commands seen by the BMC of " + node.id()).isEqualTo(expected);
      assertThat(fleet.powerState(node.bmc())).isEqualTo(on ? io.lightsout.bmc.PowerState.ON : io.lightsout.bmc.PowerState.OFF);
    }
  }

  @Test
  void identicalToTheLastOpenRequestIsMergedButNotWhenFurtherBack() {
    Sim node = node("merge");
    fleet.slow(node.bmc(), 2);
    String first = request(node, "on").json().get("id").asText();
    String off = request(node, "off").json().get("id").asText();
    JsonNode merged = request(node, "off").json();
    JsonNode onAgain = request(node, "on").json();

    assertThat(merged.get("status").asText()).isEqualTo("merged");
    assertThat(merged.get("mergedInto").asText()).isEqualTo(off);
    assertThat(onAgain.get("status").asText()).as("an identical request further back does not merge").isEqualTo("queued");
    fleet.normal(node.bmc());
    awaitStatus(onAgain.get("id").asText(), "succeeded");
    assertThat(awaitStatus(first, "succeeded").get("status").asText()).isEqualTo("succeeded");
    assertThat(commands(node)).containsExactly("set power 1", "set power 0", "set power 1");
  }

  @Test
  void ifBusyRejectGives409AndReplaceSupersedesWhatIsQueued() {
    Sim node = node("busy");
    fleet.slow(node.bmc(), 2);
    String running = request(node, "on").json().get("id").asText();
    String queued = request(node, "off").json().get("id").asText();

    ApiClient.Response rejected = request(node, "cycle", Map.of("ifBusy", "reject"));
    assertThat(rejected.status()).isEqualTo(409);
    assertThat(rejected.header("Content-Type")).startsWith("application/problem+json");

    JsonNode replacing = request(node, "reset", Map.of("ifBusy", "replace")).json();
    JsonNode superseded = asAdmin().get("/api/v1/power-requests/" + queued).json();
    assertThat(superseded.get("status").asText()).isEqualTo("superseded");
    assertThat(superseded.get("result").asText()).contains(replacing.get("id").asText());
    fleet.normal(node.bmc());
    awaitStatus(replacing.get("id").asText(), "succeeded");
    assertThat(awaitStatus(running, "succeeded").get("status").asText()).isEqualTo("succeeded");
    assertThat(commands(node)).doesNotContain("set power 0").first().isEqualTo("set power 1");
  }

  @Test
  void cancellingAQueuedRequestMeansItsBmcNeverSeesItAndARunningOneCannotBeCancelled() {
    Sim node = node("cancel");
    fleet.slow(node.bmc(), 2);
    String running = request(node, "on").json().get("id").asText();
    String queued = request(node, "off").json().get("id").asText();
    awaitStatus(running, "running");

    ApiClient.Response cancel = asAdmin().delete("/api/v1/power-requests/" + queued);
    assertThat(cancel.status()).isEqualTo(200);
    assertThat(cancel.json().get("status").asText()).isEqualTo("cancelled");
    assertThat(cancel.json().get("result").asText()).contains(ADMIN);
    ApiClient.Response refused = asAdmin().delete("/api/v1/power-requests/" + running);
    assertThat(refused.status()).isEqualTo(409);

    fleet.normal(node.bmc());
    awaitStatus(running, "succeeded");
    sleep(1500);
    assertThat(commands(node)).containsExactly("set power 1");
    assertThat(asAdmin().delete("/api/v1/power-requests/" + running).status()).isEqualTo(409);
  }

  @Test
  void sameIdempotencyKeyGivesTheSameRequestAndOneBmcCommand() {
    Sim node = node("idem");
    Map<String, String> key = Map.of("Idempotency-Key", "order-4711");
    ApiClient.Response first = asAdmin().post("/api/v1/nodes/" + node.id() + "/power-requests", Map.of("action", "on"), key);
    ApiClient.Response replay = asAdmin().post("/api/v1/nodes/" + node.id() + "/power-requests", Map.of("action", "on"), key);

    assertThat(first.status()).isEqualTo(202);
    assertThat(replay.status()).isEqualTo(200);
    assertThat(replay.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
    awaitStatus(first.json().get("id").asText(), "succeeded");
    sleep(1000);
    assertThat(commands(node)).containsExactly("set power 1");
    assertThat(asAdmin().get("/api/v1/nodes/" + node.id() + "/history").json().get("total").asInt()).isEqualTo(1);
  }

  @Test
  void pastTheQueueLimitNewRequestsGet503WithRetryAfterAndNothingIsLost() {
    Sim node = node("limit");
    assertThat(asAdmin().post("/api/v1/nodes/" + node.id() + "/hold", Map.of("reason", "limit test")).status())
        .isEqualTo(200);
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      ApiClient.Response answer = request(node, i % 2 == 0 ? "on" : "off");
      assertThat(answer.status()).isEqualTo(202);
      accepted.add(answer.json().get("id").asText());
    }
    ApiClient.Response full = request(node, "cycle");

    assertThat(full.status()).isEqualTo(503);
    assertThat(full.header("Retry-After")).isNotBlank();
    assertThat(full.json().get("detail").asText()).contains("32");
    assertThat(asAdmin().get("/api/v1/nodes/" + node.id() + "/queue").json().get("total").asInt()).isEqualTo(32);
    accepted.forEach(id -> assertThat(asAdmin().delete("/api/v1/power-requests/" + id).status()).isEqualTo(200));
    assertThat(commands(node)).isEmpty();
  }

  @Test
  void badInputGetsClearProblemsNeverA500() {
    Sim node = node("bad");
    ApiClient admin = asAdmin();

    assertProblem(admin.post("/api/v1/nodes/no-such-node/power-requests", Map.of("action", "on")), 404, "no-such-node");
    assertProblem(request(node, "explode"), 400, "explode");
    assertProblem(request(node, "on", Map.of("ifBusy", "sometimes")), 400, "ifBusy");
    assertProblem(admin.post("/api/v1/nodes/" + node.id() + "/power-requests", "{\"action\": "), 400, "JSON");
    assertProblem(admin.post("/api/v1/nodes/" + node.id() + "/power-requests", Map.of()), 400, "action");
    assertProblem(admin.post("/api/v1/nodes/" + node.id() + "/power-requests",
        Map.of("action", "on", "reason", "x".repeat(70_000))), 413, "bytes");
    assertProblem(request(node, "on", Map.of("callbackUrl", "http://169.254.169.254/latest/meta-data")), 400,
        "allow-list");
    assertProblem(admin.get("/api/v1/power-requests/00000000-0000-0000-0000-000000000000"), 404, "does not exist");
    assertProblem(admin.post("/api/v1/nodes", Map.of("id", "Bad Id!", "bmc", Map.of("driver", "ipmi", "host", "h",
        "username", "u", "password", "p"))), 400, "node id");
    assertProblem(admin.post("/api/v1/nodes", Map.of("id", "nodriver", "bmc", Map.of("driver", "telepathy",
        "host", "h", "username", "u", "password", "p"))), 400, "telepathy");
    assertThat(commands(node)).isEmpty();
    assertThat(admin.get("/api/v1/nodes/" + node.id() + "/history").json().get("total").asInt()).isZero();
  }

  private static void assertProblem(ApiClient.Response answer, int status, String detailPart) {
    assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
    assertThat(answer.header("Content-Type")).as(answer.toString()).startsWith("application/problem+json");
    assertThat(answer.json().get("detail").asText()).as(answer.toString()).containsIgnoringCase(detailPart);
  }

  @Test
  void callbackIsDeliveredToALocalServerWithRetries() {
    Sim node = node("callback");
    try (CallbackReceiver receiver = CallbackReceiver.start(1)) {
      String id = request(node, "on", Map.of("callbackUrl", receiver.url("/done"))).json().get("id").asText();
      awaitStatus(id, "succeeded");
      Instant deadline = Instant.now().plusSeconds(30);
      while (receiver.bodies().isEmpty() && Instant.now().isBefore(deadline)) {
        sleep(200);
      }
      assertThat(receiver.bodies()).hasSize(1);
      assertThat(receiver.bodies().get(0)).contains(id).contains("\"status\":\"succeeded\"")
          .doesNotContain(fleet.password());
    }
  }

  @Test
  void startingThroughEngineRestBehavesLikeTheDomainApi() {
    Sim node = node("rest");
    ApiClient operator = asMemberOf("otto", io.lightsout.security.Caller.OPERATORS);

    ApiClient.Response started = operator.post("/engine-rest/process-definition/key/power-change/start",
        Map.of("variables", Map.of("nodeId", Map.of("value", node.id()), "action", Map.of("value", "on"))));
    assertThat(started.status()).as(started.toString()).isEqualTo(200);
    String requestId = started.json().get("businessKey").asText();
    JsonNode done = awaitStatus(requestId, "succeeded");
    assertThat(done.get("requestedBy").asText()).isEqualTo("otto");
    assertThat(commands(node)).containsExactly("set power 1");

    ApiClient.Response badNode = operator.post("/engine-rest/process-definition/key/power-change/start",
        Map.of("variables", Map.of("nodeId", Map.of("value", "no-such-node"), "action", Map.of("value", "on"))));
    assertThat(badNode.status()).isEqualTo(200);
    assertThat(badNode.json().get("ended").asBoolean()).isTrue();
    String instance = badNode.json().get("id").asText();
    assertThat(history.createHistoricVariableInstanceQuery().processInstanceId(instance).variableName("rejectionReason")
        .singleResult().getValue()).asString().contains("no-such-node");
    assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(instance).activityId("End_Rejected")
        .count()).isEqualTo(1);
    assertThat(runtime.createIncidentQuery().processInstanceId(instance).count()).isZero();

    ApiClient viewer = asMemberOf("vicky", io.lightsout.security.Caller.VIEWERS);
    assertThat(viewer.post("/engine-rest/process-definition/key/power-change/start",
        Map.of("variables", Map.of("nodeId", Map.of("value", node.id()), "action", Map.of("value", "off"))))
        .status()).isEqualTo(403);
  }

  @Test
  void frozenBmcFailsTheRunningRequestHoldsTheNodeAndKeepsTheQueueUntilResume() {
    Sim node = node("frozen");
    fleet.freeze(node.bmc());
    String running = request(node, "on").json().get("id").asText();
    String next = request(node, "off").json().get("id").asText();
    String last = request(node, "on").json().get("id").asText();

    JsonNode failed = awaitStatus(running, "failed");
    assertThat(failed.get("result").asText()).contains(fleet.host() + ":" + fleet.port(node.bmc()))
        .contains("attempt 2 of 2");
    JsonNode view = asAdmin().get("/api/v1/nodes/" + node.id()).json();
    assertThat(view.get("hold").get("kind").asText()).isEqualTo("bmc-unreachable");
    assertThat(asAdmin().get("/api/v1/holds").json().toString()).contains(node.id());
    sleep(2000);
    for (String waiting : List.of(next, last)) {
      JsonNode request = asAdmin().get("/api/v1/power-requests/" + waiting).json();
      assertThat(request.get("status").asText()).as("it waits behind the hold").isEqualTo("held");
      assertThat(request.get("hold").get("kind").asText()).isEqualTo("bmc-unreachable");
      assertThat(request.get("hold").get("reason").asText()).contains(fleet.host() + ":" + fleet.port(node.bmc()));
    }

    String reviewId = jdbc.queryForObject("SELECT r.id FROM lo_review r JOIN lo_review_node n ON n.review_id = r.id "
        + "WHERE n.node_id = ? AND r.closed_at IS NULL", String.class, node.id());
    assertThat(runtime.createProcessInstanceQuery().processDefinitionKey("queue-review")
        .processInstanceBusinessKey(reviewId).count()).as("one review opened in Tasklist").isEqualTo(1);

    fleet.thaw(node.bmc());
    sleep(1500);
    List<String> beforeResume = commands(node);
    assertThat(asAdmin().post("/api/v1/nodes/" + node.id() + "/resume", Map.of()).status()).isEqualTo(200);
    awaitStatus(last, "succeeded");
    assertThat(awaitStatus(next, "succeeded").get("status").asText()).isEqualTo("succeeded");
    assertThat(asAdmin().get("/api/v1/nodes/" + node.id()).json().get("hold").isNull()).isTrue();
    assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(reviewId).count())
        .as("resuming over REST closed the review task").isZero();
    assertThat(jdbc.queryForObject("SELECT closed_by FROM lo_review WHERE id = ?", String.class, reviewId))
        .isEqualTo(ADMIN);
    List<String> afterResume = commands(node).subList(beforeResume.size(), commands(node).size());
    assertThat(afterResume).endsWith("set power 1");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
