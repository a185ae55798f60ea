package io.lightsout.outage;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightsout.outage.process.QueueReviewProcess;
import io.lightsout.testing.ApiClient;
import io.lightsout.testing.PostgresIntegrationTest;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Tasklist lists review tasks by name: the name says which nodes are held. */
class ReviewTaskNameTest extends PostgresIntegrationTest {

  @Autowired
  Reviews reviews;

  @Autowired
  TaskService tasks;

  @Test
  void theTaskOfAReviewOfThreeNodesNamesTheFirstAndCountsTheOthers() {
    String tag = Long.toString(System.nanoTime() % 1_000_000);
    List<String> nodes = List.of("rack1-node07-" + tag, "rack1-node08-" + tag, "rack2-node01-" + tag);
    nodes.forEach(this::register);

    String task = taskNameOf(reviews.open("outage", "test outage", nodes, Map.of()));

    assertThat(task).isEqualTo("Review held queues: rack1-node07-" + tag + " and 2 more");
  }

  @Test
  void theTaskOfAReviewOfOneNodeNamesIt() {
    String node = "rack3-node02-" + System.nanoTime() % 1_000_000;
    register(node);

    assertThat(taskNameOf(reviews.open("bmc-unreachable", "BMC unreachable: test", List.of(node), Map.of())))
        .isEqualTo("Review held queues: " + node);
  }

  @Test
  void twoNodesAreBothNamed() {
    assertThat(Reviews.nodesInTaskName(List.of("a", "b"))).isEqualTo("a and b");
  }

  private String taskNameOf(String reviewId) {
    return tasks.createTaskQuery().processInstanceBusinessKey(reviewId)
        .taskDefinitionKey(QueueReviewProcess.TASK_REVIEW).singleResult().getName();
  }

  private void register(String id) {
    ApiClient.Response created = asAdmin().post("/api/v1/nodes", Map.of("id", id, "bmc", Map.of("driver", "sim",
        "host", "sim-" + id, "port", 623, "username", "admin", "password", "x")));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
  }
}
