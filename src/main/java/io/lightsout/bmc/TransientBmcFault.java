package io.lightsout.bmc;

/** A fault that may pass: the BMC timed out, was busy, or lost the session. Callers retry with backoff. */
public final class TransientBmcFault extends BmcFault {

  private final PowerProgress progress;

  public TransientBmcFault(String address, String problem) {
    this(address, problem, null);
  }

  public TransientBmcFault(String address, String problem, Throwable cause) {
    super(address, problem, cause);
    this.progress = PowerProgress.NONE;
  }

  private TransientBmcFault(TransientBmcFault original, PowerProgress progress) {
    super(original);
    this.progress = progress;
  }

  /** This fault, telling what the cut operation had done at the BMC before it. */
  public TransientBmcFault after(PowerProgress done) {
    return new TransientBmcFault(this, done);
  }

  /** What the operation had done at the BMC when this fault cut it ({@link PowerProgress#NONE} when nothing). */
  public PowerProgress progress() {
    return progress;
  }

  @Override
  public boolean retryable() {
    return true;
  }
}
