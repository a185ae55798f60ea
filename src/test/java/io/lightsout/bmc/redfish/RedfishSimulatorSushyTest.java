package io.lightsout.bmc.redfish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightsout.bmc.PowerState;
import io.lightsout.testing.RedfishSimulatorFleet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The project's Redfish simulator, driven by a client nobody here wrote: Debian's python3-sushy (the Redfish library
 * of OpenStack Ironic) through scripts/redfish-sim/sushy_check.py, over HTTPS with the simulator's certificate as CA.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedfishSimulatorSushyTest {

  private RedfishSimulatorFleet fleet;

  @BeforeAll
  void startFleet() {
    fleet = RedfishSimulatorFleet.start(2);
  }

  @AfterAll
  void stopFleet() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void sushyReadsResetsOnAndForceOffAndClosesItsSession() throws Exception {
    fleet.setPower(1, false);

    String output = fleet.run(List.of("/usr/bin/python3", "scripts/redfish-sim/sushy_check.py", fleet.baseUrl(1),
        fleet.certificateFile().toString()), Duration.ofSeconds(60));

    JsonNode seen = new ObjectMapper().readTree(output.lines().reduce((first, last) -> last).orElseThrow());
    assertThat(seen.get("system").asText()).isEqualTo("/redfish/v1/Systems/1");
    assertThat(seen.get("initial").asText()).isEqualTo("Off");
    assertThat(seen.get("afterOn").asText()).isEqualTo("On");
    assertThat(seen.get("afterForceOff").asText()).isEqualTo("Off");
    assertThat(seen.get("basic").asText()).isEqualTo("Off");
    assertThat(seen.get("allowed").toString()).contains("\"On\"", "\"ForceOff\"", "\"ForceRestart\"");
    assertThat(fleet.log(1)).containsExactly("session-create 1 201", "reset On 204", "reset ForceOff 204",
        "session-delete 1 204");
    assertThat(fleet.sessions(1)).isEqualTo(new RedfishSimulatorFleet.Sessions(0, 1, 1, 1, 0));
    assertThat(fleet.powerState(1)).isEqualTo(PowerState.OFF);
    assertThat(fleet.log(0)).as("the other BMC saw nothing").isEmpty();
  }
}
