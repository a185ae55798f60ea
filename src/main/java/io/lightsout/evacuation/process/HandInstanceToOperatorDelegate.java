package io.lightsout.evacuation.process;

import static io.lightsout.evacuation.process.HostEvacuationProcess.*;

import io.lightsout.evacuation.EvacuationSteps;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * "Hand instance to an operator": frees its slot for the others, and declares the form's answers on this
 * instance's own scope, so that operators deciding on two instances at once never overwrite each other.
 */
@Component("handInstanceToOperator")
class HandInstanceToOperatorDelegate implements JavaDelegate {

  private final EvacuationSteps steps;

  HandInstanceToOperatorDelegate(EvacuationSteps steps) {
    this.steps = steps;
  }

  @Override
  public void execute(DelegateExecution execution) {
    INSTANCE_PROBLEM.setLocal(execution, steps.handToOperator(EVACUATION_ID.from(execution), INSTANCE_ID.from(execution)));
    INSTANCE_DECISION.setLocal(execution, null);
    DECIDED_BY.setLocal(execution, null);
  }
}
