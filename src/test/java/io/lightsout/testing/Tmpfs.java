package io.lightsout.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small tmpfs: a filesystem of its own that can be read-only or full without touching the machine's (a
 * read-only filesystem and a full one stop root too, where chmod does not). Needs root (mount); the suite runs
 * as root in CI ({@code .ci/run}). A refused mount fails the test, it is not skipped.
 */
public final class Tmpfs implements AutoCloseable {

  private final Path directory;

  private Tmpfs(Path directory) {
    this.directory = directory;
  }

  /** {@code options} as mount takes them: {@code size=8m}, {@code size=8m,ro}. */
  public static Tmpfs mount(Path directory, String options) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    run("mount", "-t", "tmpfs", "-o", options, "lightsout-test", directory.toString());
    return new Tmpfs(directory);
  }

  /** Writes a filler file until the filesystem says it is full. */
  public void fill() {
    try (OutputStream out = Files.newOutputStream(filler())) {
      byte[] block = new byte[64 * 1024];
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      assertThat(full.getMessage()).contains("No space left on device");
    }
  }

  /** Removes the filler: the space is free again. */
  public void free() {
    try {
      Files.deleteIfExists(filler());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path filler() {
    return directory.resolve("filler");
  }

  @Override
  public void close() {
    run("umount", directory.toString());
  }

  private static void run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor()).as(String.join(" ", command) + " (needs root): " + output).isZero();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
