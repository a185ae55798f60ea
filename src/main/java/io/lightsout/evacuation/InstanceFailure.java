package io.lightsout.evacuation;

/** An instance could not be rebuilt or placed, and retrying will not help by itself: an operator decides. */
public class InstanceFailure extends RuntimeException {

  public InstanceFailure(String message) {
    super(message);
  }
}
