package io.lightsout.evacuation.process;

import static io.lightsout.evacuation.process.HostEvacuationProcess.*;

import io.lightsout.evacuation.EvacuationProcessStarter;
import io.lightsout.evacuation.EvacuationSignals;
import io.lightsout.evacuation.OpenOutcome;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Component;

/**
 * Starts {@code host-evacuation} with business key = host id, as the engine REST API would, and wakes its
 * waiting steps by message: the fence's outcome, and a freed rebuild slot (delivered to the one execution of
 * the multi-instance body that waits for it, whose id the claim keeps: no search among the waiting ones).
 */
@Component
class CamundaEvacuationProcess implements EvacuationProcessStarter, EvacuationSignals {

  private final RuntimeService runtime;

  CamundaEvacuationProcess(RuntimeService runtime) {
    this.runtime = runtime;
  }

  @Override
  public Started start(String evacuationId, String hostId, String reason) {
    Map<String, Object> variables = new HashMap<>();
    EVACUATION_ID.putInto(variables, evacuationId);
    HOST_ID.putInto(variables, hostId);
    REASON.putInto(variables, reason);
    Map<String, Object> result = runtime.createProcessInstanceByKey(KEY).businessKey(hostId)
        .setVariables(variables).executeWithVariablesInReturn().getVariables();
    OpenOutcome.Kind kind = OpenOutcome.Kind.valueOf(OPEN_OUTCOME.from(result).toUpperCase(Locale.ROOT));
    return new Started(new OpenOutcome(kind, EVACUATION_ID.from(result), REJECTION_REASON.from(result)));
  }

  @Override
  public void fenceSettled(String processInstanceId, boolean confirmed, String detail) {
    runtime.createMessageCorrelation(MESSAGE_FENCE_SETTLED).processInstanceId(processInstanceId)
        .setVariable(FENCE_OUTCOME.name(), confirmed ? "confirmed" : "unconfirmed")
        .setVariable(FENCING_DETAIL.name(), detail).correlateAll();
  }

  @Override
  public void slotGranted(String waitingExecutionId) {
    boolean waiting = runtime.createEventSubscriptionQuery().executionId(waitingExecutionId)
        .eventName(MESSAGE_REBUILD_SLOT_GRANTED).count() > 0;
    if (waiting) {
      runtime.messageEventReceived(MESSAGE_REBUILD_SLOT_GRANTED, waitingExecutionId);
    }
  }
}
