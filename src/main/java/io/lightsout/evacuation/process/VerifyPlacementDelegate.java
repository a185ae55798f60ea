package io.lightsout.evacuation.process;

import static io.lightsout.evacuation.process.HostEvacuationProcess.*;

import io.lightsout.evacuation.EvacuationSteps;
import io.lightsout.evacuation.InstanceFailure;
import java.util.Locale;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Verify placement": one read of where the instance is; not there yet waits on a timer, not in the job. */
@Component("verifyPlacement")
class VerifyPlacementDelegate implements JavaDelegate {

  private final EvacuationSteps steps;

  VerifyPlacementDelegate(EvacuationSteps steps) {
    this.steps = steps;
  }

  @Override
  public void execute(DelegateExecution execution) {
    try {
      EvacuationSteps.Placement placement = steps.verify(EVACUATION_ID.from(execution), INSTANCE_ID.from(execution));
      PLACEMENT_OUTCOME.set(execution, placement.name().toLowerCase(Locale.ROOT));
    } catch (InstanceFailure failure) {
      throw new BpmnError(ERROR_INSTANCE_FAILED, failure.getMessage());
    }
  }
}
