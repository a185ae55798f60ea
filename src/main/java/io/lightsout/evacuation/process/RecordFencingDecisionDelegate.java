package io.lightsout.evacuation.process;

import static io.lightsout.evacuation.process.HostEvacuationProcess.*;

import io.lightsout.evacuation.EvacuationSteps;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Record fencing decision": the operator's answer, who gave it and when; anything but 'confirmed' aborts. */
@Component("recordFencingDecision")
class RecordFencingDecisionDelegate implements JavaDelegate {

  static final String CONFIRMED = "confirmed";

  private final EvacuationSteps steps;

  RecordFencingDecisionDelegate(EvacuationSteps steps) {
    this.steps = steps;
  }

  @Override
  public void execute(DelegateExecution execution) {
    boolean confirmed = steps.decideFencing(EVACUATION_ID.from(execution),
        CONFIRMED.equals(FENCING_DECISION.from(execution)), DECIDED_BY.from(execution), FENCING_COMMENT.from(execution));
    FENCING_CONFIRMED.set(execution, confirmed);
  }
}
