package io.lightsout.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A Playwright script of {@code src/test/browser} run in Debian's Chromium: node, npm and Chromium are part of the
 * test (their absence fails it), {@code npm ci} runs once, and the script's {@code RESULT} line is its answer.
 */
public final class BrowserScript {

  public static final String CHROMIUM = "/usr/bin/chromium";
  public static final Path DIR = Path.of("src", "test", "browser").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();

  private BrowserScript() {}

  /**
   * Runs {@code script} with {@code env} (plus CHROMIUM and a 60 s step timeout), its output in {@code log}; returns
   * its RESULT line, or fails with its output.
   */
  public static JsonNode run(String script, Map<String, String> env, Path workDir, Path log)
      throws IOException, InterruptedException {
    if (!Files.isDirectory(DIR.resolve("node_modules/playwright-core"))) {
      run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), Duration.ofMinutes(5), workDir.resolve("npm-ci.log"));
    }
    Map<String, String> all = new HashMap<>(env);
    all.put("CHROMIUM", CHROMIUM);
    all.put("STEP_TIMEOUT_MS", "60000");
    String output = run(List.of("node", script), all, Duration.ofMinutes(5), log);
    String line = output.lines().filter(l -> l.startsWith("RESULT ")).findFirst()
        .orElseThrow(() -> new AssertionError(script + " printed no RESULT line:\n" + output));
    return JSON.readTree(line.substring("RESULT ".length()));
  }

  static String run(List<String> command, Map<String, String> env, Duration timeout, Path log)
      throws IOException, InterruptedException {
    Files.createDirectories(log.getParent());
    ProcessBuilder builder = new ProcessBuilder(command).directory(DIR.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!finished) {
      process.destroyForcibly().waitFor();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    System.out.println("$ " + String.join(" ", command) + "\n" + output);
    if (!finished || process.exitValue() != 0) {
      throw new AssertionError("`" + String.join(" ", command) + "` in " + DIR
          + (finished ? " failed (exit " + process.exitValue() + ")" : " did not finish within " + timeout)
          + ":\n" + output);
    }
    return output;
  }

  /** node, npm and Debian's Chromium are part of the test: their absence fails it, with what to install. */
  public static void requireTools(String test) {
    List<String> missing = new ArrayList<>();
    if (!onPath("node")) {
      missing.add("node (Node.js 20 or later: apt-get install -y nodejs)");
    }
    if (!onPath("npm")) {
      missing.add("npm (apt-get install -y npm)");
    }
    if (!Files.isExecutable(Path.of(CHROMIUM))) {
      missing.add(CHROMIUM + " (Debian's Chromium: apt-get install -y chromium; never a downloaded browser)");
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(test + " drives Tasklist in a real browser and needs: "
          + String.join(", ", missing));
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String entry : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(entry, program))) {
        return true;
      }
    }
    return false;
  }

  public static <T> T await(String what, Supplier<T> probe) {
    Instant deadline = Instant.now().plusSeconds(120);
    while (Instant.now().isBefore(deadline)) {
      T value = probe.get();
      if (value != null) {
        return value;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("timed out waiting for " + what);
  }
}
