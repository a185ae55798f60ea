package io.lightsout.compute;

/** A fault that may pass: a timeout, a refused connection, a 5xx or a 503 of the compute service. */
public final class TransientComputeFault extends ComputeFault {

  public TransientComputeFault(String message) {
    this(message, null);
  }

  public TransientComputeFault(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
