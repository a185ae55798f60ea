package io.lightsout.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a benchmark's PostgreSQL time goes, per statement, from {@code pg_stat_statements} when the server preloads
 * it ({@code shared_preload_libraries}); a no-op otherwise. {@link #reset()} before a measured phase, then
 * {@link #report} after it: statements per instance and execution time per instance of the benchmark's database,
 * the most expensive first.
 */
final class Statements {

  private final Connection sql;
  private final boolean available;

  private Statements(Connection sql, boolean available) {
    this.sql = sql;
    this.available = available;
  }

  /** On the benchmark's database: creates the extension there when the server has it loaded. */
  static Statements of(Connection sql) {
    try (Statement statement = sql.createStatement();
         ResultSet loaded = statement.executeQuery("SELECT current_setting('shared_preload_libraries')")) {
      loaded.next();
      if (!loaded.getString(1).contains("pg_stat_statements")) {
        return new Statements(sql, false);
      }
      statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
      return new Statements(sql, true);
    } catch (SQLException e) {
      return new Statements(sql, false);
    }
  }

  void reset() throws SQLException {
    if (available) {
      try (Statement statement = sql.createStatement()) {
        statement.execute("SELECT pg_stat_statements_reset()");
      }
    }
  }

  /**
   * Markdown lines: totals per instance, then the {@code top} statements by execution time (the benchmark's own
   * polling, VACUUM and ANALYZE left out).
   */
  List<String> report(String phase, int instances, int top) throws SQLException {
    List<String> lines = new ArrayList<>();
    if (!available) {
      return lines;
    }
    String mine = "dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
        + "AND query NOT ILIKE 'ANALYZE%' AND query NOT ILIKE 'VACUUM%' AND query NOT ILIKE '%pg_stat_statements%' "
        // the benchmark's own polling, spelt as only the benchmarks spell it (the app's queue checks are COUNT(*))
        + "AND query NOT LIKE 'SELECT count(*) FROM %'";
    try (Statement statement = sql.createStatement();
         ResultSet totals = statement.executeQuery("SELECT sum(calls), sum(total_exec_time), count(*) "
             + "FROM pg_stat_statements WHERE " + mine)) {
      totals.next();
      lines.add(String.format(Locale.ROOT, "pg_stat_statements, %s: %.1f statements and %.2f ms of execution per "
          + "instance (%d distinct statements)", phase, totals.getDouble(1) / instances,
          totals.getDouble(2) / instances, totals.getLong(3)));
    }
    lines.add("");
    lines.add("| per instance: calls | ms | rows | statement |");
    lines.add("|---:|---:|---:|---|");
    try (PreparedStatement statement = sql.prepareStatement("SELECT calls, total_exec_time, rows, query "
        + "FROM pg_stat_statements WHERE " + mine + " ORDER BY total_exec_time DESC LIMIT ?")) {
      statement.setInt(1, top);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          String query = rows.getString(4).replaceAll("\\s+", " ").replace("|", "\\|");
          lines.add(String.format(Locale.ROOT, "| %.2f | %.3f | %.2f | `%s` |", rows.getDouble(1) / instances,
              rows.getDouble(2) / instances, rows.getDouble(3) / instances,
              query.length() > 160 ? query.substring(0, 160) + "..." : query));
        }
      }
    }
    lines.add("");
    return lines;
  }
}
