package io.lightsout.power.process;

import static io.lightsout.power.process.PowerChangeProcess.*;

import io.lightsout.power.PowerExecutor;
import java.util.Locale;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/** Output mapping of the BMC steps: the outcome for the gateway, and the failure for the record. */
final class PowerOutcomes {

  private PowerOutcomes() {}

  static void record(DelegateExecution execution, PowerExecutor.Outcome outcome) {
    POWER_OUTCOME.set(execution, outcome.kind().name().toLowerCase(Locale.ROOT));
    if (outcome.kind() == PowerExecutor.Outcome.Kind.REACHED) {
      RESULT.set(execution, outcome.detail());
    }
    if (outcome.kind() == PowerExecutor.Outcome.Kind.FAILED) {
      FAILURE.set(execution, outcome.detail());
      BMC_UNREACHABLE.set(execution, outcome.unreachable());
    }
  }
}
