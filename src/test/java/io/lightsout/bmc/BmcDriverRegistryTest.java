package io.lightsout.bmc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightsout.bmc.ipmi.IpmiClient;
import io.lightsout.bmc.ipmi.IpmiDriver;
import io.lightsout.bmc.sim.SimBmcDriver;
import io.lightsout.testing.TestSecrets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BmcDriverRegistryTest {

  private final BmcProperties properties = new BmcProperties();
  private final BmcGate gate = new BmcGate(properties);
  private final SimBmcDriver sim = new SimBmcDriver(gate, properties);

  @Test
  void findsDriversByNameAndNamesTheKnownOnesOtherwise() {
    try (IpmiClient client = new IpmiClient(properties)) {
      IpmiDriver ipmi = new IpmiDriver(gate, properties, TestSecrets.cipher(), client);
      BmcDriverRegistry registry = new BmcDriverRegistry(List.of(sim, ipmi));

      assertThat(registry.driver("ipmi")).isSameAs(ipmi);
      assertThat(registry.driver("sim")).isSameAs(sim);
      assertThat(registry.names()).containsExactly("ipmi", "sim");
      assertThatThrownBy(() -> registry.driver("redfish"))
          .isInstanceOf(FatalBmcFault.class)
          .hasMessage("unknown BMC driver 'redfish' (known: ipmi, sim)");
      assertThatThrownBy(() -> registry.driver(null)).isInstanceOf(FatalBmcFault.class);
    }
  }

  @Test
  void refusesTwoDriversWithOneName() {
    assertThatThrownBy(() -> new BmcDriverRegistry(List.of(sim, new SimBmcDriver(gate, properties))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("two BMC drivers are named 'sim'");
  }
}
