package io.lightsout.evacuation;

import io.lightsout.power.OwnTransactions;
import org.springframework.stereotype.Component;

/** Counts rebuild attempts and their errors in transactions of their own: a failed attempt still counts. */
@Component
class ClaimAttempts {

  private final ClaimRepository claims;
  private final OwnTransactions own;

  ClaimAttempts(ClaimRepository claims, OwnTransactions own) {
    this.claims = claims;
    this.own = own;
  }

  public int count(String evacuationId, String instanceId) {
    return own.commit(() -> claims.countAttempt(evacuationId, instanceId));
  }

  public void recordError(String evacuationId, String instanceId, String error) {
    own.commit(() -> claims.recordError(evacuationId, instanceId, error));
  }
}
