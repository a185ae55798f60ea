package io.lightsout.power;

import java.time.Instant;

/** Why a node's queue must not advance, and since when. Only a review or an explicit resume lifts it. */
public record Hold(Kind kind, String reason, Instant since) {

  public enum Kind {
    OPERATOR("operator"), BMC_UNREACHABLE("bmc-unreachable"), OUTAGE("outage"), EVACUATION("evacuation");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    public static Kind fromWire(String value) {
      for (Kind kind : values()) {
        if (kind.wireName.equals(value)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("unknown hold kind '" + value + "'");
    }
  }
}
