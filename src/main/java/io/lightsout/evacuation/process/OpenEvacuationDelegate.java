package io.lightsout.evacuation.process;

import static io.lightsout.evacuation.process.HostEvacuationProcess.*;

import io.lightsout.evacuation.EvacuationProperties;
import io.lightsout.evacuation.EvacuationSteps;
import io.lightsout.evacuation.OpenOutcome;
import java.util.Locale;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/**
 * "Open evacuation": in the transaction that starts the instance, whether the domain API, the engine REST API
 * or Tasklist started it. The host comes from {@code hostId} or the business key (set to the host id once the
 * host is known); who asked is the caller.
 */
@Component("openEvacuation")
class OpenEvacuationDelegate implements JavaDelegate {

  private final EvacuationSteps steps;
  private final IdentityService identity;
  private final EvacuationProperties properties;

  OpenEvacuationDelegate(EvacuationSteps steps, IdentityService identity, EvacuationProperties properties) {
    this.steps = steps;
    this.identity = identity;
    this.properties = properties;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String hostId = HOST_ID.from(execution) != null ? HOST_ID.from(execution) : execution.getBusinessKey();
    HOST_ID.set(execution, hostId);
    String evacuationId = EVACUATION_ID.from(execution) != null ? EVACUATION_ID.from(execution)
        : UUID.randomUUID().toString();
    Authentication caller = identity.getCurrentAuthentication();
    String requestedBy = caller != null && caller.getUserId() != null ? caller.getUserId() : "system";
    REQUESTED_BY.set(execution, requestedBy);
    VERIFY_INTERVAL.set(execution, properties.verifyInterval().toString());

    OpenOutcome outcome = steps.open(evacuationId, hostId, REASON.from(execution), requestedBy,
        execution.getProcessInstanceId());

    if (outcome.kind() != OpenOutcome.Kind.REJECTED && !hostId.equals(execution.getBusinessKey())) {
      execution.setProcessBusinessKey(hostId);
    }
    OPEN_OUTCOME.set(execution, outcome.kind().name().toLowerCase(Locale.ROOT));
    EVACUATION_ID.set(execution, outcome.evacuationId());
    REJECTION_REASON.set(execution, outcome.detail());
  }
}
