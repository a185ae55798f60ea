package io.lightsout.bmc;

/**
 * A BMC operation that did not work, with a message an operator understands that names the BMC. Never carries a
 * password. {@link TransientBmcFault}s are worth retrying with backoff; {@link FatalBmcFault}s are not.
 */
public abstract sealed class BmcFault extends RuntimeException permits TransientBmcFault, FatalBmcFault {

  private final String address;

  /**
   * @param address the BMC's {@code host:port}, or null when the fault concerns no particular BMC
   * @param problem what happened, worded to follow "BMC host:port", e.g. "did not answer within 3 s"
   */
  protected BmcFault(String address, String problem, Throwable cause) {
    super(address == null ? problem : "BMC " + address + " " + problem, cause);
    this.address = address;
  }

  /** The same fault, for a subclass that adds what it knows: same message, address, cause and stack. */
  BmcFault(BmcFault original) {
    super(original.getMessage(), original.getCause());
    this.address = original.address;
    setStackTrace(original.getStackTrace());
  }

  /** The BMC's {@code host:port}, or null. */
  public String address() {
    return address;
  }

  /** Whether a caller should retry the operation (with backoff). */
  public abstract boolean retryable();
}
