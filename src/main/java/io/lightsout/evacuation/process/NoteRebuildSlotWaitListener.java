package io.lightsout.evacuation.process;

import static io.lightsout.evacuation.process.HostEvacuationProcess.EVACUATION_ID;
import static io.lightsout.evacuation.process.HostEvacuationProcess.INSTANCE_ID;

import io.lightsout.evacuation.EvacuationSteps;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/**
 * On entering "Wait for a rebuild slot": the claim keeps the id of the execution that waits, so that a freed
 * slot is delivered to it directly. Plumbing only: the decision to wait was taken by the step before.
 */
@Component("noteRebuildSlotWait")
class NoteRebuildSlotWaitListener implements ExecutionListener {

  private final EvacuationSteps steps;

  NoteRebuildSlotWaitListener(EvacuationSteps steps) {
    this.steps = steps;
  }

  @Override
  public void notify(DelegateExecution execution) {
    steps.awaitSlot(EVACUATION_ID.from(execution), INSTANCE_ID.from(execution), execution.getId());
  }
}
