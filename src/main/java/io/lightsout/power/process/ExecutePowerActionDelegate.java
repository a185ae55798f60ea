package io.lightsout.power.process;

import static io.lightsout.power.process.PowerChangeProcess.requestIdOf;

import io.lightsout.power.PowerExecutor;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** "Execute power action": a job of its own; the driver call is bounded far below the job's lock. */
@Component("executePowerAction")
class ExecutePowerActionDelegate implements JavaDelegate {

  private final PowerExecutor executor;

  ExecutePowerActionDelegate(PowerExecutor executor) {
    this.executor = executor;
  }

  @Override
  public void execute(DelegateExecution execution) {
    PowerOutcomes.record(execution, executor.execute(requestIdOf(execution)));
  }
}
