package io.lightsout.outage.process;

import static io.lightsout.outage.process.QueueReviewProcess.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.lightsout.bmc.ChassisCommand;
import io.lightsout.bmc.PowerState;
import io.lightsout.outage.Reviews;
import io.lightsout.testing.ProcessTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.task.Task;
import org.camunda.spin.plugin.variable.SpinValues;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every path of processes/queue-review.bpmn: decided in Tasklist (resume all, cancel all, per request) or settled
 * over REST. The proof is what the held nodes' simulated BMCs received afterwards and what the review row records.
 */
class QueueReviewProcessTest extends ProcessTest {

  // ids of the model that Java outside tests does not need (QueueReviewProcess holds the others)
  private static final String TASK_CARRY_OUT_DECISION = "Task_CarryOutDecision";
  private static final String END_DECISION_CARRIED_OUT = "End_DecisionCarriedOut";
  private static final String EVENT_SETTLED_ELSEWHERE = "Event_SettledElsewhere";
  private static final String END_SETTLED_ELSEWHERE = "End_SettledElsewhere";

  @Autowired
  Reviews reviews;

  @Test
  void resumeAllCarriesOutEveryWaitingRequest() {
    Held held = heldNodeWithWaitingOn("qr-resume");
    String instance = awaitReviewTask(held.review());

    decide(instance, "resume-all", "[]");

    awaitEnded(instance).hasPassedInOrder(TASK_REVIEW, TASK_CARRY_OUT_DECISION, END_DECISION_CARRIED_OUT)
        .hasNotPassed(EVENT_SETTLED_ELSEWHERE);
    assertThat(reviewRow(held.review())).containsEntry("closed_by", ADMIN);
    assertThat((String) reviewRow(held.review()).get("decision")).startsWith("resume-all");
    asAdmin().awaitRequest(held.request(), "succeeded");
    assertThat(holdKindOf(held.node())).isNull();
    assertThat(bmc(held.node()).commandsReceived(ChassisCommand.POWER_ON)).isEqualTo(1);
  }

  @Test
  void cancelAllCancelsEveryWaitingRequestAndSendsNothing() {
    Held held = heldNodeWithWaitingOn("qr-cancel");
    String instance = awaitReviewTask(held.review());

    decide(instance, "cancel-all", "[]");

    awaitEnded(instance).hasPassed(TASK_CARRY_OUT_DECISION, END_DECISION_CARRIED_OUT);
    assertThat(row(held.request())).containsEntry("status", "cancelled");
    assertThat((String) row(held.request()).get("result")).contains(ADMIN + " in review " + held.review());
    assertThat(holdKindOf(held.node())).isNull();
    assertThat(bmc(held.node()).commandsReceived()).isZero();
  }

  @Test
  void perRequestCancelsTheChosenRequestAndRunsTheRest() {
    String node = simNode("qr-chosen", PowerState.OFF, Map.of());
    hold(node);
    String cancelled = request(node, "on");
    String kept = request(node, "off");
    String review = reviews.open("outage", "process test outage", List.of(node), Map.of(node, "off"));
    String instance = awaitReviewTask(review);

    decide(instance, "per-request", "[\"" + cancelled + "\"]");

    awaitEnded(instance).hasPassed(END_DECISION_CARRIED_OUT);
    assertThat(row(cancelled)).containsEntry("status", "cancelled");
    asAdmin().awaitRequest(kept, "succeeded");
    assertThat((String) row(kept).get("result")).contains("nothing sent: it already was");
    assertThat(bmc(node).commandsReceived()).isZero();
  }

  @Test
  void resumingOverRestSettlesTheReviewAndClosesItsTask() {
    Held held = heldNodeWithWaitingOn("qr-rest");
    String instance = awaitReviewTask(held.review());

    resume(held.node());

    awaitEnded(instance).hasPassedInOrder(EVENT_SETTLED_ELSEWHERE, END_SETTLED_ELSEWHERE)
        .hasNotPassed(TASK_CARRY_OUT_DECISION);
    assertThat(tasks.createTaskQuery().processInstanceId(instance).count()).isZero();
    assertThat((String) reviewRow(held.review()).get("decision")).contains("settled outside Tasklist");
    asAdmin().awaitRequest(held.request(), "succeeded");
    assertThat(bmc(held.node()).commandsReceived(ChassisCommand.POWER_ON)).isEqualTo(1);
  }

  private record Held(String node, String request, String review) {}

  /** A held node, off, with an 'on' waiting, and a review opened for it. */
  private Held heldNodeWithWaitingOn(String name) {
    String node = simNode(name, PowerState.OFF, Map.of());
    hold(node);
    String request = request(node, "on");
    String review = reviews.open("outage", "process test outage", List.of(node), Map.of(node, "off"));
    return new Held(node, request, review);
  }

  private String awaitReviewTask(String review) {
    String instance = instanceOf(KEY, review);
    awaitWaitingAt(instance, TASK_REVIEW);
    assertThat(bmc(jdbc.queryForObject("SELECT node_id FROM lo_review_node WHERE review_id = ?", String.class, review))
        .commandsReceived()).as("nothing is sent while the review is open").isZero();
    return instance;
  }

  /** Completes the review task as Tasklist would, as the administrator. */
  private void decide(String instance, String decision, String cancelRequestsJson) {
    Task task = tasks.createTaskQuery().processInstanceId(instance).taskDefinitionKey(TASK_REVIEW).singleResult();
    Map<String, Object> answer = new HashMap<>();
    DECISION.putInto(answer, decision);
    answer.put(CANCEL_NODES, SpinValues.jsonValue("[]").create());
    answer.put(CANCEL_REQUESTS, SpinValues.jsonValue(cancelRequestsJson).create());
    identityService.setAuthentication(ADMIN, List.of("operators"));
    tasks.complete(task.getId(), answer);
    identityService.clearAuthentication();
  }

  private Map<String, Object> reviewRow(String review) {
    return jdbc.queryForMap("SELECT * FROM lo_review WHERE id = ?", review);
  }
}
