package io.lightsout.power.process;

import static io.lightsout.power.process.PowerChangeProcess.*;

import io.lightsout.power.JoinCommand;
import io.lightsout.power.PowerProcessStarter;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Component;

/**
 * Starts {@code power-change} with business key = request id, as the engine REST API would; the join's outcome
 * comes back through a {@link JoinAnswer}, not by reading the instance's variables. The instance keeps the node and
 * the action as variables (what Cockpit shows and searches by); who asked and why stay in the request's row.
 */
@Component
class CamundaPowerProcessStarter implements PowerProcessStarter {

  private final RuntimeService runtime;

  CamundaPowerProcessStarter(RuntimeService runtime) {
    this.runtime = runtime;
  }

  @Override
  public Started start(JoinCommand command) {
    Map<String, Object> variables = new HashMap<>();
    NODE_ID.putInto(variables, command.nodeId());
    ACTION.putInto(variables, command.action());
    // the rest is the request's payload: the join reads it in this transaction and its row in lo_power_request keeps
    // it, so the instance stores no copy (each stored one: a runtime row, two history rows and a delete)
    IF_BUSY.putTransientInto(variables, command.ifBusy());
    REASON.putTransientInto(variables, command.reason());
    CALLBACK_URL.putTransientInto(variables, command.callbackUrl());
    IDEMPOTENCY_KEY.putTransientInto(variables, command.idempotencyKey());
    return JoinAnswer.await(() -> runtime.createProcessInstanceByKey(KEY)
        .businessKey(command.requestId())
        .setVariables(variables)
        .execute()
        .getId());
  }
}
