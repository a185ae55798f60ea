package io.lightsout.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The PostgreSQL database of this test JVM. {@code LIGHTSOUT_TEST_DB_URL} names one (CI creates a
 * fresh one per run); otherwise a fresh database is created on the local server (and dropped by a later run).
 * A missing PostgreSQL fails the suite: it is never skipped.
 */
public final class TestDatabase {

  public static final String USER = env("LIGHTSOUT_TEST_DB_USER", "postgres");
  public static final String PASSWORD = env("LIGHTSOUT_TEST_DB_PASSWORD", "");
  private static final String SERVER = env("LIGHTSOUT_TEST_PG_SERVER", "jdbc:postgresql://127.0.0.1:5432/");

  private static final String PREFIX = "lightsout_test_";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

  private static String url;

  private TestDatabase() {}

  public static synchronized String url() {
    if (url == null) {
      String given = System.getenv("LIGHTSOUT_TEST_DB_URL");
      url = given != null && !given.isBlank() ? given : createFresh();
    }
    return url;
  }

  /** A database of its own, for an application started in a separate JVM by one test. */
  public static String createSeparate() {
    return createFresh();
  }

  private static String createFresh() {
    LocalDateTime now = LocalDateTime.now();
    dropStale(now.minusHours(3));
    String name = PREFIX + now.format(STAMP) + "_" + ThreadLocalRandom.current().nextInt(1000, 10000);
    execute("CREATE DATABASE " + name);
    return SERVER + name;
  }

  /**
   * Databases of earlier runs, dropped here rather than at exit: at exit the application may still
   * be closing its connections.
   */
  private static void dropStale(LocalDateTime before) {
    String oldest = PREFIX + before.format(STAMP);
    List<String> stale = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(SERVER + "postgres", USER, PASSWORD);
         Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '"
             + PREFIX + "%' AND datname < '" + oldest + "'")) {
      while (rows.next()) {
        stale.add(rows.getString(1));
      }
    } catch (SQLException e) {
      throw unavailable(e);
    }
    stale.forEach(name -> execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
  }

  private static void execute(String sql) {
    try (Connection connection = DriverManager.getConnection(SERVER + "postgres", USER, PASSWORD);
         Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw unavailable(e);
    }
  }

  private static IllegalStateException unavailable(SQLException e) {
    return new IllegalStateException("The test suite needs PostgreSQL at " + SERVER
        + " (user " + USER + "): " + e.getMessage()
        + ". Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", e);
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
