package io.lightsout.power.process;

import io.lightsout.power.batch.CallerContext;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/** The engine's authentication of this thread, set on the thread that runs the task and cleared after it. */
@Component
class CamundaCallerContext implements CallerContext {

  private final IdentityService identity;

  CamundaCallerContext(IdentityService identity) {
    this.identity = identity;
  }

  @Override
  public Runnable carry(Runnable task) {
    Authentication caller = identity.getCurrentAuthentication();
    return () -> {
      if (caller != null) {
        identity.setAuthentication(caller);
      }
      try {
        task.run();
      } finally {
        identity.clearAuthentication();
      }
    };
  }
}
