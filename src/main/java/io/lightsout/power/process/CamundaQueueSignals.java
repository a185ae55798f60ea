package io.lightsout.power.process;

import static io.lightsout.power.process.PowerChangeProcess.MESSAGE_TURN_GRANTED;
import static io.lightsout.power.process.PowerChangeProcess.MESSAGE_WITHDRAWN;

import io.lightsout.power.QueueSignals;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.MessageCorrelationBuilderImpl;
import org.camunda.bpm.engine.runtime.MessageCorrelationBuilder;
import org.springframework.stereotype.Component;

/**
 * Wakes waiting power-change instances by message, correlated by business key (= request id).
 * An instance that is not waiting (its execute job is pending) needs no message: its guard reads
 * the request's state when the job runs.
 *
 * <p>Neither message starts a process, so the correlation is to waiting executions only: without that the engine
 * looks for message start events by name after every correlation, one more query per request, which reads every
 * event subscription of the queues when the planner misjudges it.
 */
@Component
class CamundaQueueSignals implements QueueSignals {

  private final RuntimeService runtime;

  CamundaQueueSignals(RuntimeService runtime) {
    this.runtime = runtime;
  }

  @Override
  public void turnGranted(String requestId) {
    toWaitingInstance(MESSAGE_TURN_GRANTED, requestId).correlateAll();
  }

  @Override
  public void withdrawn(String requestId) {
    toWaitingInstance(MESSAGE_WITHDRAWN, requestId).correlateAll();
  }

  private MessageCorrelationBuilder toWaitingInstance(String message, String requestId) {
    // executionsOnly() is public on the engine's builder (7.x), not on the interface
    return ((MessageCorrelationBuilderImpl) runtime.createMessageCorrelation(message)).executionsOnly()
        .processInstanceBusinessKey(requestId);
  }
}
