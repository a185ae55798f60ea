package io.lightsout.power.process;

import static io.lightsout.power.process.PowerChangeProcess.REQUEST_ID;
import static io.lightsout.power.process.PowerChangeProcess.RESULT;

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
    queue.succeed(REQUEST_ID.from(execution), RESULT.from(execution));
  }
}
