package io.lightsout.evacuation.process;

import static io.lightsout.evacuation.process.HostEvacuationProcess.DECIDED_BY;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/**
 * On completing an evacuation task: who decided is the authenticated user who completed it, kept on the
 * task's own scope (each instance of the multi-instance body has its own decider).
 */
@Component("recordEvacuationDecider")
class RecordEvacuationDeciderListener implements TaskListener {

  private final IdentityService identity;

  RecordEvacuationDeciderListener(IdentityService identity) {
    this.identity = identity;
  }

  @Override
  public void notify(DelegateTask task) {
    Authentication user = identity.getCurrentAuthentication();
    DECIDED_BY.setLocal(task.getExecution(), user != null && user.getUserId() != null ? user.getUserId()
        : task.getAssignee() != null ? task.getAssignee() : "unknown");
  }
}
