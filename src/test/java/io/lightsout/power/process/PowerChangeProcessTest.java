package io.lightsout.power.process;

import static io.lightsout.power.process.PowerChangeProcess.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.lightsout.bmc.ChassisCommand;
import io.lightsout.bmc.PowerState;
import io.lightsout.power.Hold;
import io.lightsout.power.JoinCommand;
import io.lightsout.power.PlacedRequests;
import io.lightsout.power.PowerQueue;
import io.lightsout.power.PowerRequestRepository;
import io.lightsout.power.PowerRequestService;
import io.lightsout.power.PowerRequestService.SubmitResult;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.ProcessTest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every path of processes/power-change.bpmn: where the token went, and what the node's simulated BMC received and
 * the request's row holds. Detours that a real run reaches only by a race are started where they begin.
 */
class PowerChangeProcessTest extends ProcessTest {

  // ids of the model that Java outside tests does not need (PowerChangeProcess holds the others)
  private static final String TASK_JOIN_QUEUE = "Task_JoinQueue";
  private static final String EVENT_WITHDRAWN = "Event_Withdrawn";
  private static final String EVENT_TRANSITION_UNDERWAY = "Event_TransitionUnderway";
  private static final String EVENT_COMMAND_INTERVAL_PASSED = "Event_CommandIntervalPassed";
  private static final String TASK_POWER_ON_AFTER_INTERVAL = "Task_PowerOnAfterInterval";
  /** lightsout.bmc.min-command-interval of the tests' application context (PostgresIntegrationTest). */
  private static final Duration COMMAND_INTERVAL = Duration.ofMillis(50);
  private static final String TASK_RECORD_SUCCESS = "Task_RecordSuccess";
  private static final String TASK_RECORD_FAILURE = "Task_RecordFailure";
  private static final String END_SUCCEEDED = "End_Succeeded";
  private static final String END_FAILED = "End_Failed";
  private static final String END_WITHDRAWN = "End_Withdrawn";

  @Autowired
  PowerQueue queue;
  @Autowired
  PowerRequestService requests;
  @Autowired
  PlacedRequests placed;
  @Autowired
  PowerRequestRepository requestRows;

  @Test
  void aRequestOnAFreeNodeRunsAtOnceAndSucceeds() {
    String node = simNode("pc-happy", PowerState.OFF, Map.of());

    String request = request(node, "on");

    String instance = instanceOf(KEY, request);
    awaitEnded(instance).hasPassedInOrder(TASK_JOIN_QUEUE, TASK_EXECUTE_POWER_ACTION, TASK_RECORD_SUCCESS, END_SUCCEEDED)
        .hasNotPassed(TASK_WAIT_FOR_TURN, TASK_VERIFY_POWER_STATE);
    assertThat(row(request)).containsEntry("status", "succeeded").containsEntry("process_instance_id", instance);
    assertThat((String) row(request).get("result")).contains("'on' done").contains("1 command(s) sent");
    assertThat(bmc(node).commandsReceived(ChassisCommand.POWER_ON)).isEqualTo(1);
    assertThat(bmc(node).commandsReceived()).isEqualTo(1);
    assertThat(bmc(node).powerState()).isEqualTo(PowerState.ON);
  }

  /**
   * What an instance stores: the node and the action (what Cockpit shows and searches by), without a history detail
   * repeating them; who asked, why, and the other inputs stay in the request's row. Other processes keep their details.
   */
  @Test
  void anInstanceKeepsOnlyTheNodeAndTheActionAndNoDetailRepeatingThem() {
    String node = simNode("pc-vars", PowerState.OFF, Map.of());

    ApiClient.Response accepted = asAdmin().post("/api/v1/nodes/" + node + "/power-requests",
        Map.of("action", "on", "reason", "rack 7 is back", "ifBusy", "queue"), Map.of("Idempotency-Key", "pc-vars-1"));
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    String request = accepted.json().get("id").asText();

    String instance = instanceOf(KEY, request);
    awaitEnded(instance).hasPassed(END_SUCCEEDED);
    assertThat(history.createHistoricVariableInstanceQuery().processInstanceId(instance).list())
        .extracting(v -> v.getName() + "=" + v.getValue()).containsExactlyInAnyOrder("nodeId=" + node, "action=on");
    assertThat(history.createHistoricDetailQuery().processInstanceId(instance).count()).isZero();
    assertThat(row(request)).containsEntry("reason", "rack 7 is back").containsEntry("if_busy", "queue")
        .containsEntry("idempotency_key", "pc-vars-1").containsEntry("requested_by", accepted.json().get("requestedBy").asText());
    assertThat(accepted.json().get("sequence").asLong()).isEqualTo((Long) row(request).get("seq"));
    assertThat(accepted.json().get("position").asInt()).isZero();
    ApiClient.Response read = asAdmin().get("/api/v1/power-requests/" + request);
    assertThat(accepted.json().get("requestedAt")).as("the accept's answer, built from its join, reads as a GET does")
        .isEqualTo(read.json().get("requestedAt"));
    assertThat(accepted.json().get("startedAt")).isEqualTo(read.json().get("startedAt"));

    String probe = engine.getRepositoryService().createDeployment().name("detail-probe")
        .addModelInstance("detail-probe.bpmn", Bpmn.createExecutableProcess("detail-probe")
            .camundaHistoryTimeToLive(1).startEvent().endEvent().done())
        .deploy().getId();
    try {
      String other = runtime.startProcessInstanceByKey("detail-probe", Map.of("x", "1")).getId();
      assertThat(history.createHistoricDetailQuery().processInstanceId(other).count()).isEqualTo(1);
    } finally {
      engine.getRepositoryService().deleteDeployment(probe, true);
    }
  }

  /** An attempt is counted in one statement when the count is as read, and still counted right when it is not. */
  @Test
  void anAttemptIsCountedFromTheCountAsReadOrFromTheRowWhenThatMoved() {
    String node = simNode("pc-attempts", PowerState.OFF, Map.of());
    hold(node);
    String request = request(node, "on");

    assertThat(requestRows.countAttempt(request, "instance-a", 0)).isEqualTo(1);
    assertThat(requestRows.countAttempt(request, "instance-b", 0)).as("read before the first count").isEqualTo(2);
    assertThat(row(request)).containsEntry("attempts", 2).containsEntry("owner_instance", "instance-b");
    assertThat(bmc(node).commandsReceived()).isZero();
  }

  @Test
  void aCycleSendsOffThenWaitsOutTheCommandIntervalOnATimerThenSendsOn() {
    String node = simNode("pc-cycle", PowerState.ON, Map.of());

    String request = request(node, "cycle");

    String instance = instanceOf(KEY, request);
    awaitEnded(instance).hasPassedInOrder(TASK_EXECUTE_POWER_ACTION, EVENT_COMMAND_INTERVAL_PASSED,
        TASK_POWER_ON_AFTER_INTERVAL, TASK_RECORD_SUCCESS, END_SUCCEEDED).hasNotPassed(TASK_VERIFY_POWER_STATE);
    HistoricActivityInstance off = step(instance, TASK_EXECUTE_POWER_ACTION);
    HistoricActivityInstance on = step(instance, TASK_POWER_ON_AFTER_INTERVAL);
    // the pause is the timer's, not a sleeping job thread's: the second step begins no sooner than the interval
    assertThat(on.getStartTime().getTime() - off.getEndTime().getTime())
        .isGreaterThanOrEqualTo(COMMAND_INTERVAL.toMillis());
    // the timer's job carries on into the second step: no job of its own
    assertThat(history.createHistoricJobLogQuery().processInstanceId(instance).creationLog().count())
        .as("jobs: execute, then the timer").isEqualTo(2);
    assertThat(bmc(node).commandsReceived(ChassisCommand.POWER_OFF)).isEqualTo(1);
    assertThat(bmc(node).commandsReceived(ChassisCommand.POWER_ON)).isEqualTo(1);
    assertThat(bmc(node).commandsReceived()).isEqualTo(2);
    assertThat(bmc(node).powerState()).isEqualTo(PowerState.ON);
    assertThat(row(request)).containsEntry("status", "succeeded").containsEntry("off_reached", true);
    assertThat((String) row(request).get("result")).contains("'cycle' done").contains("2 command(s) sent");
  }

  @Test
  void aCycleOfANodeThatIsOffSendsOnlyOnWithoutAPause() {
    String node = simNode("pc-cycle-off", PowerState.OFF, Map.of());

    String request = request(node, "cycle");

    awaitEnded(instanceOf(KEY, request)).hasPassed(TASK_EXECUTE_POWER_ACTION, END_SUCCEEDED)
        .hasNotPassed(EVENT_COMMAND_INTERVAL_PASSED);
    assertThat(bmc(node).commandsReceived(ChassisCommand.POWER_ON)).isEqualTo(1);
    assertThat(bmc(node).commandsReceived()).isEqualTo(1);
    assertThat((String) row(request).get("result")).contains("1 command(s) sent");
  }

  @Test
  void aRequestBehindAHeldQueueWaitsForItsTurnAndSendsNothingBefore() {
    String node = simNode("pc-queued", PowerState.OFF, Map.of());
    hold(node);

    String request = request(node, "on");

    String instance = instanceOf(KEY, request);
    awaitWaitingAt(instance, TASK_WAIT_FOR_TURN).hasNotPassed(TASK_EXECUTE_POWER_ACTION);
    assertThat(row(request)).containsEntry("status", "queued");
    assertThat(bmc(node).commandsReceived()).isZero();

    resume(node);

    awaitEnded(instance).hasPassedInOrder(TASK_WAIT_FOR_TURN, TASK_EXECUTE_POWER_ACTION, TASK_RECORD_SUCCESS,
        END_SUCCEEDED);
    assertThat(row(request)).containsEntry("status", "succeeded");
    assertThat(bmc(node).commandsReceived(ChassisCommand.POWER_ON)).isEqualTo(1);
  }

  @Test
  void anIdenticalRequestMergesIntoTheLastOpenOneAndIsSentOnce() {
    String node = simNode("pc-merged", PowerState.OFF, Map.of());
    hold(node);
    String first = request(node, "on");

    String second = request(node, "on");

    awaitEnded(instanceOf(KEY, second)).hasPassed(TASK_JOIN_QUEUE, END_MERGED)
        .hasNotPassed(TASK_WAIT_FOR_TURN, TASK_EXECUTE_POWER_ACTION);
    assertThat(row(second)).containsEntry("status", "merged").containsEntry("merged_into", first);
    resume(node);
    awaitEnded(instanceOf(KEY, first)).hasPassed(END_SUCCEEDED);
    assertThat(bmc(node).commandsReceived(ChassisCommand.POWER_ON)).isEqualTo(1);
  }

  @Test
  void aWaitingRequestThatIsCancelledEndsWithdrawnAndNeverReachesTheBmc() {
    String node = simNode("pc-cancel", PowerState.ON, Map.of());
    hold(node);
    String request = request(node, "off");
    String instance = instanceOf(KEY, request);
    awaitWaitingAt(instance, TASK_WAIT_FOR_TURN);

    assertThat(asAdmin().delete("/api/v1/power-requests/" + request).status()).isEqualTo(200);

    awaitEnded(instance).hasPassed(EVENT_WITHDRAWN, END_WITHDRAWN).hasNotPassed(TASK_EXECUTE_POWER_ACTION);
    assertThat(row(request)).containsEntry("status", "cancelled");
    resume(node);
    assertThat(bmc(node).commandsReceived()).isZero();
    assertThat(bmc(node).powerState()).isEqualTo(PowerState.ON);
  }

  /** A batch's item is placed in its queue first and its process starts behind (PlacedRequests). */
  @Test
  void aPlacedRequestIsJoinedByItsProcessAsItStandsAndRunsAsTheOneWhoPlacedIt() {
    String node = simNode("pc-placed", PowerState.OFF, Map.of());
    hold(node);
    List<String> placedIds = transaction.execute(status -> {
      List<String> ids = List.of(placeIn(node, "on", "placer-1"), placeIn(node, "on", "placer-2"),
          placeIn(node, "off", "placer-3"));
      assertThat(row(ids.get(0))).containsEntry("status", "queued").containsEntry("process_instance_id", null);
      assertThat(row(ids.get(1))).containsEntry("status", "merged");
      return ids;
    });
    String first = placedIds.get(0);
    String second = placedIds.get(1);
    String third = placedIds.get(2);

    placed.wake();

    await("the placed requests' processes", () -> rowsOf(node).stream().allMatch(r -> r.get("process_instance_id") != null));
    awaitWaitingAt(instanceOf(KEY, first), TASK_WAIT_FOR_TURN);
    awaitEnded(instanceOf(KEY, second)).hasPassed(END_MERGED).hasNotPassed(TASK_WAIT_FOR_TURN);
    assertThat(row(first)).containsEntry("requested_by", "placer-1");
    assertThat(bmc(node).commandsReceived()).isZero();

    resume(node);

    awaitEnded(instanceOf(KEY, first)).hasPassedInOrder(TASK_JOIN_QUEUE, TASK_WAIT_FOR_TURN, TASK_EXECUTE_POWER_ACTION,
        END_SUCCEEDED);
    awaitEnded(instanceOf(KEY, third)).hasPassed(END_SUCCEEDED);
    assertThat(bmc(node).commandsReceived(ChassisCommand.POWER_ON)).isEqualTo(1);
    assertThat(bmc(node).commandsReceived(ChassisCommand.POWER_OFF)).isEqualTo(1);
    assertThat(bmc(node).powerState()).isEqualTo(PowerState.OFF);
  }

  @Test
  void aPlacedRequestCancelledBeforeItsProcessStartedEndsWithdrawnAndNeverReachesTheBmc() {
    String node = simNode("pc-placed-cancel", PowerState.ON, Map.of());
    hold(node);
    String request = transaction.execute(status -> {
      String placedId = placeIn(node, "off", "placer");
      assertThat(queue.cancel(placedId, "placer")).isEqualTo(PowerQueue.CancelOutcome.CANCELLED);
      return placedId;
    });

    placed.wake();

    await("the cancelled request's process", () -> row(request).get("process_instance_id") != null);
    String instance = instanceOf(KEY, request);
    awaitEnded(instance).hasPassedInOrder(TASK_JOIN_QUEUE, END_WITHDRAWN).hasNotPassed(TASK_WAIT_FOR_TURN,
        TASK_EXECUTE_POWER_ACTION);
    assertThat(row(request)).containsEntry("status", "cancelled").containsEntry("process_instance_id", instance);
    resume(node);
    assertThat(bmc(node).commandsReceived()).isZero();
  }

  @Test
  void aPlacedRequestGrantedItsTurnBeforeItsProcessStartedRunsAtOnce() {
    String node = simNode("pc-placed-turn", PowerState.ON, Map.of());
    hold(node);
    String request = transaction.execute(status -> {
      String placedId = placeIn(node, "off", "placer");
      assertThat(queue.resume(node, "a test")).isTrue();
      assertThat(row(placedId)).containsEntry("status", "running").containsEntry("process_instance_id", null);
      return placedId;
    });

    placed.wake();

    await("the granted request's process", () -> row(request).get("process_instance_id") != null);
    awaitEnded(instanceOf(KEY, request)).hasPassedInOrder(TASK_JOIN_QUEUE, TASK_EXECUTE_POWER_ACTION, END_SUCCEEDED)
        .hasNotPassed(TASK_WAIT_FOR_TURN);
    assertThat(bmc(node).commandsReceived(ChassisCommand.POWER_OFF)).isEqualTo(1);
    assertThat(bmc(node).commandsReceived()).isEqualTo(1);
  }

  private String placeIn(String node, String action, String by) {
    SubmitResult placedRequest = requests.place(new PowerRequestService.Submission(node, action, null, "placed by a test",
        null, null, by));
    assertThat(placedRequest).as(placedRequest.toString()).isInstanceOf(SubmitResult.Accepted.class);
    return ((SubmitResult.Accepted) placedRequest).request().id();
  }

  @Test
  void aNodeHeldAfterTheTurnWasGrantedSendsTheRequestBackToTheQueue() {
    String node = simNode("pc-back", PowerState.OFF, Map.of());
    String request = UUID.randomUUID().toString();

    // the turn is granted at the start and the node held before the execute job runs: one transaction, no race
    String instance = transaction.execute(status -> {
      String id = start(request, node, "on", Map.of());
      queue.hold(node, new Hold(Hold.Kind.OPERATOR, "held between turn and execution", Instant.now()));
      return id;
    });

    awaitWaitingAt(instance, TASK_WAIT_FOR_TURN).hasPassed(TASK_EXECUTE_POWER_ACTION);
    assertThat(row(request)).containsEntry("status", "queued");
    assertThat(bmc(node).commandsReceived()).isZero();

    resume(node);

    awaitEnded(instance).hasPassedInOrder(TASK_EXECUTE_POWER_ACTION, TASK_WAIT_FOR_TURN, END_SUCCEEDED);
    assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(instance)
        .activityId(TASK_EXECUTE_POWER_ACTION).count()).as("executed again once its turn came back").isEqualTo(2);
    assertThat(row(request)).containsEntry("status", "succeeded");
    assertThat(bmc(node).commandsReceived(ChassisCommand.POWER_ON)).isEqualTo(1);
  }

  @Test
  void aRequestCancelledAfterItsTurnWasGrantedEndsWithdrawnWithoutTouchingTheBmc() {
    String node = simNode("pc-gone", PowerState.OFF, Map.of());
    String request = UUID.randomUUID().toString();

    // as after an outage: the running request is held as interrupted, then an operator cancels it
    String instance = transaction.execute(status -> {
      String id = start(request, node, "on", Map.of());
      String owner = (String) row(request).get("owner_instance");
      queue.holdInterrupted(node, owner, new Hold(Hold.Kind.OUTAGE, "process test outage", Instant.now()),
          "interrupted in a process test");
      assertThat(queue.cancel(request, "process test")).isEqualTo(PowerQueue.CancelOutcome.CANCELLED);
      return id;
    });

    awaitEnded(instance).hasPassedInOrder(TASK_EXECUTE_POWER_ACTION, END_WITHDRAWN)
        .hasNotPassed(EVENT_WITHDRAWN, TASK_RECORD_SUCCESS, TASK_RECORD_FAILURE);
    assertThat(row(request)).containsEntry("status", "cancelled");
    assertThat(bmc(node).sessionsOpened()).isZero();
  }

  @Test
  void aSlowTransitionIsReadBackUntilTheBmcReportsTheTarget() {
    String node = simNode("pc-slow", PowerState.OFF, Map.of());
    String request = UUID.randomUUID().toString();

    // the detour begins after a command whose effect the BMC did not yet report: started at the timer
    String instance = transaction.execute(status -> {
      Map<String, Object> variables = new HashMap<>();
      REQUEST_ID.putInto(variables, request);
      NODE_ID.putInto(variables, node);
      ACTION.putInto(variables, "on");
      VERIFY_INTERVAL.putInto(variables, "PT2S");
      String id = runtime.createProcessInstanceByKey(KEY).businessKey(request).setVariables(variables)
          .startBeforeActivity(EVENT_TRANSITION_UNDERWAY).execute().getId();
      assertThat(queue.join(new JoinCommand(request, node, "on", "queue", "process-test", null, null, null, id))
          .kind().name()).isEqualTo("RUN");
      return id;
    });

    await("a read-back found the node still off", () -> bmc(node).reads() >= 1);
    awaitWaitingAt(instance, EVENT_TRANSITION_UNDERWAY).hasPassed(TASK_VERIFY_POWER_STATE);
    assertThat(row(request)).containsEntry("status", "running");

    bmc(node).setPowerState(PowerState.ON);

    awaitEnded(instance).hasPassedInOrder(TASK_VERIFY_POWER_STATE, TASK_RECORD_SUCCESS, END_SUCCEEDED)
        .hasNotPassed(TASK_EXECUTE_POWER_ACTION);
    assertThat(row(request)).containsEntry("status", "succeeded");
    assertThat((String) row(request).get("result")).contains("confirmed on a later read-back");
    assertThat(bmc(node).commandsReceived()).isZero();
  }

  @Test
  void anUnreachableBmcFailsTheRequestAndHoldsTheNode() {
    String node = simNode("pc-fail", PowerState.OFF, Map.of("faultRate", "1.0"));

    String request = request(node, "on");

    String instance = instanceOf(KEY, request);
    awaitEnded(instance).hasPassedInOrder(TASK_EXECUTE_POWER_ACTION, TASK_RECORD_FAILURE, END_FAILED)
        .hasNotPassed(TASK_RECORD_SUCCESS);
    assertThat(row(request)).containsEntry("status", "failed");
    assertThat((String) row(request).get("result")).contains("did not answer");
    assertThat(holdKindOf(node)).isEqualTo("bmc-unreachable");
    assertThat(bmc(node).commandsReceived()).isZero();
  }

  @Test
  void aRejectedStartEndsRejectedAndQueuesNothing() {
    String node = simNode("pc-reject", PowerState.OFF, Map.of());
    hold(node);
    String waiting = request(node, "on");

    String instance = start(UUID.randomUUID().toString(), node, "off", Map.of(IF_BUSY.name(), "reject"));

    awaitEnded(instance).hasPassed(TASK_JOIN_QUEUE, END_REJECTED).hasNotPassed(TASK_READ_REJECTION, TASK_WAIT_FOR_TURN);
    assertThat(history.createHistoricVariableInstanceQuery().processInstanceId(instance)
        .variableName(REJECTION.name()).singleResult().getValue()).isEqualTo("NODE_BUSY");
    assertThat(rowsOf(node)).extracting(r -> r.get("id")).containsExactly(waiting);
    assertThat(bmc(node).commandsReceived()).isZero();
  }

  @Test
  void aRejectedStartFromTasklistTellsTheStarterWhyBeforeItEnds() {
    identityService.setAuthentication(ADMIN, List.of("operators"));
    String instance = start(UUID.randomUUID().toString(), "pc-no-such-node", "on", Map.of(STARTED_IN.name(), "tasklist"));

    awaitWaitingAt(instance, TASK_READ_REJECTION).hasPassed(TASK_JOIN_QUEUE).hasNotPassed(END_REJECTED);
    Task task = tasks.createTaskQuery().processInstanceId(instance).singleResult();
    assertThat(task.getAssignee()).isEqualTo(ADMIN);
    tasks.complete(task.getId());

    awaitEnded(instance).hasPassedInOrder(TASK_READ_REJECTION, END_REJECTED);
    assertThat(jdbc.queryForObject("SELECT count(*) FROM lo_power_request WHERE node_id = ?", Integer.class,
        "pc-no-such-node")).isZero();
  }

  /** The one pass of the instance through a step. */
  private HistoricActivityInstance step(String instance, String activityId) {
    return history.createHistoricActivityInstanceQuery().processInstanceId(instance).activityId(activityId)
        .singleResult();
  }

  /** Starts power-change as the engine REST API would, with business key = request id. */
  private String start(String requestId, String nodeId, String action, Map<String, Object> more) {
    Map<String, Object> variables = new HashMap<>(more);
    REQUEST_ID.putInto(variables, requestId);
    NODE_ID.putInto(variables, nodeId);
    ACTION.putInto(variables, action);
    return runtime.createProcessInstanceByKey(KEY).businessKey(requestId).setVariables(variables).execute().getId();
  }
}
