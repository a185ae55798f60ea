package io.lightsout.evacuation.process;

import static io.lightsout.evacuation.process.HostEvacuationProcess.EVACUATION_ID;

import io.lightsout.evacuation.EvacuationSteps;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Summarize evacuation": succeeded, or failed naming the instances given up. */
@Component("summarizeEvacuation")
class SummarizeEvacuationDelegate implements JavaDelegate {

  private final EvacuationSteps steps;

  SummarizeEvacuationDelegate(EvacuationSteps steps) {
    this.steps = steps;
  }

  @Override
  public void execute(DelegateExecution execution) {
    steps.summarize(EVACUATION_ID.from(execution));
  }
}
