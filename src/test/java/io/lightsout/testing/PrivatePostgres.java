package io.lightsout.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server of one test's own (initdb under target/, a free port, trust for user postgres), for faults
 * that must not touch the shared server on 5432: it can be stopped and started again while the application runs.
 * Run as root, the server runs as the OS user {@code postgres} (PostgreSQL refuses root).
 */
public final class PrivatePostgres implements AutoCloseable {

  private static final Path BIN = serverBinaries();

  private final Path base;
  private final Path data;
  private final int port;
  private boolean running;

  private PrivatePostgres(Path base, int port) {
    this.base = base;
    this.data = base.resolve("data");
    this.port = port;
  }

  /** initdb and start; the database {@code lightsout} exists afterwards. */
  public static PrivatePostgres start() {
    try {
      Files.createDirectories(Path.of("target", "private-pg"));
      Path base = Files.createTempDirectory(Path.of("target", "private-pg").toAbsolutePath(), "pg-");
      PrivatePostgres server = new PrivatePostgres(base, freePort());
      if (asRoot()) {
        run(List.of("chown", "postgres:postgres", base.toString()));
      }
      server.pg("initdb", "-D", server.data.toString(), "-U", "postgres", "-A", "trust", "--no-sync");
      server.startAgain();
      try (Connection connection = DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", "");
           Statement statement = connection.createStatement()) {
        statement.execute("CREATE DATABASE lightsout");
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  public int port() {
    return port;
  }

  /** Stops the server at once (fast mode: open connections are cut). */
  public void stop() {
    pg("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "stop");
    running = false;
  }

  /** Starts the stopped server on the same port and data. */
  public void startAgain() {
    pg("pg_ctl", "-D", data.toString(), "-l", base.resolve("postgres.log").toString(), "-w", "-t", "60", "-o",
        "-p " + port + " -c listen_addresses=127.0.0.1 -k " + base + " -c fsync=off -c max_connections=200",
        "start");
    running = true;
  }

  @Override
  public void close() {
    if (running) {
      pg("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
      running = false;
    }
  }

  private void pg(String program, String... args) {
    List<String> command = new ArrayList<>();
    if (asRoot()) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(BIN.resolve(program).toString());
    command.addAll(List.of(args));
    run(command);
  }

  private static void run(List<String> command) {
    try {
      Path output = Files.createTempFile("pg-", ".out");
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within 120 s");
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      Files.delete(output);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
            + text);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Debian's layout: /usr/lib/postgresql/VERSION/bin; the newest installed version. */
  private static Path serverBinaries() {
    try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions.filter(dir -> dir.getFileName().toString().matches("\\d+"))
          .filter(dir -> Files.isExecutable(dir.resolve("bin/initdb")))
          .max(java.util.Comparator.comparingInt(dir -> Integer.parseInt(dir.getFileName().toString())))
          .map(dir -> dir.resolve("bin"))
          .orElseThrow(() -> new IllegalStateException("no PostgreSQL server binaries under /usr/lib/postgresql"));
    } catch (IOException e) {
      throw new IllegalStateException("PostgreSQL server binaries not found (apt-get install -y postgresql)", e);
    }
  }

  private static boolean asRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
