package io.lightsout.evacuation.process;

import static io.lightsout.evacuation.process.HostEvacuationProcess.EVACUATION_FAILURE;
import static io.lightsout.evacuation.process.HostEvacuationProcess.EVACUATION_ID;

import io.lightsout.evacuation.EvacuationSteps;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Record evacuation failed": the compute service's refusal, quoted, as the evacuation's result. */
@Component("recordEvacuationFailed")
class RecordEvacuationFailedDelegate implements JavaDelegate {

  private final EvacuationSteps steps;

  RecordEvacuationFailedDelegate(EvacuationSteps steps) {
    this.steps = steps;
  }

  @Override
  public void execute(DelegateExecution execution) {
    steps.fail(EVACUATION_ID.from(execution), "the compute service refused: " + EVACUATION_FAILURE.from(execution));
  }
}
