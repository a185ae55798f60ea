package io.lightsout.evacuation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Evacuations by final status ({@code lightsout_evacuations_total}) and their instances by final state
 * ({@code lightsout_evacuation_instances_total}), counted once the transaction that settled them commits.
 */
@Component
class EvacuationMetrics {

  private final MeterRegistry registry;

  EvacuationMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @TransactionalEventListener
  void onSettled(EvacuationEvents.Settled settled) {
    Counter.builder("lightsout_evacuations").description("Evacuations that ended, by status")
        .tag("status", settled.status()).register(registry).increment();
  }

  @TransactionalEventListener
  void onInstanceSettled(EvacuationEvents.InstanceSettled settled) {
    Counter.builder("lightsout_evacuation_instances").description("Instances of evacuations that were settled, by state")
        .tag("state", settled.state()).register(registry).increment();
  }
}
