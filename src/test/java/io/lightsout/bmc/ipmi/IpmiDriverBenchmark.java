package io.lightsout.bmc.ipmi;

import io.lightsout.bmc.BmcGate;
import io.lightsout.bmc.BmcProperties;
import io.lightsout.bmc.BmcSettings;
import io.lightsout.security.CredentialCipher;
import io.lightsout.testing.BmcSimulatorFleet;
import io.lightsout.testing.TestSecrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Median time of status, on, off and cycle through the ipmi driver and through ipmitool ({@code -I lanplus -C 3})
 * against the same simulated BMC, in one run. Not a surefire default (name ends in Benchmark); run with
 * {@code mvn -q -Dtest=IpmiDriverBenchmark -Dsurefire.failIfNoSpecifiedTests=false test}. Writes
 * target/benchmarks/bmc-driver.md.
 */
class IpmiDriverBenchmark {

  private static final int REPETITIONS = Integer.getInteger("bench.repetitions", 30);
  private static final int WARM_UP = 5;

  private interface Operation {
    void run() throws Exception;
  }

  @Test
  void driverVersusIpmitool() throws Exception {
    CredentialCipher cipher = TestSecrets.cipher();
    BmcProperties properties = new BmcProperties();
    properties.setMinCommandInterval(Duration.ZERO);
    properties.setVerifyPollInterval(Duration.ofMillis(20));
    List<String> rows = new ArrayList<>();
    try (BmcSimulatorFleet fleet = BmcSimulatorFleet.start(1, false); IpmiClient client = new IpmiClient(properties)) {
      IpmiDriver driver = new IpmiDriver(new BmcGate(properties), properties, cipher, client);
      BmcSettings bmc = new BmcSettings("ipmi", fleet.host(), fleet.port(0), "admin",
          cipher.seal(fleet.password()), Map.of());
      rows.add(row("status", fleet, null, () -> driver.powerState(bmc), () -> ipmitool(fleet, "status")));
      rows.add(row("on (from off)", fleet, false, () -> driver.powerOn(bmc), () -> ipmitool(fleet, "on")));
      rows.add(row("off (from on)", fleet, true, () -> driver.powerOff(bmc), () -> ipmitool(fleet, "off")));
      rows.add(row("cycle (from on)", fleet, true, () -> driver.powerCycle(bmc), () -> ipmitool(fleet, "cycle")));
    }
    String table = "| operation | driver median (ms) | ipmitool median (ms) | driver / ipmitool |\n"
        + "|---|---:|---:|---:|\n" + String.join("\n", rows) + "\n";
    Path out = Path.of("target", "benchmarks", "bmc-driver.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, "Median of " + REPETITIONS + " repetitions each, after " + WARM_UP + " warm-up runs.\n\n" + table);
    System.out.println(table);
  }

  /** Medians of both ways; {@code preset} is the power state set before every repetition, or null. */
  private static String row(String name, BmcSimulatorFleet fleet, Boolean preset, Operation driver, Operation ipmitool)
      throws Exception {
    double ours = median(fleet, preset, driver);
    double theirs = median(fleet, preset, ipmitool);
    return String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.2f |", name, ours, theirs, ours / theirs);
  }

  private static double median(BmcSimulatorFleet fleet, Boolean preset, Operation operation) throws Exception {
    double[] millis = new double[REPETITIONS];
    for (int i = -WARM_UP; i < REPETITIONS; i++) {
      if (preset != null) {
        fleet.setPower(0, preset);
      }
      long started = System.nanoTime();
      operation.run();
      if (i >= 0) {
        millis[i] = (System.nanoTime() - started) / 1e6;
      }
    }
    Arrays.sort(millis);
    return REPETITIONS % 2 == 1 ? millis[REPETITIONS / 2]
        : (millis[REPETITIONS / 2 - 1] + millis[REPETITIONS / 2]) / 2;
  }

  private static void ipmitool(BmcSimulatorFleet fleet, String power) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder("ipmitool", "-I", "lanplus", "-C", "3", "-H", fleet.host(),
        "-p", Integer.toString(fleet.port(0)), "-U", "admin", "-E", "power", power).redirectErrorStream(true);
    builder.environment().put("IPMI_PASSWORD", fleet.password());
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(20, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("ipmitool power " + power + " failed: "
          + new String(output, StandardCharsets.UTF_8));
    }
  }
}
