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
 * comes back through a {@link JoinAnswer}, not by reading the instance's variables.
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
    IF_BUSY.putInto(variables, command.ifBusy());
    REASON.putInto(variables, command.reason());
    CALLBACK_URL.putInto(variables, command.callbackUrl());
    IDEMPOTENCY_KEY.putInto(variables, command.idempotencyKey());
    return JoinAnswer.await(() -> runtime.createProcessInstanceByKey(KEY)
        .businessKey(command.requestId())
        .setVariables(variables)
        .execute()
        .getId());
  }
}
