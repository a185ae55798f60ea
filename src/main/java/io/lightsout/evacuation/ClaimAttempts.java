package io.lightsout.evacuation;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Counts rebuild attempts and their errors in transactions of their own: a failed attempt still counts. */
@Component
class ClaimAttempts {

  private final ClaimRepository claims;

  ClaimAttempts(ClaimRepository claims) {
    this.claims = claims;
  }

  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public int count(String evacuationId, String instanceId) {
    return claims.countAttempt(evacuationId, instanceId);
  }

  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public void recordError(String evacuationId, String instanceId, String error) {
    claims.recordError(evacuationId, instanceId, error);
  }
}
