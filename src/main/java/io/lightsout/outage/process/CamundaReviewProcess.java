package io.lightsout.outage.process;

import static io.lightsout.outage.process.QueueReviewProcess.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightsout.outage.ReviewProcess;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.spin.plugin.variable.SpinValues;
import org.springframework.stereotype.Component;

/** Starts and settles {@code queue-review} instances (business key = review id). */
@Component
class CamundaReviewProcess implements ReviewProcess {

  private final RuntimeService runtime;
  private final ObjectMapper json;

  CamundaReviewProcess(RuntimeService runtime, ObjectMapper json) {
    this.runtime = runtime;
    this.json = json;
  }

  @Override
  public String open(String reviewId, String title, String nodes, String summary, List<Option> nodeOptions,
      List<Option> requestOptions) {
    Map<String, Object> variables = new HashMap<>();
    REVIEW_ID.putInto(variables, reviewId);
    TITLE.putInto(variables, title);
    HELD_NODES.putInto(variables, nodes);
    SUMMARY.putInto(variables, summary);
    variables.put(NODE_OPTIONS, SpinValues.jsonValue(write(nodeOptions)).create());
    variables.put(REQUEST_OPTIONS, SpinValues.jsonValue(write(requestOptions)).create());
    variables.put(CANCEL_NODES, SpinValues.jsonValue("[]").create());
    variables.put(CANCEL_REQUESTS, SpinValues.jsonValue("[]").create());
    return runtime.createProcessInstanceByKey(KEY).businessKey(reviewId).setVariables(variables).execute().getId();
  }

  @Override
  public void settle(String reviewId) {
    runtime.createMessageCorrelation(MESSAGE_SETTLED).processInstanceBusinessKey(reviewId).correlateAll();
  }

  private String write(List<Option> options) {
    try {
      return json.writeValueAsString(options);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
