package io.lightsout.evacuation.process;

import static io.lightsout.evacuation.process.HostEvacuationProcess.*;

import io.lightsout.evacuation.EvacuationSteps;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * "Take a rebuild slot": at most {@code max-parallel} instances of one evacuation rebuild at once. Runs on the
 * scope of its instance of the multi-instance body, where it keeps that instance's variables.
 */
@Component("takeRebuildSlot")
class TakeRebuildSlotDelegate implements JavaDelegate {

  private final EvacuationSteps steps;

  TakeRebuildSlotDelegate(EvacuationSteps steps) {
    this.steps = steps;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String instanceId = INSTANCE_ID.from(execution);
    boolean taken = steps.takeSlot(EVACUATION_ID.from(execution), instanceId);
    SLOT_OUTCOME.setLocal(execution, taken ? "taken" : "wait");
    // declared here, on this instance's own scope, so that the verify step (a scope of its own, for its
    // boundary event) writes its outcome to this instance and not to the whole evacuation
    PLACEMENT_OUTCOME.setLocal(execution, null);
  }
}
