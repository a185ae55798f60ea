package io.lightsout.power.process;

import static io.lightsout.power.process.PowerChangeProcess.requestIdOf;

import io.lightsout.power.PowerExecutor;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Verify power state": one read-back while a slow transition (soft-off) completes. */
@Component("verifyPowerState")
class VerifyPowerStateDelegate implements JavaDelegate {

  private final PowerExecutor executor;

  VerifyPowerStateDelegate(PowerExecutor executor) {
    this.executor = executor;
  }

  @Override
  public void execute(DelegateExecution execution) {
    PowerOutcomes.record(execution, executor.verify(requestIdOf(execution)));
  }
}
