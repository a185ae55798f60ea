package io.lightsout.power.process;

import static io.lightsout.power.process.PowerChangeProcess.RESULT;
import static io.lightsout.power.process.PowerChangeProcess.requestIdOf;

import io.lightsout.power.PowerQueue;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Record success and release turn": the final state and the next request's turn, in one transaction. */
@Component("recordSuccess")
class RecordSuccessDelegate implements JavaDelegate {

  private final PowerQueue queue;

  RecordSuccessDelegate(PowerQueue queue) {
    this.queue = queue;
  }

  @Override
  public void execute(DelegateExecution execution) {
    queue.succeed(requestIdOf(execution), RESULT.from(execution));
  }
}
