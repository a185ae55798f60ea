package io.lightsout.startup;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightsout.testing.PostgresIntegrationTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The engine's runtime tables keep their pages when VACUUM empties them, as PostgreSQL's catalog records. */
class RuntimeTableStorageTest extends PostgresIntegrationTest {

  @Autowired
  DataSource dataSource;

  @Autowired
  RuntimeTableStorage storage;

  @Test
  void startUpSetsEveryRuntimeTableToKeepItsPages() throws SQLException {
    assertThat(tablesKeepingTheirPages()).containsExactlyInAnyOrderElementsOf(RuntimeTableStorage.TABLES);
  }

  @Test
  void aTableWhoseSettingWasResetIsSetAgainAtTheNextStart() throws SQLException {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("ALTER TABLE act_ru_event_subscr RESET (vacuum_truncate)");
    }
    assertThat(tablesKeepingTheirPages()).doesNotContain("act_ru_event_subscr");

    storage.keepPagesWhenEmptied();

    assertThat(tablesKeepingTheirPages()).containsExactlyInAnyOrderElementsOf(RuntimeTableStorage.TABLES);
  }

  private List<String> tablesKeepingTheirPages() throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
         PreparedStatement query = connection.prepareStatement("SELECT relname FROM pg_class "
             + "WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' "
             + "AND reloptions @> ARRAY['vacuum_truncate=false']");
         ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        tables.add(rows.getString(1));
      }
    }
    return tables;
  }
}
