package io.lightsout.evacuation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightsout.evacuation.process.HostEvacuationProcess;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.BmcSimulatorFleet;
import io.lightsout.testing.Evacuations;
import io.lightsout.testing.PostgresIntegrationTest;
import io.lightsout.testing.Processes;
import io.lightsout.testing.RebuildReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Evacuations through the whole product, on PostgreSQL, with real IPMI simulators as the hosts' BMCs and a
 * real HTTP server as the rebuild webhook: what the BMCs and the webhook saw is the proof.
 */
class EvacuationTest extends PostgresIntegrationTest {

  private static final AtomicInteger NEXT_BMC = new AtomicInteger();
  private static final AtomicInteger NEXT_NAME = new AtomicInteger();
  private static BmcSimulatorFleet fleet;

  @Autowired
  ProcessEngine engine;

  @Autowired
  HistoryService history;

  @Autowired
  TaskService tasks;

  @Autowired
  JdbcTemplate jdbc;

  @Autowired
  io.micrometer.core.instrument.MeterRegistry meters;

  private final RebuildReceiver webhook = RebuildReceiver.shared();

  @BeforeAll
  static void startFleet() {
    fleet = BmcSimulatorFleet.start(8);
  }

  @AfterAll
  static void stopFleet() {
    fleet.close();
  }

  @BeforeEach
  void assertions() {
    BpmnAwareTests.init(engine);
  }

  @Test
  void fencesFirstThenRebuildsEveryInstanceOnceOnHealthyHostsWithinCapacity() {
    String failed = host(0, true);
    List<String> healthy = List.of(host(4, true), host(4, true), host(4, true));
    List<String> instances = instances(failed, 12);
    String nodeOfFailed = nodeOf(failed);
    asAdmin().post("/api/v1/nodes/" + nodeOfFailed + "/hold", Map.of("reason", "maintenance window"));
    String queuedOn = asAdmin().post("/api/v1/nodes/" + nodeOfFailed + "/power-requests", Map.of("action", "on"))
        .json().get("id").asText();

    double succeededBefore = counted("lightsout_evacuations", "status", "succeeded");
    double placedBefore = counted("lightsout_evacuation_instances", "state", "placed");

    ApiClient.Response started = asAdmin().post("/api/v1/hosts/" + failed + "/evacuations", Map.of("reason", "host dead"));
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    String id = started.json().get("id").asText();
    assertThat(started.header("Location")).isEqualTo("/api/v1/evacuations/" + id);
    JsonNode done = awaitStatus(id, "succeeded");
    // counted once the settling transaction has committed, a moment after the API shows it
    for (int i = 0; i < 50 && counted("lightsout_evacuations", "status", "succeeded") == succeededBefore; i++) {
      sleep();
    }
    assertThat(counted("lightsout_evacuations", "status", "succeeded") - succeededBefore).isEqualTo(1);
    assertThat(counted("lightsout_evacuation_instances", "state", "placed") - placedBefore).isEqualTo(12);

    // the BMC of the failed host was switched off before the first rebuild call
    int bmc = bmcOf(failed);
    List<BmcSimulatorFleet.BmcEvent> offs = fleet.events(bmc).stream()
        .filter(e -> e.command().equals("set power 0")).toList();
    assertThat(offs).hasSize(1);
    List<RebuildReceiver.Call> calls = webhook.callsOf(id);
    assertThat(calls).isNotEmpty();
    assertThat(calls.stream().mapToLong(RebuildReceiver.Call::epochMillis).min().orElseThrow())
        .isGreaterThanOrEqualTo(offs.get(0).epochMillis());
    assertThat(fleet.powerState(bmc).wireName()).isEqualTo("off");

    // exactly one rebuild call per instance, with its key, from the failed host, to a healthy host
    assertThat(calls).hasSize(12);
    assertThat(calls.stream().map(RebuildReceiver.Call::instanceId).collect(Collectors.toSet()))
        .isEqualTo(Set.copyOf(instances));
    for (RebuildReceiver.Call call : calls) {
      assertThat(call.idempotencyKey()).isEqualTo(id + "/" + call.instanceId());
      assertThat(call.fromHost()).isEqualTo(failed);
      assertThat(call.toHost()).isNotEqualTo(failed);
    }
    // every instance ends where the webhook was told; no host (of this test or another) is over its capacity
    Set<String> targets = new java.util.TreeSet<>(healthy);
    for (String instance : instances) {
      JsonNode read = asAdmin().get("/api/v1/instances/" + instance).json();
      String host = read.get("host").asText();
      assertThat(read.get("evacuation").isNull()).isTrue();
      assertThat(calls.stream().filter(c -> c.instanceId().equals(instance)).findFirst().orElseThrow().toHost())
          .isEqualTo(host);
      targets.add(host);
    }
    for (String host : targets) {
      int capacity = asAdmin().get("/api/v1/hosts/" + host).json().get("capacity").asInt();
      assertThat(asAdmin().get("/api/v1/instances?host=" + host).json().get("total").asInt())
          .as("instances on " + host).isLessThanOrEqualTo(capacity);
    }
    for (JsonNode instance : done.get("instances")) {
      assertThat(instance.get("state").asText()).isEqualTo("placed");
      assertThat(instance.get("attempts").asInt()).isEqualTo(1);
    }
    assertThat(done.get("fencing").get("status").asText()).isEqualTo("confirmed");
    assertThat(done.get("fencing").get("by").asText()).isEqualTo("bmc");
    assertThat(done.get("result").asText()).contains("12 instance(s) rebuilt elsewhere");

    // the fence was a power request of the node, ahead of its queued 'on', which still waits: the host stays off
    String fenceId = done.get("fencing").get("powerRequestId").asText();
    JsonNode fence = asAdmin().get("/api/v1/power-requests/" + fenceId).json();
    assertThat(fence.get("status").asText()).isEqualTo("succeeded");
    assertThat(fence.get("action").asText()).isEqualTo("off");
    assertThat(fence.get("requestedBy").asText()).isEqualTo("evacuation " + id);
    JsonNode waiting = asAdmin().get("/api/v1/power-requests/" + queuedOn).json();
    assertThat(waiting.get("status").asText()).as("it waits behind the evacuation's hold").isEqualTo("held");
    assertThat(waiting.get("hold").get("kind").asText()).isEqualTo("evacuation");
    JsonNode node = asAdmin().get("/api/v1/nodes/" + nodeOfFailed).json();
    assertThat(node.get("hold").get("kind").asText()).isEqualTo("evacuation");
    assertThat(asAdmin().get("/api/v1/hosts/" + failed).json().get("state").asText()).isEqualTo("down");

    HistoricProcessInstance process = processOf(done);
    BpmnAwareTests.assertThat(Processes.of(process)).hasPassed("Task_FenceHost", HostEvacuationProcess.TASK_WAIT_FOR_FENCING,
        HostEvacuationProcess.TASK_MARK_HOST_DOWN, HostEvacuationProcess.TASK_CLAIM_INSTANCES,
        HostEvacuationProcess.TASK_REBUILD_INSTANCE, HostEvacuationProcess.TASK_VERIFY_PLACEMENT,
        HostEvacuationProcess.TASK_SUMMARIZE, HostEvacuationProcess.END_COMPLETED)
        .hasNotPassed(HostEvacuationProcess.TASK_CONFIRM_POWERED_OFF, HostEvacuationProcess.TASK_DECIDE_ON_INSTANCE);
    assertThat(process.getBusinessKey()).isEqualTo(failed);
  }

  @Test
  void fencingThatCannotBeConfirmedWaitsForAnOperatorAndRebuildsNothingBefore() {
    String failed = host(0, true);
    host(4, true);
    List<String> instances = instances(failed, 3);
    fleet.freeze(bmcOf(failed));
    try {
      String id = asAdmin().post("/api/v1/hosts/" + failed + "/evacuations", Map.of()).json().get("id").asText();
      JsonNode waiting = awaitStatus(id, "waiting-for-operator");
      assertThat(waiting.get("fencing").get("status").asText()).isEqualTo("unconfirmed");
      assertThat(waiting.get("fencing").get("detail").asText()).contains("failed").contains("did not answer");
      Task confirm = awaitTask(waiting, HostEvacuationProcess.TASK_CONFIRM_POWERED_OFF);
      assertThat(confirm.getName()).isEqualTo("Confirm host " + failed + " is powered off");
      assertThat(tasks.createTaskQuery().taskId(confirm.getId()).taskCandidateGroup("operators").count()).isEqualTo(1);
      assertThat(webhook.callsOf(id)).isEmpty();
      assertThat(waiting.get("instances")).isEmpty();

      ApiClient operator = asMemberOf("evacoperator", "operators");
      ApiClient.Response completed = operator.post("/engine-rest/task/" + confirm.getId() + "/complete",
          Map.of("variables", Map.of("fencingDecision", Map.of("value", "confirmed"),
              "fencingComment", Map.of("value", "PDU outlet switched off"))));
      assertThat(completed.status()).as(completed.toString()).isEqualTo(204);

      JsonNode done = awaitStatus(id, "succeeded");
      assertThat(done.get("fencing").get("status").asText()).isEqualTo("confirmed");
      assertThat(done.get("fencing").get("by").asText()).isEqualTo("evacoperator");
      assertThat(done.get("fencing").get("detail").asText()).contains("PDU outlet switched off");
      assertThat(webhook.callsOf(id)).hasSize(instances.size());
      assertThat(webhook.callsOf(id).stream().mapToLong(RebuildReceiver.Call::epochMillis).min().orElseThrow())
          .isGreaterThanOrEqualTo(done.get("fencing").get("at").asText().isEmpty() ? 0
              : Instant.parse(done.get("fencing").get("at").asText()).toEpochMilli());
      BpmnAwareTests.assertThat(Processes.of(processOf(done))).hasPassed(HostEvacuationProcess.TASK_CONFIRM_POWERED_OFF,
          HostEvacuationProcess.END_COMPLETED);
    } finally {
      fleet.thaw(bmcOf(failed));
    }
  }

  @Test
  void anOperatorWhoCannotConfirmFencingAbortsTheEvacuation() {
    String failed = host(0, true);
    host(4, true);
    instances(failed, 2);
    fleet.freeze(bmcOf(failed));
    try {
      String id = asAdmin().post("/api/v1/hosts/" + failed + "/evacuations", Map.of()).json().get("id").asText();
      Task confirm = awaitTask(awaitStatus(id, "waiting-for-operator"), HostEvacuationProcess.TASK_CONFIRM_POWERED_OFF);
      ApiClient operator = asMemberOf("evacoperator", "operators");
      assertThat(operator.post("/engine-rest/task/" + confirm.getId() + "/complete",
          Map.of("variables", Map.of("fencingDecision", Map.of("value", "abort"),
              "fencingComment", Map.of("value", "nobody on site")))).status()).isEqualTo(204);

      JsonNode done = awaitStatus(id, "failed");
      assertThat(done.get("result").asText()).contains("aborted by evacoperator").contains("nothing was rebuilt")
          .contains("nobody on site");
      assertThat(done.get("fencing").get("status").asText()).isEqualTo("aborted");
      assertThat(webhook.callsOf(id)).isEmpty();
      BpmnAwareTests.assertThat(Processes.of(processOf(done))).hasPassed(HostEvacuationProcess.END_ABORTED)
          .hasNotPassed(HostEvacuationProcess.TASK_MARK_HOST_DOWN);
      // the host is free for a new evacuation, down until an operator says it is up again
      JsonNode host = asAdmin().get("/api/v1/hosts/" + failed).json();
      assertThat(host.get("evacuation").isNull()).isTrue();
      assertThat(host.get("state").asText()).isEqualTo("down");
      assertThat(asAdmin().put("/api/v1/hosts/" + failed, Map.of("state", "sideways")).status()).isEqualTo(400);
      ApiClient.Response repaired = asAdmin().put("/api/v1/hosts/" + failed, Map.of("state", "up", "capacity", 3));
      assertThat(repaired.status()).as(repaired.toString()).isEqualTo(200);
      assertThat(repaired.json().get("state").asText()).isEqualTo("up");
      assertThat(repaired.json().get("capacity").asInt()).isEqualTo(3);
    } finally {
      fleet.thaw(bmcOf(failed));
    }
  }

  @Test
  void twoStartsForOneHostAtOnceMakeOneEvacuation() throws Exception {
    String failed = host(0, false);
    host(4, false);
    instances(failed, 2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<ApiClient.Response>> answers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      answers.add(pool.submit(() -> {
        go.await();
        return asAdmin().post("/api/v1/hosts/" + failed + "/evacuations", Map.of("reason", "twice"));
      }));
    }
    go.countDown();
    List<ApiClient.Response> responses = new ArrayList<>();
    for (Future<ApiClient.Response> answer : answers) {
      responses.add(answer.get());
    }
    pool.shutdown();
    assertThat(responses.stream().map(ApiClient.Response::status).sorted().toList()).isEqualTo(List.of(200, 202));
    assertThat(responses.get(0).json().get("id").asText()).isEqualTo(responses.get(1).json().get("id").asText());
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM lo_evacuation WHERE host_id = ?", Integer.class, failed))
        .isEqualTo(1);
    awaitStatus(responses.get(0).json().get("id").asText(), "succeeded");
  }

  @Test
  void aFailedRebuildWaitsForAnOperatorWithoutHoldingUpTheOthers() {
    String failed = host(0, false);
    String first = host(8, false);
    String second = host(20, false);
    List<String> instances = instances(failed, 6);
    String refused = instances.get(0);
    String givenUp = instances.get(1);
    String flaky = instances.get(2);
    // claims go to the host with the most room: all six to second; another host then means first
    webhook.refuseTarget(refused, second);
    webhook.refuseTarget(givenUp, second);
    webhook.failTransiently(flaky, 1);

    String id = asAdmin().post("/api/v1/hosts/" + failed + "/evacuations", Map.of()).json().get("id").asText();
    JsonNode waiting = awaitStatus(id, "waiting-for-operator");
    Task refusedTask = awaitInstanceTask(waiting, refused);
    Task givenUpTask = awaitInstanceTask(waiting, givenUp);
    JsonNode meanwhile = awaitInstances(id, Map.of(refused, "waiting-for-operator", givenUp, "waiting-for-operator"), 4);
    assertThat(stateOf(meanwhile, refused).get("lastError").asText()).contains("answered 400")
        .contains("cannot take " + refused);
    assertThat(refusedTask.getName()).isEqualTo("Decide on instance " + refused + " of host " + failed);

    // a 503 was retried with the same key and target: the receiver saw the claim twice, identically
    List<RebuildReceiver.Call> flakyCalls = webhook.callsOf(id).stream().filter(c -> c.instanceId().equals(flaky)).toList();
    assertThat(flakyCalls).hasSize(2);
    assertThat(flakyCalls.get(0).answered()).isEqualTo(503);
    assertThat(flakyCalls.get(1).idempotencyKey()).isEqualTo(flakyCalls.get(0).idempotencyKey());
    assertThat(flakyCalls.get(1).toHost()).isEqualTo(flakyCalls.get(0).toHost());

    ApiClient operator = asMemberOf("evacoperator", "operators");
    assertThat(operator.post("/engine-rest/task/" + refusedTask.getId() + "/complete",
        Map.of("variables", Map.of("instanceDecision", Map.of("value", "other-host")))).status()).isEqualTo(204);
    assertThat(operator.post("/engine-rest/task/" + givenUpTask.getId() + "/complete",
        Map.of("variables", Map.of("instanceDecision", Map.of("value", "give-up")))).status()).isEqualTo(204);

    JsonNode done = awaitStatus(id, "failed");
    assertThat(done.get("result").asText()).contains("1 instance(s) given up [" + givenUp + "]");
    JsonNode moved = stateOf(done, refused);
    assertThat(moved.get("state").asText()).isEqualTo("placed");
    assertThat(moved.get("placedOn").asText()).isEqualTo(first);
    List<RebuildReceiver.Call> refusedCalls = webhook.callsOf(id).stream()
        .filter(c -> c.instanceId().equals(refused)).toList();
    assertThat(refusedCalls.get(refusedCalls.size() - 1).idempotencyKey()).isEqualTo(id + "/" + refused + "/2");
    assertThat(refusedCalls.get(refusedCalls.size() - 1).toHost()).isEqualTo(first);
    assertThat(stateOf(done, givenUp).get("state").asText()).isEqualTo("given-up");
    assertThat(stateOf(done, givenUp).get("lastError").asText()).contains("given up by evacoperator");
    assertThat(asAdmin().get("/api/v1/instances/" + givenUp).json().get("host").asText()).isEqualTo(failed);
    BpmnAwareTests.assertThat(Processes.of(processOf(done))).hasPassed(HostEvacuationProcess.TASK_DECIDE_ON_INSTANCE,
        HostEvacuationProcess.END_INSTANCE_GIVEN_UP, HostEvacuationProcess.END_COMPLETED);
  }

  @Test
  void anOperatorsRetryRebuildsTheInstanceOnTheSameTargetOnceItTakesIt() {
    String failed = host(0, false);
    // a small host: enough for the one instance, never the most room another test counts on
    host(2, false);
    String instance = instances(failed, 1).get(0);
    webhook.refuseEveryTarget(instance);

    String id = asAdmin().post("/api/v1/hosts/" + failed + "/evacuations", Map.of()).json().get("id").asText();
    JsonNode waiting = awaitStatus(id, "waiting-for-operator");
    Task task = awaitInstanceTask(waiting, instance);
    waiting = awaitInstances(id, Map.of(instance, "waiting-for-operator"), 0);
    assertThat(stateOf(waiting, instance).get("lastError").asText()).contains("answered 400");
    // the target chosen (the host with the most room, among every test's hosts) is the one a retry keeps
    String target = stateOf(waiting, instance).get("target").asText();
    int refusedCalls = webhook.callsOf(id).size();

    webhook.allowTargets(instance);
    ApiClient operator = asMemberOf("evacoperator", "operators");
    assertThat(operator.post("/engine-rest/task/" + task.getId() + "/complete",
        Map.of("variables", Map.of("instanceDecision", Map.of("value", "retry")))).status()).isEqualTo(204);

    JsonNode done = awaitStatus(id, "succeeded");
    assertThat(stateOf(done, instance).get("state").asText()).isEqualTo("placed");
    assertThat(stateOf(done, instance).get("placedOn").asText()).isEqualTo(target);
    assertThat(asAdmin().get("/api/v1/instances/" + instance).json().get("host").asText()).isEqualTo(target);
    List<RebuildReceiver.Call> calls = webhook.callsOf(id);
    assertThat(calls).as("the refused call(s), then exactly one more").hasSize(refusedCalls + 1);
    assertThat(calls.get(calls.size() - 1).toHost()).isEqualTo(target);
    assertThat(calls.get(calls.size() - 1).answered()).isBetween(200, 299);
    BpmnAwareTests.assertThat(Processes.of(processOf(done))).hasPassed(HostEvacuationProcess.TASK_DECIDE_ON_INSTANCE,
        HostEvacuationProcess.END_COMPLETED);
  }

  @Test
  void startsOverTheEngineRestApiAreValidatedLikeTheDomainApi() {
    ApiClient operator = asMemberOf("evacoperator", "operators");
    ApiClient.Response unknown = operator.post("/engine-rest/process-definition/key/host-evacuation/start",
        Map.of("variables", Map.of("hostId", Map.of("value", "no-such-host"))));
    assertThat(unknown.status()).as(unknown.toString()).isEqualTo(200);
    BpmnAwareTests.assertThat(Processes.of(history.createHistoricProcessInstanceQuery()
        .processInstanceId(unknown.json().get("id").asText()).singleResult()))
        .hasPassed(HostEvacuationProcess.END_REJECTED);
    assertThat(asAdmin().post("/api/v1/hosts/no-such-host/evacuations", Map.of()).status()).isEqualTo(404);
    ApiClient.Response badId = operator.post("/engine-rest/process-definition/key/host-evacuation/start",
        Map.of("variables", Map.of("hostId", Map.of("value", "no-such-host"), "evacuationId", Map.of("value", "x'; --"),
            "reason", Map.of("value", "r".repeat(2000)))));
    assertThat(badId.status()).as(badId.toString()).isEqualTo(200);
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM lo_evacuation WHERE host_id = 'no-such-host'", Integer.class))
        .isZero();

    String failed = host(0, false);
    host(2, false);
    instances(failed, 1);
    ApiClient.Response started = operator.post("/engine-rest/process-definition/key/host-evacuation/start",
        Map.of("businessKey", failed));
    assertThat(started.status()).as(started.toString()).isEqualTo(200);
    ApiClient.Response again = operator.post("/engine-rest/process-definition/key/host-evacuation/start",
        Map.of("variables", Map.of("hostId", Map.of("value", failed))));
    BpmnAwareTests.assertThat(Processes.of(history.createHistoricProcessInstanceQuery()
        .processInstanceId(again.json().get("id").asText()).singleResult()))
        .hasPassed(HostEvacuationProcess.END_ALREADY_RUNNING);
    JsonNode list = asAdmin().get("/api/v1/evacuations?host=" + failed).json();
    assertThat(list.get("total").asInt()).isEqualTo(1);
    JsonNode evacuation = list.get("items").get(0);
    assertThat(evacuation.get("requestedBy").asText()).isEqualTo("evacoperator");
    awaitStatus(evacuation.get("id").asText(), "succeeded");
    assertThat(asAdmin().get("/api/v1/evacuations?status=bogus").status()).isEqualTo(400);
  }

  @Test
  void aComputeServiceThatRefusesToMarkTheHostDownFailsTheEvacuationWithItsReason() {
    String id = java.util.UUID.randomUUID().toString();
    String node = nodeOf(host(0, false));
    jdbc.update("INSERT INTO lo_evacuation (id, host_id, node_id, active_host_id, status, requested_by, requested_at, "
        + "fencing_status) VALUES (?, 'ghost-host', ?, 'ghost-host', 'running', 'test', CURRENT_TIMESTAMP, 'confirmed')",
        id, node);
    org.camunda.bpm.engine.runtime.ProcessInstance process = engine.getRuntimeService()
        .createProcessInstanceByKey(HostEvacuationProcess.KEY).businessKey("ghost-host")
        .setVariable("evacuationId", id).setVariable("hostId", "ghost-host")
        .startBeforeActivity(HostEvacuationProcess.TASK_MARK_HOST_DOWN).execute();

    JsonNode failed = awaitStatus(id, "failed");
    assertThat(failed.get("result").asText())
        .isEqualTo("the compute service refused: host 'ghost-host' is not in the inventory");
    BpmnAwareTests.assertThat(process).isEnded().hasPassed("Task_RecordEvacuationFailed", HostEvacuationProcess.END_FAILED)
        .hasNotPassed(HostEvacuationProcess.TASK_CLAIM_INSTANCES);
  }

  @Test
  void viewersReadEvacuationsButCannotStartThem() {
    String failed = host(0, false);
    ApiClient viewer = asMemberOf("evacviewer", "viewers");
    assertThat(viewer.post("/api/v1/hosts/" + failed + "/evacuations", Map.of()).status()).isEqualTo(403);
    assertThat(viewer.get("/api/v1/evacuations?host=" + failed).status()).isEqualTo(200);
    assertThat(viewer.get("/api/v1/hosts/" + failed).status()).isEqualTo(200);
    assertThat(anonymous().get("/api/v1/evacuations").status()).isEqualTo(401);
  }

  @Test
  void hostsAndInstancesRefuseBadInputWithAReason() {
    String host = host(1, false);
    assertThat(asAdmin().post("/api/v1/hosts", Map.of("id", "Bad Id", "node", nodeOf(host), "capacity", 1)).status())
        .isEqualTo(400);
    ApiClient.Response noNode = asAdmin().post("/api/v1/hosts", Map.of("id", "h-no-node", "node", "nope", "capacity", 1));
    assertThat(noNode.status()).isEqualTo(400);
    assertThat(noNode.json().get("detail").asText()).contains("node 'nope' does not exist");
    assertThat(asAdmin().post("/api/v1/hosts", Map.of("id", host, "node", nodeOf(host), "capacity", 1)).status())
        .isEqualTo(409);
    assertThat(asAdmin().post("/api/v1/hosts", Map.of("id", "h-neg", "node", nodeOf(host), "capacity", -1)).status())
        .isEqualTo(400);
    assertThat(asAdmin().post("/api/v1/instances", Map.of("id", "i-x", "host", "nope")).status()).isEqualTo(400);
    assertThat(asAdmin().post("/api/v1/instances", Map.of("id", "i-x", "host", host, "size", 0)).status()).isEqualTo(400);
    String instance = instances(host, 1).get(0);
    assertThat(asAdmin().delete("/api/v1/hosts/" + host).status()).isEqualTo(409);
    assertThat(asAdmin().delete("/api/v1/nodes/" + nodeOf(host)).status()).isEqualTo(409);
    assertThat(asAdmin().get("/api/v1/instances?host=" + host).json().get("total").asInt()).isEqualTo(1);
    assertThat(asAdmin().delete("/api/v1/instances/" + instance).status()).isEqualTo(204);
    assertThat(asAdmin().delete("/api/v1/hosts/" + host).status()).isEqualTo(204);
    assertThat(asAdmin().get("/api/v1/hosts/" + host).status()).isEqualTo(404);
  }

  // -- fixtures

  /** A host with a node of its own: on an IPMI simulator (powered on), or on the in-memory sim driver. */
  private String host(int capacity, boolean ipmi) {
    String name = "ev" + NEXT_NAME.incrementAndGet() + "-" + System.nanoTime() % 100000;
    Map<String, Object> bmc;
    if (ipmi) {
      int index = NEXT_BMC.getAndIncrement() % fleet.size();
      fleet.setPower(index, true);
      bmc = Map.of("driver", "ipmi", "host", fleet.host(), "port", fleet.port(index), "username", "admin",
          "password", fleet.password());
    } else {
      bmc = Map.of("driver", "sim", "host", "sim-" + name, "username", "admin", "password", "sim-pw");
    }
    assertThat(asAdmin().post("/api/v1/nodes", Map.of("id", "node-" + name, "bmc", bmc)).status()).isEqualTo(201);
    ApiClient.Response created = asAdmin().post("/api/v1/hosts",
        Map.of("id", name, "node", "node-" + name, "capacity", capacity));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return name;
  }

  private String nodeOf(String host) {
    return "node-" + host;
  }

  private int bmcOf(String host) {
    int port = asAdmin().get("/api/v1/nodes/" + nodeOf(host)).json().get("bmc").get("port").asInt();
    for (int i = 0; i < fleet.size(); i++) {
      if (fleet.port(i) == port) {
        return i;
      }
    }
    throw new IllegalStateException("no simulator on port " + port);
  }

  private List<String> instances(String host, int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = host + "-vm" + i;
      ApiClient.Response created = asAdmin().post("/api/v1/instances", Map.of("id", id, "host", host));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      ids.add(id);
    }
    return ids;
  }

  private JsonNode awaitStatus(String id, String status) {
    return Evacuations.awaitStatus(asAdmin(), id, status, Duration.ofSeconds(90));
  }


  private JsonNode awaitInstances(String id, Map<String, String> states, int placed) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    JsonNode read = null;
    while (Instant.now().isBefore(deadline)) {
      read = asAdmin().get("/api/v1/evacuations/" + id).json();
      JsonNode current = read;
      long nowPlaced = 0;
      boolean matches = true;
      for (JsonNode instance : current.get("instances")) {
        nowPlaced += instance.get("state").asText().equals("placed") ? 1 : 0;
        String wanted = states.get(instance.get("id").asText());
        matches &= wanted == null || wanted.equals(instance.get("state").asText());
      }
      if (matches && nowPlaced == placed) {
        return read;
      }
      sleep();
    }
    throw new AssertionError("evacuation " + id + " did not reach " + states + " with " + placed + " placed: " + read);
  }

  private Task awaitTask(JsonNode evacuation, String taskKey) {
    String processInstanceId = evacuation.get("processInstanceId").asText();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      List<Task> found = tasks.createTaskQuery().processInstanceId(processInstanceId).taskDefinitionKey(taskKey).list();
      if (!found.isEmpty()) {
        return found.get(0);
      }
      sleep();
    }
    throw new AssertionError("no task " + taskKey + " for " + evacuation);
  }

  private Task awaitInstanceTask(JsonNode evacuation, String instanceId) {
    String processInstanceId = evacuation.get("processInstanceId").asText();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (Instant.now().isBefore(deadline)) {
      for (Task task : tasks.createTaskQuery().processInstanceId(processInstanceId)
          .taskDefinitionKey(HostEvacuationProcess.TASK_DECIDE_ON_INSTANCE).list()) {
        if (instanceId.equals(tasks.getVariable(task.getId(), "instanceId"))) {
          return task;
        }
      }
      sleep();
    }
    throw new AssertionError("no decision task for instance " + instanceId);
  }

  private static JsonNode stateOf(JsonNode evacuation, String instanceId) {
    for (JsonNode instance : evacuation.get("instances")) {
      if (instance.get("id").asText().equals(instanceId)) {
        return instance;
      }
    }
    throw new AssertionError("instance " + instanceId + " not in " + evacuation);
  }

  private HistoricProcessInstance processOf(JsonNode evacuation) {
    return history.createHistoricProcessInstanceQuery()
        .processInstanceId(evacuation.get("processInstanceId").asText()).singleResult();
  }

  private double counted(String name, String tag, String value) {
    io.micrometer.core.instrument.Counter counter = meters.find(name).tag(tag, value).counter();
    return counter == null ? 0 : counter.count();
  }

  private static void sleep() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
