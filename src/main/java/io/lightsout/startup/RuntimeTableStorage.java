package io.lightsout.startup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * On PostgreSQL, VACUUM leaves the engine's runtime tables their pages when it empties them (storage parameter
 * {@code vacuum_truncate = false}). Their rows live seconds each, so a quiet moment leaves them empty, and a table
 * truncated to no pages looks cheapest to read whole: every connection then plans the engine's statements and the
 * foreign-key checks of each execution's delete as full scans, keeps those plans, and reads the whole table on each
 * use while the queues fill again, until the next ANALYZE. Measured (BENCHMARKS.md): a single check 20-60 ms instead
 * of 0.05 ms, 270 such deletes in one minute of a 4,000-request run. Kept pages cost disk only up to the tables'
 * largest size. Set once per database (the first start after an upgrade), by the table owner.
 */
@Component
class RuntimeTableStorage {

  private static final Logger LOG = LoggerFactory.getLogger(RuntimeTableStorage.class);

  /** The runtime tables that gain and lose a row or more per request step. */
  static final List<String> TABLES = List.of("act_ru_execution", "act_ru_variable", "act_ru_event_subscr",
      "act_ru_job", "act_ru_task", "act_ru_identitylink", "act_ru_ext_task", "act_ru_incident");

  private final DataSource dataSource;

  RuntimeTableStorage(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** After the engine has created or checked its schema. */
  @EventListener(ApplicationStartedEvent.class)
  void keepPagesWhenEmptied() {
    try (Connection connection = dataSource.getConnection()) {
      if (!"PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())) {
        return;
      }
      List<String> toSet = truncatedByVacuum(connection);
      try (Statement statement = connection.createStatement()) {
        for (String table : toSet) {
          statement.execute("ALTER TABLE " + table + " SET (vacuum_truncate = false)");
        }
      }
      if (!toSet.isEmpty()) {
        LOG.info("VACUUM now leaves {} of the engine's runtime tables their pages when it empties them", toSet.size());
      }
    } catch (SQLException e) {
      LOG.warn("Could not keep VACUUM from truncating the engine's runtime tables ({}): after quiet moments the first "
          + "requests may be slow until the next ANALYZE. Run Lights-Out once as the tables' owner, or run "
          + "ALTER TABLE <table> SET (vacuum_truncate = false) for {}", e.getMessage(), TABLES);
    }
  }

  /** Those of {@link #TABLES} (in the connection's schema) not yet set. */
  private static List<String> truncatedByVacuum(Connection connection) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement("SELECT c.relname FROM pg_class c "
        + "WHERE c.oid = to_regclass(?) AND NOT coalesce(c.reloptions @> ARRAY['vacuum_truncate=false'], false)")) {
      for (String table : TABLES) {
        query.setString(1, table);
        try (ResultSet rows = query.executeQuery()) {
          if (rows.next()) {
            tables.add(table);
          }
        }
      }
    }
    return tables;
  }
}
