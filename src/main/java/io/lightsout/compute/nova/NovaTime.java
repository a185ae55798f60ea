package io.lightsout.compute.nova;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * OpenStack's timestamps as instants: {@code 2016-06-23T14:42:02.000000} (Nova's migrations: UTC, without a zone),
 * {@code 2016-06-23T14:42:02Z} or with an offset.
 */
final class NovaTime {

  private NovaTime() {
  }

  /** The instant, or null when the text is null or not a timestamp. */
  static Instant parse(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String value = text.strip().replace(' ', 'T');
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException withoutZone) {
      try {
        return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
  }
}
