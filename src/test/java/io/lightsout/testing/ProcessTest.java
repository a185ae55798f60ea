package io.lightsout.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightsout.bmc.PowerState;
import io.lightsout.bmc.sim.SimBmcDriver;
import io.lightsout.bmc.sim.SimulatedBmc;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.camunda.bpm.engine.test.assertions.bpmn.ProcessInstanceAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Process tests: the shared application context of {@link PostgresIntegrationTest} (so they add no context start),
 * nodes on the in-memory {@code sim} driver (what each BMC received is the proof outside the engine), and
 * camunda-bpm-assert on the token's path. The job executor runs, as in production: a test waits for the token.
 */
public abstract class ProcessTest extends PostgresIntegrationTest {

  private static final AtomicInteger NEXT = new AtomicInteger();
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @Autowired
  protected ProcessEngine engine;

  @Autowired
  protected RuntimeService runtime;

  @Autowired
  protected HistoryService history;

  @Autowired
  protected TaskService tasks;

  @Autowired
  protected JdbcTemplate jdbc;

  @Autowired
  protected TransactionTemplate transaction;

  @Autowired
  private SimBmcDriver sim;

  @BeforeEach
  void assertions() {
    BpmnAwareTests.init(engine);
  }

  @AfterEach
  void logOut() {
    identityService.clearAuthentication();
  }

  /** A node of its own on the {@code sim} driver, its BMC in the given state. */
  protected String simNode(String name, PowerState state, Map<String, String> options) {
    String id = name + "-" + NEXT.incrementAndGet() + "-" + System.nanoTime() % 100000;
    Map<String, Object> bmc = new HashMap<>(Map.of("driver", "sim", "host", "sim-" + id, "port", 623,
        "username", "admin", "password", "x"));
    bmc.put("options", options);
    // registered without the BMC check: some of these BMCs are set to fail, and the test presets the state after
    ApiClient.Response created = asAdmin().post("/api/v1/nodes?check=false", Map.of("id", id, "bmc", bmc));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    bmc(id).setPowerState(state);
    return id;
  }

  /** What the node's simulated BMC received. */
  protected SimulatedBmc bmc(String nodeId) {
    return sim.bmc("sim-" + nodeId + ":623");
  }

  protected String request(String nodeId, String action) {
    ApiClient.Response accepted = asAdmin().post("/api/v1/nodes/" + nodeId + "/power-requests", Map.of("action", action));
    assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
    return accepted.json().get("id").asText();
  }

  protected void hold(String nodeId) {
    assertThat(asAdmin().post("/api/v1/nodes/" + nodeId + "/hold", Map.of("reason", "process test")).status())
        .isEqualTo(200);
  }

  protected void resume(String nodeId) {
    assertThat(asAdmin().post("/api/v1/nodes/" + nodeId + "/resume", Map.of()).status()).isEqualTo(200);
  }

  /** The request's row in {@code lo_power_request}. */
  protected Map<String, Object> row(String requestId) {
    return jdbc.queryForMap("SELECT * FROM lo_power_request WHERE id = ?", requestId);
  }

  protected List<Map<String, Object>> rowsOf(String nodeId) {
    return jdbc.queryForList("SELECT * FROM lo_power_request WHERE node_id = ? ORDER BY seq", nodeId);
  }

  protected String holdKindOf(String nodeId) {
    return jdbc.queryForObject("SELECT hold_kind FROM lo_node WHERE id = ?", String.class, nodeId);
  }

  /** The instance whose business key is given (request id, review id). */
  protected String instanceOf(String processKey, String businessKey) {
    HistoricProcessInstance found = history.createHistoricProcessInstanceQuery().processDefinitionKey(processKey)
        .processInstanceBusinessKey(businessKey).singleResult();
    assertThat(found).as(processKey + " " + businessKey).isNotNull();
    return found.getId();
  }

  /** Assertions on an instance, running or ended. */
  protected ProcessInstanceAssert assertThatProcess(String instanceId) {
    return BpmnAwareTests.assertThat(Processes.of(
        history.createHistoricProcessInstanceQuery().processInstanceId(instanceId).singleResult()));
  }

  protected ProcessInstanceAssert awaitEnded(String instanceId) {
    await("instance " + instanceId + " ends", () -> history.createHistoricProcessInstanceQuery()
        .processInstanceId(instanceId).finished().count() == 1);
    return assertThatProcess(instanceId).isEnded();
  }

  /** Waits until the token rests at the activity (no job of the instance pending), then asserts it there. */
  protected ProcessInstanceAssert awaitWaitingAt(String instanceId, String activityId) {
    await("instance " + instanceId + " waits at " + activityId, () ->
        runtime.createExecutionQuery().processInstanceId(instanceId).activityId(activityId).count() > 0
            && engine.getManagementService().createJobQuery().processInstanceId(instanceId).executable().count() == 0);
    ProcessInstance running = runtime.createProcessInstanceQuery().processInstanceId(instanceId).singleResult();
    return BpmnAwareTests.assertThat(running).isWaitingAt(activityId);
  }

  protected static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what, e);
      }
    }
  }
}
