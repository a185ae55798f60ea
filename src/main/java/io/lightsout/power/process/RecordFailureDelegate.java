package io.lightsout.power.process;

import static io.lightsout.power.process.PowerChangeProcess.BMC_UNREACHABLE;
import static io.lightsout.power.process.PowerChangeProcess.FAILURE;
import static io.lightsout.power.process.PowerChangeProcess.requestIdOf;

import io.lightsout.power.PowerQueue;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * "Record failure and release turn": the request fails with its reason; when the BMC was
 * unreachable, the node's queue is held first, so nothing further is sent until an operator decides.
 */
@Component("recordFailure")
class RecordFailureDelegate implements JavaDelegate {

  private final PowerQueue queue;

  RecordFailureDelegate(PowerQueue queue) {
    this.queue = queue;
  }

  @Override
  public void execute(DelegateExecution execution) {
    queue.fail(requestIdOf(execution), FAILURE.from(execution), Boolean.TRUE.equals(BMC_UNREACHABLE.from(execution)));
  }
}
