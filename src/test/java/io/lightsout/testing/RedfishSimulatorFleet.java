package io.lightsout.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lightsout.bmc.PowerState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A fleet of simulated Redfish BMCs (the project's {@code scripts/redfish-sim}: one Python process, one TCP port per
 * BMC) on 127.0.0.1 over HTTPS with a self-signed certificate, or HTTP. What each BMC received is read from its
 * files: {@link #events} (every request that changed or tried to change something, and every session created or
 * deleted) and {@link #sessions} (the simulator's own session counters). Faults and quirks are switched with
 * {@link #fault}. Fails, never skips, when Debian's python3 is missing.
 */
public final class RedfishSimulatorFleet implements SimulatedBmcs {

  /** One line of a BMC's event log: e.g. kind {@code reset}, argument {@code ForceOff}, status {@code 204}. */
  public record Event(long epochMillis, String kind, String argument, String status) {

    /** The event without its time: {@code "reset ForceOff 204"}. */
    public String text() {
      return kind + " " + argument + " " + status;
    }
  }

  /** The simulator's session counters of one BMC: open now, most ever open at once, created, deleted, expired. */
  public record Sessions(int open, int max, int created, int deleted, int expired) {
  }

  public static final String PASSWORD = "lightsout-sim-pw";
  public static final String USER = "admin";
  private static final String HOST = "127.0.0.1";
  private static final Path SCRIPTS = Path.of("scripts", "redfish-sim").toAbsolutePath();
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int size;
  private final int basePort;
  private final Path dir;
  private final boolean https;
  private boolean closed;

  private RedfishSimulatorFleet(int size, int basePort, Path dir, boolean https) {
    this.size = size;
    this.basePort = basePort;
    this.dir = dir;
    this.https = https;
  }

  /** Starts n BMCs over HTTPS on free consecutive TCP ports in 40000-49999, in a new directory under target/. */
  public static RedfishSimulatorFleet start(int n) {
    return start(n, true);
  }

  public static RedfishSimulatorFleet start(int n, boolean https) {
    if (!Files.isExecutable(Path.of("/usr/bin/python3"))) {
      throw new IllegalStateException("/usr/bin/python3 is missing: the Redfish simulator needs Debian's python3");
    }
    Path dir = SimulatorScripts.fleetDir("redfish-sim");
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      RedfishSimulatorFleet fleet = new RedfishSimulatorFleet(n, freePorts(n), dir, https);
      List<String> args = new ArrayList<>(List.of(Integer.toString(n), Integer.toString(fleet.basePort),
          dir.toString()));
      if (!https) {
        args.add("--http");
      }
      try {
        fleet.script("start", args.toArray(String[]::new));
        return fleet;
      } catch (IllegalStateException e) {
        last = e;
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

  public int size() {
    return size;
  }

  public String scheme() {
    return https ? "https" : "http";
  }

  /** {@code https://127.0.0.1:port}. */
  public String baseUrl(int i) {
    return scheme() + "://" + HOST + ":" + port(i);
  }

  /** The simulator's self-signed certificate (its own CA), PEM. */
  public String certificatePem() {
    return read(certificateFile());
  }

  public Path certificateFile() {
    return dir.resolve("tls").resolve("cert.pem");
  }

  /** The directory of BMC i: port, state.json, faults.json, events.log, sessions.json. */
  public Path dir(int i) {
    checkIndex(i);
    return dir.resolve(Integer.toString(i));
  }

  /** Every event BMC i logged, oldest first. */
  public List<Event> events(int i) {
    List<Event> events = new ArrayList<>();
    for (String line : lines(dir(i).resolve("events.log"))) {
      String[] parts = line.split(" ", 4);
      events.add(new Event(Long.parseLong(parts[0]), parts[1], parts[2], parts[3]));
    }
    return events;
  }

  /** The events of BMC i without times, e.g. ["session-create 3 201", "reset ForceOff 204", ...]. */
  public List<String> log(int i) {
    return events(i).stream().map(Event::text).toList();
  }

  /** The reset requests BMC i received with their answers, e.g. ["ForceOff 204", "On 409", "On 204"]. */
  public List<String> resets(int i) {
    return events(i).stream().filter(e -> e.kind().equals("reset")).map(e -> e.argument() + " " + e.status())
        .toList();
  }

  /** The most sessions BMC i had open at once according to its event log (since the last {@link #clearLogs}). */
  public int peakSessionsInLog(int i) {
    int open = 0;
    int peak = 0;
    for (Event event : events(i)) {
      if (event.kind().equals("session-create") && event.status().equals("201")) {
        peak = Math.max(peak, ++open);
      } else if (event.kind().equals("session-delete") && event.status().equals("204")
          || event.kind().equals("session-expire")) {
        open--;
      }
    }
    return peak;
  }

  /** The session counters of BMC i, kept by the simulator since it started. */
  public Sessions sessions(int i) {
    try {
      return JSON.readValue(dir(i).resolve("sessions.json").toFile(), Sessions.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Forgets the event logs of all BMCs. */
  public void clearLogs() {
    for (int i = 0; i < size; i++) {
      write(dir(i).resolve("events.log"), "");
    }
  }

  /** The power state BMC i holds (a transition under way counts as its starting state). */
  public PowerState powerState(int i) {
    JsonNode state = readJson(dir(i).resolve("state.json"));
    return "On".equals(state.path("PowerState").asText()) ? PowerState.ON : PowerState.OFF;
  }

  /** Presets BMC i's power state (long enough ago that no quirk of a recent power-off applies). */
  public void setPower(int i, boolean on) {
    ObjectNode state = JSON.createObjectNode().put("PowerState", on ? "On" : "Off");
    if (!on) {
      state.put("offAt", 0);
    }
    writeJson(dir(i).resolve("state.json"), state);
  }

  /** Sets one fault or quirk of BMC i (see scripts/redfish-sim/redfish_sim.py, FAULTS); null removes it. */
  public void fault(int i, String name, Object value) {
    Path file = dir(i).resolve("faults.json");
    ObjectNode faults = (ObjectNode) readJson(file);
    if (value == null) {
      faults.remove(name);
    } else {
      faults.set(name, JSON.valueToTree(value));
    }
    writeJson(file, faults);
  }

  /** BMC i without faults or quirks. */
  public void normal(int i) {
    writeJson(dir(i).resolve("faults.json"), JSON.createObjectNode());
  }

  /** Runs a program with the simulator's password in its environment; answers its output (stdout and stderr). */
  public String run(List<String> command, Duration timeout) {
    return SimulatorScripts.run(command, Map.of("REDFISH_SIM_PASSWORD", PASSWORD), dir, timeout);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      script("stop", dir.toString());
    }
  }

  private void script(String name, String... args) {
    List<String> command = new ArrayList<>();
    command.add(SCRIPTS.resolve(name).toString());
    command.addAll(List.of(args));
    try {
      run(command, SCRIPT_TIMEOUT);
    } catch (IllegalStateException e) {
      throw new IllegalStateException("scripts/redfish-sim/" + name + " " + String.join(" ", args) + " "
          + e.getMessage(), e);
    }
  }

  private static int freePorts(int n) {
    return SimulatorScripts.freePorts(n, 40000, 50000, false);
  }

  private void checkIndex(int i) {
    SimulatorScripts.checkIndex(i, size);
  }

  private static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Written beside and moved into place: the simulator never reads half a file. */
  private static void writeJson(Path file, JsonNode value) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".test-tmp");
      JSON.writeValue(tmp.toFile(), value);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> lines(Path file) {
    return SimulatorScripts.lines(file, StandardCharsets.UTF_8);
  }

  private static void write(Path file, String content) {
    try {
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
