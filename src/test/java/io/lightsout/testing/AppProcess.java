package io.lightsout.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Lights-Out as a user runs it: the packaged jar in its own JVM and working directory, with its
 * console captured to a file. Can be stopped cleanly or killed with SIGKILL.
 */
public final class AppProcess implements AutoCloseable {

  /**
   * The JVM options Lights-Out ships with (the Dockerfile and {@code mvn spring-boot:run} use them too, with
   * {@code MALLOC_ARENA_MAX=2} in the environment).
   */
  public static final Path JVM_OPTIONS = Path.of(System.getProperty("lightsout.jvm-options",
      "src/main/jvm/lightsout.jvm.options"));

  private final Process process;
  private final Path console;
  private final int port;

  private AppProcess(Process process, Path console, int port) {
    this.process = process;
    this.console = console;
    this.port = port;
  }

  /** The shipped JVM options as one line, for reports. */
  public static String jvmOptions() {
    try {
      return String.join(" ", Files.readAllLines(JVM_OPTIONS)).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the jar in {@code workDir}; the environment has no LIGHTSOUT_* variable but those given. */
  public static AppProcess start(Path workDir, Map<String, String> env, String... args) {
    String jar = System.getProperty("lightsout.jar");
    if (jar == null || !Files.exists(Path.of(jar))) {
      throw new IllegalStateException("Run with `mvn verify`: the packaged jar is missing (lightsout.jar=" + jar + ")");
    }
    try {
      Files.createDirectories(workDir);
      int port = List.of(args).stream().filter(a -> a.startsWith("--server.port=")).findFirst()
          .map(a -> Integer.parseInt(a.substring("--server.port=".length()))).orElseGet(AppProcess::freePort);
      Path console = workDir.resolve("console-" + Instant.now().toEpochMilli() + ".log");
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "@" + JVM_OPTIONS.toAbsolutePath(), "-jar", Path.of(jar).toAbsolutePath().toString()));
      command.addAll(List.of(args));
      if (List.of(args).stream().noneMatch(a -> a.startsWith("--server.port="))) {
        command.add("--server.port=" + port);
      }
      ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
          .redirectErrorStream(true).redirectOutput(console.toFile());
      builder.environment().keySet().removeIf(name -> name.startsWith("LIGHTSOUT_"));
      builder.environment().put("MALLOC_ARENA_MAX", "2"); // as the Dockerfile and mvn spring-boot:run set it
      builder.environment().putAll(env);
      return new AppProcess(builder.start(), console, port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public ApiClient as(String user, String password) {
    return new ApiClient(baseUrl(), user, password);
  }

  public long pid() {
    return process.pid();
  }

  /** Waits until the actuator reports UP; fails with the console's tail if the process dies or times out. */
  public AppProcess awaitHealthy(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Lights-Out exited with " + process.exitValue() + ":\n" + tail());
      }
      try {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
          return this;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(250);
    }
    kill();
    throw new IllegalStateException("Lights-Out not healthy within " + timeout + " (killed):\n" + tail());
  }

  /** Waits until the process ends by itself; its exit code. Fails (after killing it) when it is still running. */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
        throw new IllegalStateException("Lights-Out still running after " + timeout + " (killed):\n" + tail());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String console() {
    try {
      return Files.readString(console);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGTERM and wait: a clean shutdown. */
  public void stop() {
    process.destroy();
    await(Duration.ofSeconds(60));
  }

  /** SIGKILL: the JVM gets no chance to clean up, as in a power cut. */
  public void kill() {
    process.destroyForcibly();
    await(Duration.ofSeconds(30));
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  private void await(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String tail() {
    String text = console();
    return text.substring(Math.max(0, text.length() - 4000));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
