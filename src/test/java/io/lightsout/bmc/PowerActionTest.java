package io.lightsout.bmc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PowerActionTest {

  @ParameterizedTest
  @CsvSource({"on, ON, ON", "off, OFF, OFF", "cycle, CYCLE, ON", "reset, RESET, ON", "soft-off, SOFT_OFF, OFF"})
  void wireNamesAndTargetStates(String wire, PowerAction action, PowerState target) {
    assertThat(PowerAction.fromWire(wire)).isEqualTo(action);
    assertThat(action.wireName()).isEqualTo(wire);
    assertThat(action.targetState()).isEqualTo(target);
  }

  @Test
  void anUnknownActionNamesTheAllowedOnes() {
    assertThatThrownBy(() -> PowerAction.fromWire("SOFT_OFF"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown power action 'SOFT_OFF': allowed are on, off, cycle, reset, soft-off");
    assertThatThrownBy(() -> PowerAction.fromWire(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("power action is missing: allowed are on, off, cycle, reset, soft-off");
  }

  @Test
  void powerStatesHaveWireNames() {
    assertThat(PowerState.ON.wireName()).isEqualTo("on");
    assertThat(PowerState.OFF.wireName()).isEqualTo("off");
    assertThat(PowerState.UNKNOWN.wireName()).isEqualTo("unknown");
    assertThat(PowerState.fromWire("unknown")).isEqualTo(PowerState.UNKNOWN);
    assertThatThrownBy(() -> PowerState.fromWire("standby")).hasMessage("unknown power state 'standby': allowed are on, off, unknown");
  }
}
