package io.lightsout.bmc.sim;

import io.lightsout.bmc.BmcGate;
import io.lightsout.bmc.BmcProperties;
import io.lightsout.bmc.BmcSession;
import io.lightsout.bmc.BmcSettings;
import io.lightsout.bmc.FatalBmcFault;
import io.lightsout.bmc.SessionBmcDriver;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.stereotype.Component;

/**
 * Driver {@code sim}: in-memory BMCs keyed by {@code host:port}, for demos and benchmarks; used only for nodes whose
 * settings name it. Options: {@code latencyMs} (per exchange, default 0) and {@code faultRate} (0.0 to 1.0, the
 * chance that an exchange fails with a transient fault, default 0). Credentials are required but not checked.
 */
@Component
public class SimBmcDriver extends SessionBmcDriver {

  static final String LATENCY_MS = "latencyMs";
  static final String FAULT_RATE = "faultRate";

  private final ConcurrentMap<String, SimulatedBmc> bmcs = new ConcurrentHashMap<>();

  public SimBmcDriver(BmcGate gate, BmcProperties properties) {
    super(gate, properties);
  }

  @Override
  public String name() {
    return "sim";
  }

  /** The simulated BMC at this {@code host:port}, created (off) on first use. */
  public SimulatedBmc bmc(String address) {
    return bmcs.computeIfAbsent(address, SimulatedBmc::new);
  }

  /** All simulated BMCs so far, by address. */
  public Map<String, SimulatedBmc> bmcs() {
    return Map.copyOf(bmcs);
  }

  @Override
  protected int defaultPort() {
    return 623;
  }

  @Override
  protected Set<String> optionNames() {
    return Set.of(LATENCY_MS, FAULT_RATE);
  }

  @Override
  protected void validateSpecific(BmcSettings settings) {
    latency(settings);
    faultRate(settings);
  }

  @Override
  protected BmcSession openSession(BmcSettings settings) {
    return new SimSession(bmc(settings.address()), latency(settings), faultRate(settings));
  }

  private static Duration latency(BmcSettings settings) {
    String value = settings.option(LATENCY_MS, "0").strip();
    try {
      long millis = Long.parseLong(value);
      if (millis >= 0) {
        return Duration.ofMillis(millis);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new FatalBmcFault(settings.address(), "has an invalid latencyMs '" + value + "' (a whole number >= 0)");
  }

  private static double faultRate(BmcSettings settings) {
    String value = settings.option(FAULT_RATE, "0").strip();
    try {
      double rate = Double.parseDouble(value);
      if (rate >= 0 && rate <= 1) {
        return rate;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new FatalBmcFault(settings.address(), "has an invalid faultRate '" + value + "' (0.0 to 1.0)");
  }
}
