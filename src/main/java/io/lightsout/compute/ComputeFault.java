package io.lightsout.compute;

/**
 * A compute service operation that did not work, with a message an operator understands that names the
 * service and quotes its answer. Never carries a password or token.
 */
public abstract sealed class ComputeFault extends RuntimeException permits TransientComputeFault, FatalComputeFault {

  protected ComputeFault(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether a caller should retry the operation (with backoff). */
  public abstract boolean retryable();
}
