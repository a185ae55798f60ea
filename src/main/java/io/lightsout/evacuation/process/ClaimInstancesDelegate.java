package io.lightsout.evacuation.process;

import static io.lightsout.evacuation.process.HostEvacuationProcess.*;

import io.lightsout.evacuation.EvacuationFailure;
import io.lightsout.evacuation.EvacuationSteps;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "List and claim instances": one owner per instance; the multi-instance body then reads the claims. */
@Component("claimInstances")
class ClaimInstancesDelegate implements JavaDelegate {

  private final EvacuationSteps steps;

  ClaimInstancesDelegate(EvacuationSteps steps) {
    this.steps = steps;
  }

  @Override
  public void execute(DelegateExecution execution) {
    try {
      INSTANCE_COUNT.set(execution, Integer.toString(steps.claimInstances(EVACUATION_ID.from(execution))));
    } catch (EvacuationFailure failure) {
      throw new BpmnError(ERROR_EVACUATION_REFUSED, failure.getMessage());
    }
  }
}
