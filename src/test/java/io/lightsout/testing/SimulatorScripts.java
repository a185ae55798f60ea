package io.lightsout.testing;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** What the BMC simulator fleets share: a directory per fleet, running their scripts, reading their log files. */
final class SimulatorScripts {

  private SimulatorScripts() {
  }

  /** A new directory {@code target/<kind>/fleet-*} for one fleet's BMCs. */
  static Path fleetDir(String kind) {
    try {
      Files.createDirectories(Path.of("target", kind));
      return Files.createTempDirectory(Path.of("target", kind).toAbsolutePath(), "fleet-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs a program to its end within the timeout, with these variables added to its environment; answers its output
   * (stdout and stderr), or throws {@link IllegalStateException} with that output when it exits non-zero.
   */
  static String run(List<String> command, Map<String, String> env, Path outputDir, Duration timeout) {
    try {
      File output = Files.createTempFile(outputDir, "run-", ".out").toFile();
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output);
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(command.get(0) + " did not finish within " + timeout.toSeconds() + " s");
      }
      String text = Files.readString(output.toPath(), StandardCharsets.UTF_8).strip();
      Files.delete(output.toPath());
      if (process.exitValue() != 0) {
        throw new IllegalStateException("failed (exit " + process.exitValue() + "): " + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
  }

  /** The non-blank lines of a file, or none when it does not exist. */
  static List<String> lines(Path file, Charset charset) {
    try {
      return Files.exists(file) ? Files.readAllLines(file, charset).stream().filter(line -> !line.isBlank()).toList()
          : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first of n free consecutive loopback ports (UDP or TCP) in [from, to), picked at random. */
  static int freePorts(int n, int from, int to, boolean udp) {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(from, to - n);
      if (allFree(base, n, udp)) {
        return base;
      }
    }
    throw new IllegalStateException("found no " + n + " free consecutive " + (udp ? "UDP" : "TCP") + " ports in "
        + from + "-" + (to - 1));
  }

  private static boolean allFree(int base, int n, boolean udp) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int port = base; port < base + n; port++) {
      try (Closeable probe = udp ? new DatagramSocket(port, loopback) : new ServerSocket(port, 1, loopback)) {
        // bound: free
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  static void checkIndex(int i, int size) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("BMC " + i + " is not in this fleet of " + size);
    }
  }
}
