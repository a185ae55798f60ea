package io.lightsout.power.process;

import static io.lightsout.power.process.PowerChangeProcess.*;

import io.lightsout.power.PowerExecutor;
import java.util.Locale;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * Output mapping of the BMC steps, all transient: the outcome for the gateway, the pause before the next read-back
 * or before the second half of a cycle for the timers, and the result or failure for the record.
 */
final class PowerOutcomes {

  private PowerOutcomes() {}

  static void record(DelegateExecution execution, PowerExecutor.Outcome outcome) {
    POWER_OUTCOME.setTransient(execution, outcome.kind().name().toLowerCase(Locale.ROOT));
    switch (outcome.kind()) {
      case REACHED -> RESULT.setTransient(execution, outcome.detail());
      case PENDING -> VERIFY_INTERVAL.setTransient(execution, outcome.pause().toString());
      case PAUSED -> COMMAND_PAUSE.setTransient(execution, outcome.pause().toString());
      case FAILED -> {
        FAILURE.setTransient(execution, outcome.detail());
        BMC_UNREACHABLE.setTransient(execution, outcome.unreachable());
      }
      default -> { }
    }
  }
}
