package io.lightsout.testing;

import java.util.Map;

/** The environment of an {@link AppProcess} on a PostgreSQL database, with the first administrator's password. */
public final class AppEnvironment {

  private AppEnvironment() {}

  /** On a fresh database of the shared test server ({@link TestDatabase#createSeparate}). */
  public static Map<String, String> onFreshDatabase(String adminPassword) {
    return on(TestDatabase.createSeparate(), TestDatabase.USER, TestDatabase.PASSWORD, adminPassword);
  }

  public static Map<String, String> on(String dbUrl, String dbUser, String dbPassword, String adminPassword) {
    return Map.of(
        "LIGHTSOUT_DB_URL", dbUrl,
        "LIGHTSOUT_DB_USER", dbUser,
        "LIGHTSOUT_DB_PASSWORD", dbPassword,
        "LIGHTSOUT_ADMIN_PASSWORD", adminPassword);
  }
}
