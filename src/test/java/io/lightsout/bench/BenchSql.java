package io.lightsout.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/** The benchmarks' reads of the app's database: a count, counts by a key. */
final class BenchSql {

  private BenchSql() {}

  static long count(Connection sql, String query, Object... params) throws SQLException {
    try (PreparedStatement statement = prepare(sql, query, params); ResultSet rows = statement.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** Rows of (key, count) as a sorted map. */
  static Map<String, Long> countBy(Connection sql, String query, Object... params) throws SQLException {
    Map<String, Long> counts = new TreeMap<>();
    try (PreparedStatement statement = prepare(sql, query, params); ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        counts.put(rows.getString(1), rows.getLong(2));
      }
    }
    return counts;
  }

  private static PreparedStatement prepare(Connection sql, String query, Object... params) throws SQLException {
    PreparedStatement statement = sql.prepareStatement(query);
    for (int i = 0; i < params.length; i++) {
      statement.setObject(i + 1, params[i]);
    }
    return statement;
  }
}
