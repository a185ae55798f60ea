package io.lightsout.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** User id and password of an HTTP Basic {@code Authorization} header. No toString: it would show the password. */
final class BasicCredentials {

  private static final String PREFIX = "basic ";

  private final String userId;
  private final String password;

  private BasicCredentials(String userId, String password) {
    this.userId = userId;
    this.password = password;
  }

  static Optional<BasicCredentials> parse(String header) {
    if (header == null || header.length() <= PREFIX.length()
        || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(PREFIX.length()).trim()),
          StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      return Optional.empty();
    }
    return Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
  }

  String userId() {
    return userId;
  }

  String password() {
    return password;
  }
}
