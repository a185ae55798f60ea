package io.lightsout.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU used since {@link #of} by the app JVM, by the PostgreSQL backends of the benchmark's database, by this
 * benchmark JVM, and by everything else on the machine (other users of this shared machine included).
 */
record Cpu(long pid, String database, long appTicks, long postgresTicks, long selfTicks, long busyTicks,
                   long totalTicks) {
  private static final double HZ = 100.0;

  record Used(double appSeconds, double postgresSeconds, double machineBusy, double otherSeconds,
              String loadAverage, double selfSeconds) {
  }

  static Cpu of(long pid, String url) throws IOException {
    String database = url.substring(url.lastIndexOf('/') + 1);
    long[] machine = machine();
    return new Cpu(pid, database, ticks(pid), postgres(database), ticks(ProcessHandle.current().pid()), machine[0],
        machine[1]);
  }

  Used used() throws IOException {
    long[] machine = machine();
    long app = ticks(pid) - appTicks;
    long postgres = postgres(database) - postgresTicks;
    long self = ticks(ProcessHandle.current().pid()) - selfTicks;
    long busy = machine[0] - busyTicks;
    // /proc/stat counts every CPU's ticks: busy and total are summed over the cores
    String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    return new Used(app / HZ, postgres / HZ, (double) busy / Math.max(1, machine[1] - totalTicks),
        Math.max(0, busy - app - postgres - self) / HZ, load, self / HZ);
  }

  private static long ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static long postgres(String database) throws IOException {
    long sum = 0;
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path dir : dirs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
        try {
          if (Files.readString(dir.resolve("comm")).strip().equals("postgres")
              && Files.readString(dir.resolve("cmdline")).contains(" " + database + " ")) {
            sum += ticks(Long.parseLong(dir.getFileName().toString()));
          }
        } catch (IOException gone) {
          // the process ended meanwhile
        }
      }
    }
    return sum;
  }

  private static long[] machine() throws IOException {
    String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).split("\\s+");
    long total = 0;
    for (int i = 1; i < cpu.length; i++) {
      total += Long.parseLong(cpu[i]);
    }
    long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
    return new long[] {total - idle, total};
  }
}
