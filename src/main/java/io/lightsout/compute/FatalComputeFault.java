package io.lightsout.compute;

/**
 * A fault that retrying will not mend: bad credentials, an instance in a state that cannot be rebuilt,
 * an unknown host or instance, a refused order (Nova's 400 "Compute service of X is still in use.").
 */
public final class FatalComputeFault extends ComputeFault {

  public FatalComputeFault(String message) {
    this(message, null);
  }

  public FatalComputeFault(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
