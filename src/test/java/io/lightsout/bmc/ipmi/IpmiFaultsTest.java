package io.lightsout.bmc.ipmi;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightsout.bmc.BmcFault;
import io.lightsout.bmc.FatalBmcFault;
import io.lightsout.bmc.TransientBmcFault;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * How the library's failures while opening a session are judged. The live cases (wrong password, unknown user, no
 * answer) are in {@link IpmiDriverTest} against ipmi_sim; these are the library's own defects, which a simulator
 * cannot be made to provoke on demand.
 */
class IpmiFaultsTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  @Test
  void anAnswerDecodedPastTheEndOfABufferIsASessionDefectAndTransient() {
    // As the library threw it once in a CI run, opening a session to ipmi_sim with 40 others opening.
    Exception defect = new ArrayIndexOutOfBoundsException(
        "arraycopy: last destination index 100 out of bounds for byte[64]");

    BmcFault fault = IpmiFaults.openingSession("bmc-1:623", "admin", 3, TIMEOUT, defect);

    assertThat(IpmiFaults.isSessionDefect(defect)).isTrue();
    assertThat(fault).isInstanceOf(TransientBmcFault.class);
    assertThat(fault.getMessage()).contains("bmc-1:623").contains("could not decode").contains("opening a session");
  }

  @Test
  void theIntegrityDefectIsASessionDefect() {
    assertThat(IpmiFaults.isSessionDefect(new IllegalArgumentException("Integrity check failed"))).isTrue();
  }

  @Test
  void aRejectedPasswordIsNoSessionDefectAndFatal() {
    Exception rejected = new IllegalArgumentException("Authentication check failed");

    assertThat(IpmiFaults.isSessionDefect(rejected)).isFalse();
    assertThat(IpmiFaults.openingSession("bmc-1:623", "admin", 3, TIMEOUT, rejected))
        .isInstanceOf(FatalBmcFault.class)
        .hasMessageContaining("rejected the credentials of user 'admin'");
  }
}
