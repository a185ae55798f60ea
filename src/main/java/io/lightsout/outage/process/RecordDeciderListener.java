package io.lightsout.outage.process;

import static io.lightsout.outage.process.QueueReviewProcess.DECIDED_BY;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/** On completing the review task: who decided is the authenticated user who completed it (kept in history). */
@Component("recordDecider")
class RecordDeciderListener implements TaskListener {

  private final IdentityService identity;

  RecordDeciderListener(IdentityService identity) {
    this.identity = identity;
  }

  @Override
  public void notify(DelegateTask task) {
    Authentication user = identity.getCurrentAuthentication();
    DECIDED_BY.set(task.getExecution(), user != null && user.getUserId() != null ? user.getUserId()
        : task.getAssignee() != null ? task.getAssignee() : "unknown");
  }
}
