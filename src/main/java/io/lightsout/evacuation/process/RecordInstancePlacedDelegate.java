package io.lightsout.evacuation.process;

import static io.lightsout.evacuation.process.HostEvacuationProcess.EVACUATION_ID;
import static io.lightsout.evacuation.process.HostEvacuationProcess.INSTANCE_ID;

import io.lightsout.evacuation.EvacuationSteps;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Record instance placed": the claim ends and its rebuild slot goes to the next waiting instance. */
@Component("recordInstancePlaced")
class RecordInstancePlacedDelegate implements JavaDelegate {

  private final EvacuationSteps steps;

  RecordInstancePlacedDelegate(EvacuationSteps steps) {
    this.steps = steps;
  }

  @Override
  public void execute(DelegateExecution execution) {
    steps.recordPlaced(EVACUATION_ID.from(execution), INSTANCE_ID.from(execution));
  }
}
