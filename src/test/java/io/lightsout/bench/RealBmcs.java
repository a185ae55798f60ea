package io.lightsout.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightsout.bmc.PowerState;
import io.lightsout.testing.BmcSimulatorFleet;
import io.lightsout.testing.RedfishSimulatorFleet;
import io.lightsout.testing.SimulatedBmcs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The simulated BMCs of the "real BMCs" benchmark part, with what the part needs of them: a node's BMC settings, a
 * shell loop that cycles one BMC without Lights-Out ({@code {}} stands for its port), and what each BMC logged.
 */
abstract class RealBmcs implements AutoCloseable {

  private final SimulatedBmcs fleet;

  RealBmcs(SimulatedBmcs fleet) {
    this.fleet = fleet;
  }

  /** The title of the part, e.g. "ipmi_sim BMCs". */
  abstract String title();

  abstract String driver();

  /** The JSON of node i's {@code bmc} object. */
  abstract String nodeBmc(int i);

  /** One BMC's off-then-on without Lights-Out, for {@code xargs -I{}}: {@code {}} is the BMC's port. */
  abstract String loop();

  /** What {@link #loop} is called in the report. */
  abstract String loopName();

  abstract Map<String, String> loopEnv();

  /** The power commands BMC i took, in order, as {@link #off}/{@link #on} name them. */
  abstract List<String> commands(int i);

  abstract String off();

  abstract String on();

  int port(int i) {
    return fleet.port(i);
  }

  boolean isOn(int i) {
    return fleet.powerState(i) == PowerState.ON;
  }

  /** BMC i on, without the quirks of a recent power change. */
  void setOn(int i) {
    fleet.setPower(i, true);
  }

  void clearLogs() {
    fleet.clearLogs();
  }

  @Override
  public void close() {
    fleet.close();
  }

  /** OpenIPMI's ipmi_sim, cycled by ipmitool. */
  static final class Ipmi extends RealBmcs {

    private final BmcSimulatorFleet fleet;

    Ipmi(BmcSimulatorFleet fleet) {
      super(fleet);
      this.fleet = fleet;
    }

    @Override
    String title() {
      return "ipmi_sim BMCs";
    }

    @Override
    String driver() {
      return "ipmi";
    }

    @Override
    String nodeBmc(int i) {
      return "{\"driver\":\"ipmi\",\"host\":\"" + fleet.host() + "\",\"port\":" + fleet.port(i)
          + ",\"username\":\"admin\",\"password\":\"" + fleet.password() + "\"}";
    }

    @Override
    String loop() {
      String ipmitool = "ipmitool -I lanplus -C 3 -H " + fleet.host() + " -p {} -U admin -E power";
      return ipmitool + " off > /dev/null && " + ipmitool + " on > /dev/null";
    }

    @Override
    String loopName() {
      return "ipmitool";
    }

    @Override
    Map<String, String> loopEnv() {
      return Map.of("IPMI_PASSWORD", fleet.password());
    }

    @Override
    List<String> commands(int i) {
      return fleet.commands(i);
    }

    @Override
    String off() {
      return "set power 0";
    }

    @Override
    String on() {
      return "set power 1";
    }
  }

  /**
   * The project's Redfish simulator over HTTPS, cycled by curl with Basic authentication (a process and a TLS
   * handshake per call); nodes trust its certificate through option caCertificate.
   */
  static final class Redfish extends RealBmcs {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final RedfishSimulatorFleet fleet;
    private final Path work;

    private Redfish(RedfishSimulatorFleet fleet, Path work) {
      super(fleet);
      this.fleet = fleet;
      this.work = work;
    }

    static Redfish start(int n) {
      RedfishSimulatorFleet fleet = RedfishSimulatorFleet.start(n);
      try {
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "bench-redfish-");
        Files.writeString(work.resolve("off.json"), "{\"ResetType\":\"ForceOff\"}");
        Files.writeString(work.resolve("on.json"), "{\"ResetType\":\"On\"}");
        return new Redfish(fleet, work);
      } catch (IOException e) {
        fleet.close();
        throw new UncheckedIOException(e);
      }
    }

    @Override
    String title() {
      return "Redfish simulator BMCs (HTTPS)";
    }

    @Override
    String driver() {
      return "redfish";
    }

    @Override
    String nodeBmc(int i) {
      try {
        return JSON.writeValueAsString(Map.of("driver", "redfish", "host", fleet.host(), "port", fleet.port(i),
            "username", RedfishSimulatorFleet.USER, "password", RedfishSimulatorFleet.PASSWORD,
            "options", Map.of("caCertificate", fleet.certificatePem())));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    String loop() {
      String curl = "curl -sSf -o /dev/null --cacert " + fleet.certificateFile() + " -u \"admin:$REDFISH_SIM_PASSWORD\""
          + " -H Content-Type:application/json https://" + fleet.host() + ":{}"
          + "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset --data @";
      return curl + work.resolve("off.json") + " && " + curl + work.resolve("on.json");
    }

    @Override
    String loopName() {
      return "curl, Basic auth (ForceOff, then On)";
    }

    @Override
    Map<String, String> loopEnv() {
      return Map.of("REDFISH_SIM_PASSWORD", RedfishSimulatorFleet.PASSWORD);
    }

    @Override
    List<String> commands(int i) {
      return fleet.events(i).stream().filter(e -> e.kind().equals("reset") && e.status().startsWith("20"))
          .map(RedfishSimulatorFleet.Event::argument).toList();
    }

    @Override
    String off() {
      return "ForceOff";
    }

    @Override
    String on() {
      return "On";
    }
  }
}
