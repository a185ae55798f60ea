package io.lightsout.bmc;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.stereotype.Component;

/** Settings of all BMC drivers ({@code lightsout.bmc.*}). */
@Component
@ConfigurationProperties(prefix = "lightsout.bmc")
public class BmcProperties {

  /** Minimum time between two state-changing commands to the same BMC; 0 for none. */
  private Duration minCommandInterval = Duration.ofSeconds(1);

  /** Fleet-wide limit of BMC sessions open at once. */
  private int maxConcurrentSessions = 32;

  /** How long an operation waits for its turn (another session to the same BMC, or a fleet-wide slot). */
  private Duration sessionWait = Duration.ofSeconds(30);

  /** How long an operation reads back after sending before it answers that the target was not reached. */
  private Duration verifyTimeout = Duration.ofSeconds(10);

  /** Time between two read-backs while verifying. */
  private Duration verifyPollInterval = Duration.ofMillis(250);

  /** A power on/off is sent again when the state has not changed this long after sending. */
  private Duration resendAfter = Duration.ofSeconds(3);

  private final Ipmi ipmi = new Ipmi();

  private final Redfish redfish = new Redfish();

  /** Settings of the {@code redfish} driver ({@code lightsout.bmc.redfish.*}). */
  public static class Redfish {

    /** How long to wait for a BMC to accept a connection, and then for each answer. */
    private Duration timeout = Duration.ofSeconds(10);

    /**
     * How long a BMC's session is kept open after an operation, for the next operation on that BMC; then it is
     * deleted. 0: every operation opens its own session and deletes it at its end.
     */
    private Duration sessionIdle = Duration.ofSeconds(10);

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    public Duration getSessionIdle() {
      return sessionIdle;
    }

    public void setSessionIdle(Duration sessionIdle) {
      this.sessionIdle = sessionIdle;
    }
  }

  /** Settings of the {@code ipmi} driver ({@code lightsout.bmc.ipmi.*}). */
  public static class Ipmi {

    /** How long to wait for one answer of a BMC. JVM-wide in the IPMI library: set before the first session. */
    private Duration timeout = Duration.ofSeconds(3);

    /** Attempts to open a session when the library fails its own integrity check (a known library defect). */
    private int sessionAttempts = 3;

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    public int getSessionAttempts() {
      return sessionAttempts;
    }

    public void setSessionAttempts(int sessionAttempts) {
      this.sessionAttempts = sessionAttempts;
    }
  }

  public Duration getMinCommandInterval() {
    return minCommandInterval;
  }

  public void setMinCommandInterval(Duration minCommandInterval) {
    this.minCommandInterval = minCommandInterval;
  }

  public int getMaxConcurrentSessions() {
    return maxConcurrentSessions;
  }

  public void setMaxConcurrentSessions(int maxConcurrentSessions) {
    this.maxConcurrentSessions = maxConcurrentSessions;
  }

  public Duration getSessionWait() {
    return sessionWait;
  }

  public void setSessionWait(Duration sessionWait) {
    this.sessionWait = sessionWait;
  }

  public Duration getVerifyTimeout() {
    return verifyTimeout;
  }

  public void setVerifyTimeout(Duration verifyTimeout) {
    this.verifyTimeout = verifyTimeout;
  }

  public Duration getVerifyPollInterval() {
    return verifyPollInterval;
  }

  public void setVerifyPollInterval(Duration verifyPollInterval) {
    this.verifyPollInterval = verifyPollInterval;
  }

  public Duration getResendAfter() {
    return resendAfter;
  }

  public void setResendAfter(Duration resendAfter) {
    this.resendAfter = resendAfter;
  }

  public Ipmi getIpmi() {
    return ipmi;
  }

  public Redfish getRedfish() {
    return redfish;
  }
}
