package io.lightsout.power;

/**
 * A request's step must wait: another engine instance took the request to its BMC and is not known
 * alive. The step runs again later, without spending one of its attempts: once the owner beats
 * again it is carried on here; once the owner is declared dead its queue is held for review.
 */
public class OwnerInDoubt extends RuntimeException {

  public OwnerInDoubt(String requestId, String owner) {
    super("request " + requestId + " waits: its owner, instance " + owner
        + ", is not known alive (carried on here once it beats again; held for review once it is declared dead)");
  }
}
