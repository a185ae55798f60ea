package io.lightsout.evacuation.process;

import static io.lightsout.evacuation.process.HostEvacuationProcess.*;

import io.lightsout.evacuation.EvacuationSteps;
import io.lightsout.evacuation.InstanceDecision;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Carry out instance decision": retry (same or another host) goes back for a slot; give up ends the instance. */
@Component("carryOutInstanceDecision")
class CarryOutInstanceDecisionDelegate implements JavaDelegate {

  private final EvacuationSteps steps;

  CarryOutInstanceDecisionDelegate(EvacuationSteps steps) {
    this.steps = steps;
  }

  @Override
  public void execute(DelegateExecution execution) {
    InstanceDecision decision = steps.decide(EVACUATION_ID.from(execution), INSTANCE_ID.from(execution),
        InstanceDecision.fromWire(INSTANCE_DECISION.from(execution)), DECIDED_BY.from(execution));
    INSTANCE_NEXT.setLocal(execution, decision == InstanceDecision.GIVE_UP ? "give-up" : "retry");
  }
}
