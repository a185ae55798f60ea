package io.lightsout.bmc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Times every BMC operation ({@code lightsout_bmc_command_seconds} by driver, operation and outcome) and counts
 * faults by kind ({@code lightsout_bmc_faults_total}). The outcome is {@code ok}, {@code not-reached} (the BMC
 * answered but did not report the target state within the verify bound), {@code transient} or {@code fatal}.
 */
@Component
public class BmcMetrics {

  private final MeterRegistry registry;

  public BmcMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  <T> T time(String driver, String operation, Supplier<T> call) {
    long start = System.nanoTime();
    String outcome = "ok";
    try {
      T result = call.get();
      if (result instanceof PowerResult power && !power.reachedTarget()) {
        outcome = "not-reached";
      }
      return result;
    } catch (BmcFault fault) {
      outcome = fault.retryable() ? "transient" : "fatal";
      Counter.builder("lightsout_bmc_faults").description("BMC operations that ended in a fault")
          .tag("driver", driver).tag("kind", outcome).register(registry).increment();
      throw fault;
    } finally {
      Timer.builder("lightsout_bmc_command_seconds").description("BMC operations, from opening the session to its close")
          .tag("driver", driver).tag("operation", operation).tag("outcome", outcome)
          .publishPercentileHistogram().register(registry).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }
}
