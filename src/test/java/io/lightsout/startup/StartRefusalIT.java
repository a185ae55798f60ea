package io.lightsout.startup;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightsout.testing.AppProcess;
import io.lightsout.testing.TestDatabase;
import io.lightsout.testing.Tmpfs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every refusal to start, in the packaged jar's own JVM as an operator meets it: a non-zero exit, no stack
 * trace, and as the last line what to do. Production profile ({@code postgres}) unless said otherwise.
 */
class StartRefusalIT {

  private static final Duration START = Duration.ofSeconds(180);

  @TempDir
  Path workDir;

  @Test
  void noSecretKeyOnPostgres() {
    Map<String, String> env = production(TestDatabase.createSeparate());
    env.remove("LIGHTSOUT_SECRET_KEY");

    assertRefused(env, "no key for secrets at rest", "Set LIGHTSOUT_SECRET_KEY to base64 of 32 random bytes");
  }

  @Test
  void noAdminPasswordOnAFreshPostgresDatabase() {
    Map<String, String> env = production(TestDatabase.createSeparate());
    env.remove("LIGHTSOUT_ADMIN_PASSWORD");

    assertRefused(env, "No administrator exists yet and LIGHTSOUT_ADMIN_PASSWORD is not set",
        "Set LIGHTSOUT_ADMIN_PASSWORD to the first administrator's password");
  }

  @Test
  void databaseUnreachable() throws IOException {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    Map<String, String> env = production("jdbc:postgresql://127.0.0.1:" + closedPort + "/lightsout");

    assertRefused(env, "cannot reach the database jdbc:postgresql://127.0.0.1:" + closedPort + "/lightsout",
        "Start the database or point Lights-Out at it with LIGHTSOUT_DB_URL");
  }

  @Test
  void unreadableKeyFile() throws IOException {
    // the tests may run as root, who reads any file: a directory where the key file should be cannot be read by anyone
    Files.createDirectories(workDir.resolve("data/secret.key"));
    Map<String, String> env = production(TestDatabase.createSeparate());
    env.remove("LIGHTSOUT_SECRET_KEY");

    assertRefused(env, "cannot read the key file " + workDir.resolve("data/secret.key").toAbsolutePath(),
        "Make " + workDir.resolve("data/secret.key").toAbsolutePath() + " readable by the user running Lights-Out");
  }

  @Test
  void portTaken() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(0));
      int port = taken.getLocalPort();

      assertRefused(production(TestDatabase.createSeparate()), "port " + port + " is already in use",
          "give Lights-Out another port with LIGHTSOUT_PORT", "--server.port=" + port);
    }
  }

  @Test
  void readOnlyDataDirectoryOnTheEmbeddedDefault() {
    // a read-only filesystem, as a disk remounted read-only after errors: it stops root too (chmod does not)
    Path data = workDir.resolve("data");
    try (Tmpfs readOnly = Tmpfs.mount(data, "size=8m,ro")) {
      assertRefused(embedded(), "cannot write in the data directory " + data + " (Read-only file system)",
          "Make " + data + " a writable directory of the user running Lights-Out");
    }
  }

  @Test
  void fullDataDirectoryOnTheEmbeddedDefault() {
    Path data = workDir.resolve("data");
    try (Tmpfs full = Tmpfs.mount(data, "size=8m")) {
      full.fill();
      assertRefused(embedded(), "cannot write in the data directory " + data + " (No space left on device)",
          "Free space on the filesystem of " + data);
    }
  }

  @Test
  void nearlyFullDataDirectoryOnTheEmbeddedDefault() {
    Path data = workDir.resolve("data");
    try (Tmpfs small = Tmpfs.mount(data, "size=16m")) {
      assertRefused(embedded(), "the data directory " + data + " has only 16 MB free, less than the 64 MB a start needs",
          "Free space on the filesystem of " + data);
    }
  }

  private void assertRefused(Map<String, String> env, String problem, String action, String... args) {
    String console;
    int exit;
    try (AppProcess app = AppProcess.start(workDir, env, args)) {
      exit = app.awaitExit(START);
      console = app.console();
    }
    List<String> lines = console.lines().filter(line -> !line.isBlank()).toList();
    assertThat(exit).as(console).isNotZero();
    assertThat(console).contains("Lights-Out cannot start: " + problem);
    assertThat(lines.get(lines.size() - 1)).as(console).contains(action);
    assertThat(lines).as("no stack trace in:\n" + console)
        .noneMatch(line -> line.matches("\\s+at .*|\\s*java\\.base@.*|Caused by: .*|.*Exception in thread.*"));
    assertThat(lines.size()).as("lines of console").isLessThan(80);
  }

  private static Map<String, String> production(String databaseUrl) {
    Map<String, String> env = embedded();
    env.putAll(Map.of(
        "SPRING_PROFILES_ACTIVE", "postgres",
        "LIGHTSOUT_DB_URL", databaseUrl,
        "LIGHTSOUT_DB_USER", TestDatabase.USER,
        "LIGHTSOUT_DB_PASSWORD", TestDatabase.PASSWORD));
    return env;
  }

  /** The first run of the README: H2 under ./data (the key given, so that only the data directory is in question). */
  private static Map<String, String> embedded() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new HashMap<>(Map.of(
        "LIGHTSOUT_ADMIN_PASSWORD", "refusal-admin-pw-9",
        "LIGHTSOUT_SECRET_KEY", Base64.getEncoder().encodeToString(key)));
  }
}
