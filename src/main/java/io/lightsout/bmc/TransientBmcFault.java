package io.lightsout.bmc;

/** A fault that may pass: the BMC timed out, was busy, or lost the session. Callers retry with backoff. */
public final class TransientBmcFault extends BmcFault {

  public TransientBmcFault(String address, String problem) {
    this(address, problem, null);
  }

  public TransientBmcFault(String address, String problem, Throwable cause) {
    super(address, problem, cause);
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
