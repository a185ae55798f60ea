package io.lightsout.testing;

import io.lightsout.bmc.PowerState;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A fleet of real IPMI BMCs (OpenIPMI {@code ipmi_sim}, one process each) on 127.0.0.1, started and stopped with the
 * project's {@code scripts/bmc-sim} scripts. What the BMCs received is read from their files: {@link #events} (every
 * power command), {@link #chassisCalls} (every call of the chassis program with begin and end) and
 * {@link #sessionLog} (every session the BMC opened and closed). Fails, never skips, when ipmi_sim is missing.
 */
public final class BmcSimulatorFleet implements SimulatedBmcs {

  /** One power command the BMC's chassis program received, e.g. {@code set power 1}. */
  public record BmcEvent(long epochMillis, String command) {
  }

  /** One call of the chassis program (reads too): when it began and ended, its exit code, the command. */
  public record ChassisCall(long beginMillis, long endMillis, int exitCode, String command) {
  }

  /**
   * Sessions as one BMC saw them: started, closed on request, abandoned by their client before carrying a request,
   * and the most in use at once. See {@link #sessionLog}.
   */
  public record SessionLog(int started, int closed, int abandoned, int peakInUse) {
  }

  public static final String DEFAULT_PASSWORD = "lightsout-sim-pw";
  private static final String HOST = "127.0.0.1";
  private static final Path SCRIPTS = Path.of("scripts", "bmc-sim").toAbsolutePath();
  /**
   * How long a script may run: 60 s, plus a quarter of a second per BMC of the fleet, as starting BMCs takes time in
   * proportion (1,000 took 77 to 113 s on 2 cores: started one after the other, then all waited for at once).
   */
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration SCRIPT_TIMEOUT_PER_BMC = Duration.ofMillis(250);

  private final int size;
  private final int basePort;
  private final Path dir;
  private final String password;
  private final boolean debug;
  private boolean closed;

  private BmcSimulatorFleet(int size, int basePort, Path dir, String password, boolean debug) {
    this.size = size;
    this.basePort = basePort;
    this.dir = dir;
    this.password = password;
    this.debug = debug;
  }

  /** Starts n BMCs on free consecutive UDP ports in 20000-39999, in a new directory under target/. */
  public static BmcSimulatorFleet start(int n) {
    return start(n, true);
  }

  /**
   * Starts n BMCs; with {@code sessionLog} false they keep no debug log (a little faster, for benchmarks), so
   * {@link #sessionLog} sees no sessions.
   */
  public static BmcSimulatorFleet start(int n, boolean sessionLog) {
    requireOnPath("ipmi_sim", "openipmi");
    requireOnPath("ipmitool", "ipmitool");
    Path dir = SimulatorScripts.fleetDir("bmc-sim");
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      BmcSimulatorFleet fleet = new BmcSimulatorFleet(n, freePorts(n), dir, DEFAULT_PASSWORD, sessionLog);
      try {
        fleet.script("start", Integer.toString(n), Integer.toString(fleet.basePort), dir.toString());
        return fleet;
      } catch (IllegalStateException e) {
        last = e;
        fleet.close();
        deleteBmcDirs(dir);
      }
    }
    throw last;
  }

  public String host() {
    return HOST;
  }

  public int port(int i) {
    checkIndex(i);
    return basePort + i;
  }

  public String password() {
    return password;
  }

  public int size() {
    return size;
  }

  /** The directory of BMC i: lan.conf, power, mode, events.log, chassis.log, sim.log, pid. */
  public Path dir(int i) {
    checkIndex(i);
    return dir.resolve("bmc-" + i);
  }

  /** Every power command BMC i received (set power 0|1, set reset 1, set shutdown 1, ...), oldest first. */
  public List<BmcEvent> events(int i) {
    List<BmcEvent> events = new ArrayList<>();
    for (String line : lines(dir(i).resolve("events.log"))) {
      String[] parts = line.split(" ", 2);
      events.add(new BmcEvent(Long.parseLong(parts[0]), parts[1]));
    }
    return events;
  }

  /** The commands alone of {@link #events}, e.g. ["set power 0", "set power 1"]. */
  public List<String> commands(int i) {
    return events(i).stream().map(BmcEvent::command).toList();
  }

  /** Every call of BMC i's chassis program, reads included, oldest first. */
  public List<ChassisCall> chassisCalls(int i) {
    List<ChassisCall> calls = new ArrayList<>();
    for (String line : lines(dir(i).resolve("chassis.log"))) {
      String[] parts = line.split(" ", 4);
      calls.add(new ChassisCall(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Integer.parseInt(parts[2]),
          parts.length > 3 ? parts[3] : ""));
    }
    return calls;
  }

  /**
   * Sessions as BMC i logged them in its debug log, in its own (single-threaded) order. Every IPMI request inside a
   * session carries the session's id, so each session is followed by its id: it is in use from its first request to
   * its last one (its close request, or the last request before its client gave up on it). The peak is the most
   * sessions whose spans overlap; 1 means no request of one session arrived while another session was in use. A
   * session that never carried a request counts as abandoned: a client gave up on it while authenticating. Were
   * every session closed by its client, {@code started == closed + abandoned}.
   */
  public SessionLog sessionLog(int i) {
    int started = 0;
    int closed = 0;
    List<long[]> spans = new ArrayList<>();
    Map<String, long[]> open = new java.util.HashMap<>();
    String lastSession = null;
    long position = 0;
    boolean payloadFollows = false;
    for (String raw : lines(dir(i).resolve("sim.log"))) {
      String line = raw.strip();
      if (payloadFollows) {
        payloadFollows = false;
        String[] bytes = line.split(" ");
        // RMCP header (4 bytes), auth type 0x06 (RMCP+), payload type (0: an IPMI request), then the session id.
        if (bytes.length > 9 && bytes[4].equals("06") && (Integer.parseInt(bytes[5], 16) & 0x3f) == 0) {
          String id = bytes[6] + bytes[7] + bytes[8] + bytes[9];
          long at = position++;
          long[] span = open.computeIfAbsent(id, key -> {
            long[] created = {at, at};
            spans.add(created);
            return created;
          });
          span[1] = at;
          lastSession = id;
        }
      } else if (line.startsWith("Receive message:")) {
        payloadFollows = true;
      } else if (line.startsWith("Activate session: Session started")) {
        started++;
      } else if (line.startsWith("Session closed: Closed due to request")) {
        closed++;
        if (lastSession != null) {
          open.remove(lastSession); // its id may be given out again: a later request with it is another session
        }
      }
    }
    return new SessionLog(started, closed, started - spans.size(), peakOverlap(spans));
  }

  private static int peakOverlap(List<long[]> spans) {
    List<long[]> edges = new ArrayList<>();
    for (long[] span : spans) {
      edges.add(new long[] {span[0], 1});
      edges.add(new long[] {span[1], -1});
    }
    // at one position a span that begins counts before one that ends there (a one-request session is in use)
    edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(b[1], a[1]));
    int inUse = 0;
    int peak = 0;
    for (long[] edge : edges) {
      inUse += (int) edge[1];
      peak = Math.max(peak, inUse);
    }
    return peak;
  }

  /** Forgets what all BMCs received so far (events, chassis calls, session log). */
  public void clearLogs() {
    for (int i = 0; i < size; i++) {
      for (String file : List.of("events.log", "chassis.log", "sim.log")) {
        try {
          Files.write(dir(i).resolve(file), new byte[0]);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  /** The power state in BMC i's power file. */
  public PowerState powerState(int i) {
    String value = lines(dir(i).resolve("power")).stream().findFirst().orElse("0").strip();
    return "1".equals(value) ? PowerState.ON : PowerState.OFF;
  }

  /** Presets BMC i's power state. */
  public void setPower(int i, boolean on) {
    write(dir(i).resolve("power"), on ? "1" : "0");
  }

  /** How long BMC i takes from a soft shutdown request to power off (default 0: at once). */
  public void softOffDelay(int i, Duration delay) {
    write(dir(i).resolve("soft-off-delay-ms"), Long.toString(delay.toMillis()));
  }

  /** SIGSTOP: BMC i answers nothing; packets queue up and are processed on {@link #thaw}. */
  public void freeze(int i) {
    fault(i, "frozen");
  }

  /** Thaws BMC i and lets it answer normally (restarts it if it was killed). */
  public void thaw(int i) {
    normal(i);
  }

  /** BMC i answers every power command with completion code 0xFF. */
  public void failing(int i) {
    fault(i, "failing");
  }

  /** Every chassis call of BMC i takes this many seconds, during which the whole BMC hangs. */
  public void slow(int i, double seconds) {
    fault(i, "slow", Double.toString(seconds));
  }

  /**
   * BMC i carries out its next {@code commands} set commands, then answers each {@code seconds} late (past the
   * client's timeout: the answer is lost, the command was not); it hangs meanwhile, then works normally again.
   */
  public void loseAnswers(int i, int commands, double seconds) {
    fault(i, "lose", Integer.toString(commands), Double.toString(seconds));
  }

  /** BMC i works normally again: thawed, not slow, not failing; restarted if it was killed. */
  public void normal(int i) {
    fault(i, "normal");
  }

  /** Kills BMC i's process. */
  public void kill(int i) {
    fault(i, "killed");
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      script("stop", dir.toString());
    }
  }

  private void fault(int i, String... mode) {
    checkIndex(i);
    List<String> args = new ArrayList<>(List.of(dir.toString(), Integer.toString(i)));
    args.addAll(List.of(mode));
    script("fault", args.toArray(String[]::new));
  }

  private void script(String name, String... args) {
    List<String> command = new ArrayList<>();
    command.add(SCRIPTS.resolve(name).toString());
    command.addAll(List.of(args));
    try {
      SimulatorScripts.run(command, Map.of("BMC_SIM_PASSWORD", password, "BMC_SIM_DEBUG", debug ? "1" : "0"), dir,
          SCRIPT_TIMEOUT.plus(SCRIPT_TIMEOUT_PER_BMC.multipliedBy(size)));
    } catch (IllegalStateException e) {
      throw new IllegalStateException("scripts/bmc-sim/" + name + " " + String.join(" ", args) + " " + e.getMessage(),
          e);
    }
  }

  private static int freePorts(int n) {
    return SimulatorScripts.freePorts(n, 20000, 40000, true);
  }

  private static void requireOnPath(String program, String debianPackage) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String entry : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(entry, program))) {
        return;
      }
    }
    throw new IllegalStateException(program + " is not installed: the BMC simulator fleet needs it"
        + " (apt-get install -y " + debianPackage + ")");
  }

  private static void deleteBmcDirs(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void checkIndex(int i) {
    SimulatorScripts.checkIndex(i, size);
  }

  private static List<String> lines(Path file) {
    return SimulatorScripts.lines(file, StandardCharsets.ISO_8859_1);
  }

  private static void write(Path file, String content) {
    try {
      Files.writeString(file, content + "\n", StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
