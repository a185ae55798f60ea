package io.lightsout.power.process;

import static io.lightsout.power.process.PowerChangeProcess.MESSAGE_TURN_GRANTED;
import static io.lightsout.power.process.PowerChangeProcess.MESSAGE_WITHDRAWN;

import io.lightsout.power.QueueSignals;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Component;

/**
 * Wakes waiting power-change instances by message, correlated by business key (= request id).
 * An instance that is not waiting (its execute job is pending) needs no message: its guard reads
 * the request's state when the job runs.
 */
@Component
class CamundaQueueSignals implements QueueSignals {

  private final RuntimeService runtime;

  CamundaQueueSignals(RuntimeService runtime) {
    this.runtime = runtime;
  }

  @Override
  public void turnGranted(String requestId) {
    runtime.createMessageCorrelation(MESSAGE_TURN_GRANTED).processInstanceBusinessKey(requestId).correlateAll();
  }

  @Override
  public void withdrawn(String requestId) {
    runtime.createMessageCorrelation(MESSAGE_WITHDRAWN).processInstanceBusinessKey(requestId).correlateAll();
  }
}
