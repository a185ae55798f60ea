package io.lightsout.outage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;

/**
 * Instances sharing one PostgreSQL database start one at a time: from the moment the datasource
 * exists until the application is ready, an instance holds a session-level advisory lock. So the
 * schema (Flyway, then Camunda's schema update), the deployments, the first admin and the outage
 * check of a start run once, never side by side, even when every instance starts at the same moment
 * on an empty database. PostgreSQL releases the lock itself when the holder dies. H2 (one instance
 * only) needs no lock.
 */
@Component
class StartupLock implements BeanPostProcessor {

  private static final Logger LOG = LoggerFactory.getLogger(StartupLock.class);
  /** Any fixed number: the lock's name. */
  static final long KEY = 0x4C6967687473L; // "Lights"

  private Connection holder;
  private boolean tried;

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof DataSource dataSource && !tried) {
      tried = true;
      acquire(dataSource);
    }
    return bean;
  }

  private void acquire(DataSource dataSource) {
    try {
      Connection connection = dataSource.getConnection();
      if (!"PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())) {
        connection.close();
        return;
      }
      holder = connection;
      if (!call(connection, "SELECT pg_try_advisory_lock(?)")) {
        LOG.info("Another instance is starting on this database; waiting for it to be ready");
        call(connection, "SELECT pg_advisory_lock(?) IS NOT NULL");
      }
    } catch (SQLException e) {
      throw new CannotGetJdbcConnectionException("Could not take the start-up lock on the database", e);
    }
  }

  @EventListener({ApplicationReadyEvent.class, ContextClosedEvent.class})
  void release(ApplicationEvent ready) {
    if (holder == null) {
      return;
    }
    try (Connection connection = holder) {
      holder = null;
      call(connection, "SELECT pg_advisory_unlock(?)");
    } catch (SQLException e) {
      LOG.warn("Could not release the start-up lock (PostgreSQL releases it with the connection): {}", e.getMessage());
    }
  }

  private static boolean call(Connection connection, String sql) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setLong(1, KEY);
      try (ResultSet result = statement.executeQuery()) {
        return result.next() && result.getBoolean(1);
      }
    }
  }
}
