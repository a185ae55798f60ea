package io.lightsout.power.process;

import static io.lightsout.power.process.PowerChangeProcess.*;

import io.lightsout.power.JoinCommand;
import io.lightsout.power.JoinOutcome;
import io.lightsout.power.PowerProcessStarter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstanceWithVariables;
import org.springframework.stereotype.Component;

/** Starts {@code power-change} with business key = request id, as the engine REST API would. */
@Component
class CamundaPowerProcessStarter implements PowerProcessStarter {

  private final RuntimeService runtime;

  CamundaPowerProcessStarter(RuntimeService runtime) {
    this.runtime = runtime;
  }

  @Override
  public Started start(JoinCommand command) {
    Map<String, Object> variables = new HashMap<>();
    REQUEST_ID.putInto(variables, command.requestId());
    NODE_ID.putInto(variables, command.nodeId());
    ACTION.putInto(variables, command.action());
    IF_BUSY.putInto(variables, command.ifBusy());
    REASON.putInto(variables, command.reason());
    CALLBACK_URL.putInto(variables, command.callbackUrl());
    IDEMPOTENCY_KEY.putInto(variables, command.idempotencyKey());
    ProcessInstanceWithVariables instance = runtime.createProcessInstanceByKey(KEY)
        .businessKey(command.requestId())
        .setVariables(variables)
        .executeWithVariablesInReturn();
    Map<String, Object> result = instance.getVariables();
    JoinOutcome.Kind kind = JoinOutcome.Kind.valueOf(JOIN_OUTCOME.from(result).toUpperCase(Locale.ROOT));
    String rejection = REJECTION.from(result);
    return new Started(instance.getId(), new JoinOutcome(kind,
        rejection == null ? null : JoinOutcome.Rejection.valueOf(rejection), REJECTION_REASON.from(result)));
  }
}
