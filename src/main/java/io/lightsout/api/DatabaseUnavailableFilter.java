package io.lightsout.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.ProcessEnginePersistenceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.filter.OncePerRequestFilter;
import javax.sql.DataSource;

/**
 * While the database is unreachable, an {@code /api} call answers {@code 503} problem+json with {@code Retry-After}
 * (DESIGN §4), not a {@code 500}: the client may simply try again. It sits in front of
 * authentication, which needs the database too. A failure that does not name a lost connection (a statement cut
 * while the server shuts down surfaces in many shapes) counts as the database's when the database does not answer
 * right now either. The wait is bounded by the pool's connection timeout.
 */
class DatabaseUnavailableFilter extends OncePerRequestFilter {

  static final long RETRY_AFTER_SECONDS = 5;
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseUnavailableFilter.class);

  private final ProblemWriter problems;
  private final DataSource dataSource;

  DatabaseUnavailableFilter(ProblemWriter problems, DataSource dataSource) {
    this.problems = problems;
    this.dataSource = dataSource;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    try {
      chain.doFilter(request, response);
    } catch (ServletException | RuntimeException e) {
      boolean database = databaseUnavailable(e) || !databaseAnswers();
      if (!database || response.isCommitted()) {
        throw e;
      }
      boolean busy = poolBusy(e);
      LOG.warn("{} {}: {}, answered 503 ({})", request.getMethod(), request.getRequestURI(),
          busy ? "every database connection busy" : "database unavailable", rootMessage(e));
      response.reset();
      response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER_SECONDS));
      problems.write(response, HttpStatus.SERVICE_UNAVAILABLE, (busy
          ? "Every database connection of this instance is busy (it is under load). Try again in "
          : "The database is unavailable. Try again in ")
          + RETRY_AFTER_SECONDS + " s (with the same Idempotency-Key, a retry cannot create a request twice).",
          request.getRequestURI());
    }
  }

  private boolean databaseAnswers() {
    try (Connection connection = dataSource.getConnection()) {
      return connection.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  /**
   * A connection could not be had or was lost (the pool timed out, the server refused or closed it), or the database
   * cannot serve (see {@link #cannotServe}), or the persistence layer failed on an I/O error (the embedded H2's
   * store on a full disk, before it closes the database).
   */
  static boolean databaseUnavailable(Throwable e) {
    boolean persistence = false;
    for (Throwable cause : causes(e)) {
      if (cause instanceof CannotGetJdbcConnectionException || cause instanceof CannotCreateTransactionException
          || cause instanceof SQLTransientConnectionException || cause instanceof ConnectException
          || cause instanceof DataAccessResourceFailureException) {
        return true;
      }
      persistence |= cause instanceof ProcessEnginePersistenceException || cause instanceof SQLException;
      if (persistence && cause instanceof IOException) {
        return true;
      }
      if (cause instanceof SQLException sql && sql.getSQLState() != null && cannotServe(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether no connection could be had only because the pool's connections were all in use: the pool's timeout
   * without a failed attempt to connect behind it (when the database is unreachable, the pool names its last
   * connection failure as the cause).
   */
  static boolean poolBusy(Throwable e) {
    return causes(e).stream().filter(SQLTransientConnectionException.class::isInstance).findFirst()
        .map(timeout -> timeout.getCause() == null).orElse(false);
  }

  /**
   * SQL states of a database that cannot serve now, whatever the statement: connection exceptions (08), an
   * operator intervention such as a shutdown (57P), insufficient resources such as a full disk (53), a system or
   * I/O error (58), and the embedded H2's I/O failures and closed database (90028, 90031, 90098, 90121: after a
   * failed write, e.g. on a full disk, H2 closes the database itself).
   */
  private static boolean cannotServe(String state) {
    return state.startsWith("08") || state.startsWith("57P") || state.startsWith("53") || state.startsWith("58")
        || List.of("90028", "90031", "90098", "90121").contains(state);
  }

  private static String rootMessage(Throwable e) {
    List<Throwable> chain = causes(e);
    Throwable root = chain.get(chain.size() - 1);
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  /** {@code e} and its causes, outermost first (an exception that is its own cause ends the chain). */
  private static List<Throwable> causes(Throwable e) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      chain.add(cause);
    }
    return chain;
  }
}
