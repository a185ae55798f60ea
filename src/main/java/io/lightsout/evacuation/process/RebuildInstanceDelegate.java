package io.lightsout.evacuation.process;

import static io.lightsout.evacuation.process.HostEvacuationProcess.*;

import io.lightsout.evacuation.EvacuationSteps;
import io.lightsout.evacuation.InstanceFailure;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * "Rebuild instance on its target": a job of its own, not exclusive, so the instances of one evacuation
 * rebuild in parallel. Touches only its own instance's records; a failure goes to an operator.
 */
@Component("rebuildInstance")
class RebuildInstanceDelegate implements JavaDelegate {

  private final EvacuationSteps steps;

  RebuildInstanceDelegate(EvacuationSteps steps) {
    this.steps = steps;
  }

  @Override
  public void execute(DelegateExecution execution) {
    try {
      steps.rebuild(EVACUATION_ID.from(execution), INSTANCE_ID.from(execution));
    } catch (InstanceFailure failure) {
      throw new BpmnError(ERROR_INSTANCE_FAILED, failure.getMessage());
    }
  }
}
