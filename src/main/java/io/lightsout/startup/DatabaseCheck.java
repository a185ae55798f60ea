package io.lightsout.startup;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.stereotype.Component;

/**
 * Whether the database answers, checked with one plain connection as soon as the pool is configured and
 * before anything uses it: an unreachable database or a refused user is one clear line, not the pool's,
 * the migration's and the engine's stack traces. The embedded H2 default gets its directory checked instead
 * ({@link DataDirectoryCheck}).
 */
@Component
class DatabaseCheck implements BeanPostProcessor, PriorityOrdered {

  private static final String CONNECT_TIMEOUT_SECONDS = "10";

  /** First among the pool's post-processors: before anything else (the cluster's start-up lock) connects. */
  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof HikariDataSource pool && pool.getJdbcUrl() != null) {
      if (pool.getJdbcUrl().startsWith("jdbc:h2:")) {
        DataDirectoryCheck.check(pool.getJdbcUrl());
      } else {
        check(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
      }
    }
    return bean;
  }

  static void check(String url, String user, String password) {
    Properties properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("connectTimeout", CONNECT_TIMEOUT_SECONDS);
    properties.setProperty("loginTimeout", CONNECT_TIMEOUT_SECONDS);
    try {
      Driver driver = DriverManager.getDriver(url);
      try (Connection connection = driver.connect(url, properties)) {
        connection.isValid(Integer.parseInt(CONNECT_TIMEOUT_SECONDS));
      }
    } catch (SQLException e) {
      throw new StartRefusal("cannot reach the database " + withoutParameters(url) + " as user '" + user + "': "
          + firstLine(e.getMessage()),
          "Start the database or point Lights-Out at it with LIGHTSOUT_DB_URL, LIGHTSOUT_DB_USER and LIGHTSOUT_DB_PASSWORD.");
    }
  }

  /** The URL without its parameters, which may hold a password. */
  private static String withoutParameters(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no reason given";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
