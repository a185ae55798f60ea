package io.lightsout.power.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightsout.testing.PostgresIntegrationTest;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.FormService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Tasklist's start forms: both processes name a Camunda Form, and a power change started from the form that the
 * queue rejects does not end silently: the starter gets a task saying why, then the instance ends as rejected.
 */
class StartFormTest extends PostgresIntegrationTest {

  @Autowired
  FormService forms;

  @Autowired
  RepositoryService repository;

  @Autowired
  TaskService tasks;

  @Autowired
  HistoryService history;

  @AfterEach
  void logOut() {
    identityService.clearAuthentication();
  }

  @Test
  void bothProcessesHaveAStartForm() {
    assertThat(startFormOf("power-change")).isEqualTo("power-change-start");
    assertThat(startFormOf("host-evacuation")).isEqualTo("host-evacuation-start");
  }

  @Test
  void aRejectedStartFromTheFormBecomesATaskForTheStarter() {
    identityService.setAuthentication(ADMIN, List.of("operators"));
    ProcessInstance started = forms.submitStartForm(definition("power-change"),
        Map.of("nodeId", "no-such-node", "action", "on", "ifBusy", "queue", "startedIn", "tasklist"));

    Task task = tasks.createTaskQuery().processInstanceId(started.getId()).singleResult();
    assertThat(task).as("a task for the operator who started it").isNotNull();
    assertThat(task.getTaskDefinitionKey()).isEqualTo(PowerChangeProcess.TASK_READ_REJECTION);
    assertThat(task.getAssignee()).isEqualTo(ADMIN);
    assertThat(task.getName()).isEqualTo("Read why the power change was rejected");
    assertThat((String) tasks.getVariable(task.getId(), "rejectionReason")).contains("no-such-node").contains("does not exist");

    tasks.complete(task.getId());
    assertThat(history.createHistoricActivityInstanceQuery().processInstanceId(started.getId())
        .activityId(PowerChangeProcess.END_REJECTED).count()).isEqualTo(1);
    assertThat(history.createHistoricProcessInstanceQuery().processInstanceId(started.getId()).singleResult()
        .getEndTime()).isNotNull();
  }

  @Test
  void aRejectedStartWithoutTheFormEndsAtOnce() {
    identityService.setAuthentication(ADMIN, List.of("operators"));
    ProcessInstance started = forms.submitStartForm(definition("power-change"),
        Map.of("nodeId", "no-such-node", "action", "on"));

    assertThat(started.isEnded()).isTrue();
    assertThat(tasks.createTaskQuery().processInstanceId(started.getId()).count()).isZero();
  }

  private String definition(String key) {
    return repository.createProcessDefinitionQuery().processDefinitionKey(key).latestVersion().singleResult().getId();
  }

  private String startFormOf(String key) {
    return forms.getStartFormData(definition(key)).getCamundaFormRef().getKey();
  }
}
