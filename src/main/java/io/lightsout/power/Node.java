package io.lightsout.power;

import io.lightsout.bmc.PowerState;
import java.time.Instant;
import java.util.Map;

/** A machine with a BMC, as operators see it: never its BMC password. */
public record Node(
    String id,
    String name,
    String bmcDriver,
    String bmcHost,
    Integer bmcPort,
    String bmcUsername,
    Map<String, String> bmcOptions,
    PowerState powerState,
    Instant powerObservedAt,
    Hold hold,
    Instant createdAt,
    Instant updatedAt) {

  public boolean held() {
    return hold != null;
  }
}
