package io.lightsout.evacuation.process;

import static io.lightsout.evacuation.process.HostEvacuationProcess.EVACUATION_ID;
import static io.lightsout.evacuation.process.HostEvacuationProcess.FENCE_REQUEST_ID;

import io.lightsout.evacuation.EvacuationSteps;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Fence host at its BMC": a power 'off' at the head of the node's queue; its outcome arrives by message. */
@Component("fenceHost")
class FenceHostDelegate implements JavaDelegate {

  private final EvacuationSteps steps;

  FenceHostDelegate(EvacuationSteps steps) {
    this.steps = steps;
  }

  @Override
  public void execute(DelegateExecution execution) {
    FENCE_REQUEST_ID.set(execution, steps.fence(EVACUATION_ID.from(execution)));
  }
}
