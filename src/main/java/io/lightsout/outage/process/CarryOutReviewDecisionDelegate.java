package io.lightsout.outage.process;

import static io.lightsout.outage.process.QueueReviewProcess.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightsout.outage.ReviewDecision;
import io.lightsout.outage.Reviews;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.spin.json.SpinJsonNode;
import org.springframework.stereotype.Component;

/** "Carry out decision": maps the form's answer to a {@link ReviewDecision} and hands it to {@link Reviews}. */
@Component("carryOutReviewDecision")
class CarryOutReviewDecisionDelegate implements JavaDelegate {

  private final Reviews reviews;
  private final ObjectMapper json;

  CarryOutReviewDecisionDelegate(Reviews reviews, ObjectMapper json) {
    this.reviews = reviews;
    this.json = json;
  }

  @Override
  public void execute(DelegateExecution execution) {
    ReviewDecision decision = new ReviewDecision(ReviewDecision.Choice.fromWire(DECISION.from(execution)),
        ids(execution.getVariable(CANCEL_NODES)), ids(execution.getVariable(CANCEL_REQUESTS)));
    reviews.carryOut(REVIEW_ID.from(execution), decision, DECIDED_BY.from(execution));
  }

  /** The checklists' answers arrive as JSON arrays (Tasklist) or lists (Java and REST clients). */
  private Set<String> ids(Object value) {
    Set<String> ids = new LinkedHashSet<>();
    if (value instanceof SpinJsonNode node) {
      node.elements().forEach(element -> ids.add(element.stringValue()));
    } else if (value instanceof Collection<?> list) {
      list.forEach(element -> ids.add(String.valueOf(element)));
    } else if (value instanceof String text && !text.isBlank()) {
      try {
        json.readTree(text).forEach(element -> ids.add(element.asText()));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("expected a JSON array of ids, got: " + text, e);
      }
    }
    return ids;
  }
}
