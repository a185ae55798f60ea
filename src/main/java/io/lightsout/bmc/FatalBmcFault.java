package io.lightsout.bmc;

/** A fault that will not pass by retrying: bad credentials, an unsupported command, bad settings. */
public final class FatalBmcFault extends BmcFault {

  public FatalBmcFault(String address, String problem) {
    this(address, problem, null);
  }

  public FatalBmcFault(String address, String problem, Throwable cause) {
    super(address, problem, cause);
  }

  @Override
  public boolean retryable() {
    return false;
  }
}
