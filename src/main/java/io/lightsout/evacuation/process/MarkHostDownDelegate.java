package io.lightsout.evacuation.process;

import static io.lightsout.evacuation.process.HostEvacuationProcess.ERROR_EVACUATION_REFUSED;
import static io.lightsout.evacuation.process.HostEvacuationProcess.EVACUATION_ID;

import io.lightsout.evacuation.EvacuationFailure;
import io.lightsout.evacuation.EvacuationSteps;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Mark host down": transient faults are retried by the job; a refusal ends the evacuation as failed. */
@Component("markHostDown")
class MarkHostDownDelegate implements JavaDelegate {

  private final EvacuationSteps steps;

  MarkHostDownDelegate(EvacuationSteps steps) {
    this.steps = steps;
  }

  @Override
  public void execute(DelegateExecution execution) {
    try {
      steps.markHostDown(EVACUATION_ID.from(execution));
    } catch (EvacuationFailure failure) {
      throw new BpmnError(ERROR_EVACUATION_REFUSED, failure.getMessage());
    }
  }
}
