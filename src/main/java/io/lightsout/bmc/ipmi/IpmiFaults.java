package io.lightsout.bmc.ipmi;

import io.lightsout.bmc.BmcFault;
import io.lightsout.bmc.Durations;
import io.lightsout.bmc.FatalBmcFault;
import io.lightsout.bmc.TransientBmcFault;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import org.metricshub.ipmi.core.coding.payload.CompletionCode;
import org.metricshub.ipmi.core.coding.payload.lan.IPMIException;
import org.metricshub.ipmi.core.connection.ConnectionException;

/**
 * Turns what ipmi-java throws into {@link BmcFault}s an operator understands. The library signals most failures
 * with generic exceptions, so this reads their types and messages as measured against ipmi_sim:
 * <ul>
 * <li>no answer: {@code ConnectionException("Command timed out")} while opening, an {@code IPMIException} with
 * completion code "Timeout" or a "timed out"/"timeout" message during commands: transient;</li>
 * <li>wrong password: {@code IllegalArgumentException("Authentication check failed")} on RAKP message 2: fatal;</li>
 * <li>unknown user: RAKP status "unauthorized name": fatal;</li>
 * <li>{@code IllegalArgumentException("Integrity check failed")}, and an {@code IndexOutOfBoundsException} from
 * decoding a RAKP answer (seen once in a few thousand sessions when many open at once): the library's own defects,
 * retried with a fresh handle and cipher suite by {@link IpmiClient}; transient when they persist;</li>
 * <li>a completion code other than 0 on a command: fatal, except the "busy / try later" codes and 0xFF
 * "unspecified error", which are transient: a BMC answers 0xFF when its chassis controller failed this once, and
 * since every operation reads the state before sending, a retry cannot double an action.</li>
 * </ul>
 */
final class IpmiFaults {

  private IpmiFaults() {
  }

  /** The library's RAKP 4 / session integrity defect, which a fresh handle and cipher suite cure. */
  static boolean isIntegrityDefect(Throwable e) {
    return e instanceof IllegalArgumentException && "Integrity check failed".equals(e.getMessage());
  }

  /**
   * A defect of the library while opening a session, which a fresh handle and cipher suite cure: its integrity
   * check, or an answer it decoded past the end of a buffer. Opening a session changes nothing on the machine.
   */
  static boolean isSessionDefect(Throwable e) {
    return isIntegrityDefect(e) || e instanceof IndexOutOfBoundsException;
  }

  /** A failure while opening the session (RMCP+ open session request, RAKP 1 to 4). */
  static BmcFault openingSession(String address, String user, int cipherSuite, Duration timeout, Exception e) {
    if (e instanceof IllegalArgumentException && "Authentication check failed".equals(e.getMessage())) {
      return credentials(address, user, e);
    }
    if (e instanceof IPMIException ipmi) {
      int status = ipmi.getCompletionCode().getCode();
      return switch (status) {
        case 0x01, 0x02, 0x08, 0x0B -> new TransientBmcFault(address,
            "could not open a session now (RAKP status 0x" + hex(status) + ", " + describe(ipmi) + ")", e);
        case 0x0C, 0x0D, 0x0F -> credentials(address, user, e);
        case 0x09, 0x0A -> privilege(address, user, e);
        case 0x03, 0x04, 0x05, 0x06, 0x07, 0x10, 0x11 -> new FatalBmcFault(address,
            "does not support cipher suite " + cipherSuite + " (option cipherSuite; RAKP status 0x"
                + hex(status) + ", " + describe(ipmi) + ")", e);
        default -> new FatalBmcFault(address,
            "refused the session with RAKP status 0x" + hex(status) + " (" + describe(ipmi) + ")", e);
      };
    }
    return general(address, "opening a session", timeout, e);
  }

  /** A failure of one command in an open session; {@code command} names it, e.g. "chassis control (power on)". */
  static BmcFault command(String address, String user, String command, Duration timeout, Exception e) {
    if (e instanceof IPMIException ipmi) {
      int code = ipmi.getCompletionCode().getCode();
      String problem = "answered " + command + " with completion code 0x" + hex(code) + " (" + describe(ipmi) + ")";
      return switch (code) {
        case 0xC3 -> timedOut(address, timeout, e);
        case 0xC0, 0xCE, 0xCF, 0xD1, 0xD2, 0xD3, 0xFF -> new TransientBmcFault(address, problem, e);
        case 0x80, 0x81, 0xD4 -> privilege(address, user, e);
        default -> new FatalBmcFault(address, problem, e);
      };
    }
    return general(address, command, timeout, e);
  }

  private static BmcFault general(String address, String during, Duration timeout, Exception e) {
    if (e instanceof CallGuard.CutOff) {
      return timedOut(address, timeout, e);
    }
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (message.contains("timed out") || message.contains("timeout")) {
      return timedOut(address, timeout, e);
    }
    if (isIntegrityDefect(e)) {
      return new TransientBmcFault(address, "failed the integrity check while " + during
          + " (a known defect of the IPMI library; retry)", e);
    }
    if (e instanceof IndexOutOfBoundsException) {
      return new TransientBmcFault(address, "sent an answer the IPMI library could not decode while " + during
          + " (" + e.getMessage() + "; retry)", e);
    }
    if (e instanceof IOException) {
      return new TransientBmcFault(address, "could not be reached: " + e.getMessage(), e);
    }
    if (e instanceof ConnectionException) {
      return new TransientBmcFault(address, "lost the session while " + during + ": " + e.getMessage(), e);
    }
    return new TransientBmcFault(address, "failed while " + during + ": "
        + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
  }

  static TransientBmcFault timedOut(String address, Duration timeout, Exception e) {
    return new TransientBmcFault(address, "did not answer within " + Durations.human(timeout), e);
  }

  private static FatalBmcFault credentials(String address, String user, Exception e) {
    return new FatalBmcFault(address, "rejected the credentials of user '" + user + "'", e);
  }

  private static FatalBmcFault privilege(String address, String user, Exception e) {
    return new FatalBmcFault(address, "does not grant user '" + user + "' the Administrator privilege", e);
  }

  private static String hex(int code) {
    return String.format(Locale.ROOT, "%02X", code);
  }

  private static String describe(IPMIException e) {
    CompletionCode code = e.getCompletionCode();
    String text = code.getMessage() == null ? code.name() : code.getMessage();
    text = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
  }
}
