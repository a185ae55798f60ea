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
    BmcError lastBmcError,
    Instant createdAt,
    Instant updatedAt) {

  public boolean held() {
    return hold != null;
  }

  /** What the node's BMC last did wrong (a failed request or read) and when; a good read clears it. */
  public record BmcError(String message, Instant at) {}
}
