package io.lightsout.power.process;

import static io.lightsout.power.process.PowerChangeProcess.*;

import io.lightsout.power.JoinCommand;
import io.lightsout.power.JoinOutcome;
import io.lightsout.power.PowerQueue;
import java.util.Locale;
import java.util.UUID;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/**
 * "Join node queue": runs in the transaction that starts the instance, whether the domain API or
 * the engine REST API started it. Who asked is the authenticated user of that call, or for a request placed in
 * its queue before its process started (a batch's item, a fence) whoever placed it.
 */
@Component("joinQueue")
class JoinQueueDelegate implements JavaDelegate {

  static final String SYSTEM = "system";

  private final PowerQueue queue;
  private final IdentityService identity;

  JoinQueueDelegate(PowerQueue queue, IdentityService identity) {
    this.queue = queue;
    this.identity = identity;
  }

  @Override
  public void execute(DelegateExecution execution) {
    String requestId = REQUEST_ID.from(execution);
    if (requestId == null) {
      requestId = execution.getBusinessKey() != null ? execution.getBusinessKey() : UUID.randomUUID().toString();
    }
    if (!requestId.equals(execution.getBusinessKey())) {
      execution.setProcessBusinessKey(requestId);
    }
    Authentication caller = identity.getCurrentAuthentication();
    String requestedBy = caller != null && caller.getUserId() != null ? caller.getUserId() : SYSTEM;

    JoinOutcome outcome = queue.join(new JoinCommand(requestId, NODE_ID.from(execution), ACTION.from(execution),
        IF_BUSY.from(execution), requestedBy, REASON.from(execution), CALLBACK_URL.from(execution),
        IDEMPOTENCY_KEY.from(execution), execution.getProcessInstanceId()));

    JoinAnswer.give(outcome);
    JOIN_OUTCOME.setTransient(execution, outcome.kind().name().toLowerCase(Locale.ROOT));
    if (outcome.rejection() != null) {
      // a rejection started from Tasklist becomes a task for whoever asked; an accepted request's row says who
      REQUESTED_BY.set(execution, requestedBy);
      REJECTION.set(execution, outcome.rejection().name());
      REJECTION_REASON.set(execution, outcome.detail());
    }
  }
}
