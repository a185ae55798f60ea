package io.lightsout.startup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Whether the embedded H2 database can write under its directory ({@code ./data} by default), checked before
 * H2 opens it: H2 opens a read-only file read-only without a word and fails only at the first write, and a
 * full disk fails the engine's first write half-way through a start. A probe file is written and synced
 * instead of asking for permissions, so it also holds for root (who passes every permission check but not a
 * read-only or full filesystem, nor an immutable directory).
 */
final class DataDirectoryCheck {

  /** What a start writes (schema, deployments, history of the first requests) with room to spare. */
  static final long MINIMUM_FREE_BYTES = 64L * 1024 * 1024;

  private static final String PREFIX = "jdbc:h2:file:";
  private static final String ACTION_WRITABLE = "Make %s a writable directory of the user running Lights-Out, "
      + "or point LIGHTSOUT_DB_URL at another place.";

  private DataDirectoryCheck() {
  }

  /** Checks the directory of an H2 file URL; other URLs are not files here. */
  static void check(String jdbcUrl) {
    if (jdbcUrl.startsWith(PREFIX)) {
      check(databaseFile(jdbcUrl));
    }
  }

  /** {@code jdbc:h2:file:./data/lightsout;…} → {@code ./data/lightsout} (H2 reads a leading ~ as the home directory). */
  static Path databaseFile(String jdbcUrl) {
    String name = jdbcUrl.substring(PREFIX.length());
    int parameters = name.indexOf(';');
    name = parameters < 0 ? name : name.substring(0, parameters);
    if (name.startsWith("~")) {
      name = System.getProperty("user.home") + name.substring(1);
    }
    return Path.of(name).toAbsolutePath().normalize();
  }

  static void check(Path databaseFile) {
    Path directory = databaseFile.getParent();
    String action = String.format(ACTION_WRITABLE, directory);
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new StartRefusal("cannot create the data directory " + directory + " (" + reason(e) + ").", action);
    }
    probe(directory, action);
    for (String suffix : new String[] {".mv.db", ".trace.db"}) {
      Path file = Path.of(databaseFile + suffix);
      if (Files.exists(file) && !Files.isWritable(file)) {
        throw new StartRefusal("the database file " + file + " is read-only (H2 would open it read-only and "
            + "every change would fail).", "Make " + file + " writable by the user running Lights-Out.");
      }
    }
    long free = freeBytes(directory);
    if (free < MINIMUM_FREE_BYTES) {
      throw new StartRefusal("the data directory " + directory + " has only " + megabytes(free) + " MB free, "
          + "less than the " + megabytes(MINIMUM_FREE_BYTES) + " MB a start needs.",
          freeSpace(directory));
    }
  }

  /** Writes, syncs and removes a small file: what permissions alone cannot tell (read-only, full, immutable). */
  private static void probe(Path directory, String action) {
    Path probe = directory.resolve(".lightsout-write-probe");
    try {
      try (FileChannel channel = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        channel.write(ByteBuffer.allocate(64 * 1024));
        channel.force(true);
      }
    } catch (IOException e) {
      throw new StartRefusal("cannot write in the data directory " + directory + " (" + reason(e) + ").",
          reason(e).contains("No space left") ? freeSpace(directory) : action);
    } finally {
      try {
        Files.deleteIfExists(probe);
      } catch (IOException ignored) {
        // the write failed already and says why
      }
    }
  }

  private static String freeSpace(Path directory) {
    return "Free space on the filesystem of " + directory + " (df -h " + directory + "), "
        + "or point LIGHTSOUT_DB_URL at another place.";
  }

  private static long freeBytes(Path directory) {
    try {
      return Files.getFileStore(directory).getUsableSpace();
    } catch (IOException e) {
      return Long.MAX_VALUE;
    }
  }

  private static long megabytes(long bytes) {
    return bytes / (1024 * 1024);
  }

  /** The operating system's words: "Read-only file system", "No space left on device", "Permission denied". */
  private static String reason(IOException e) {
    String reason = e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null ? fs.getReason()
        : e.getMessage();
    return reason == null ? e.getClass().getSimpleName() : reason;
  }
}
