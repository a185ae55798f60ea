package io.lightsout.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.lightsout.testing.TestDatabase;
import java.sql.Connection;
import org.junit.jupiter.api.Test;

/**
 * A 503 says why no connection could be had, from what a real Hikari pool throws: every connection in use (the
 * database is fine, the instance is under load) or the database unreachable.
 */
class DatabaseUnavailableFilterTest {

  private static HikariDataSource pool(String url) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(TestDatabase.USER);
    config.setPassword(TestDatabase.PASSWORD);
    config.setMaximumPoolSize(1);
    config.setConnectionTimeout(250);
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }

  @Test
  void aPoolWhoseConnectionsAreAllInUseIsBusy() throws Exception {
    try (HikariDataSource pool = pool(TestDatabase.url()); Connection held = pool.getConnection()) {
      Throwable refused = catchThrowable(pool::getConnection);

      assertThat(DatabaseUnavailableFilter.databaseUnavailable(refused)).isTrue();
      assertThat(DatabaseUnavailableFilter.poolBusy(refused)).as(refused.toString()).isTrue();
    }
  }

  @Test
  void aPoolThatCannotReachItsDatabaseIsNotBusy() {
    // port 1 on the loopback: nothing listens there, the connection is refused at once
    try (HikariDataSource pool = pool("jdbc:postgresql://127.0.0.1:1/test")) {
      Throwable refused = catchThrowable(pool::getConnection);

      assertThat(DatabaseUnavailableFilter.databaseUnavailable(refused)).isTrue();
      assertThat(DatabaseUnavailableFilter.poolBusy(refused)).as(refused.toString()).isFalse();
    }
  }
}
