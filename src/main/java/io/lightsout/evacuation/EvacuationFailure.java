package io.lightsout.evacuation;

/** The evacuation cannot go on (the compute service refused to mark the host down or to list it): it fails. */
public class EvacuationFailure extends RuntimeException {

  public EvacuationFailure(String message) {
    super(message);
  }
}
