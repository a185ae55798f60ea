package io.lightsout.power;

import java.time.Instant;

/** A node's hold as people read it: kind by its wire name, the reason, since when. */
public record HoldView(String kind, String reason, Instant since) {

  public static HoldView of(Hold hold) {
    return hold == null ? null : new HoldView(hold.kind().wireName(), hold.reason(), hold.since());
  }
}
