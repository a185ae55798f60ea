package io.lightsout.bmc;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** All BMC drivers by name. A node's settings name its driver; nothing is chosen silently. */
@Component
public class BmcDriverRegistry {

  private final SortedMap<String, BmcDriver> drivers = new TreeMap<>();

  public BmcDriverRegistry(List<BmcDriver> drivers) {
    this(drivers, null);
  }

  /** With metrics, every driver's operations are timed and its faults counted. */
  @Autowired
  public BmcDriverRegistry(List<BmcDriver> drivers, BmcMetrics metrics) {
    SortedMap<String, BmcDriver> plain = new TreeMap<>();
    for (BmcDriver driver : drivers) {
      BmcDriver previous = plain.putIfAbsent(driver.name(), driver);
      if (previous != null) {
        throw new IllegalStateException("two BMC drivers are named '" + driver.name() + "': "
            + previous.getClass().getName() + " and " + driver.getClass().getName());
      }
    }
    plain.forEach((name, driver) -> this.drivers.put(name, metrics == null ? driver : new MeteredBmcDriver(driver, metrics)));
  }

  /** The driver with this name; throws {@link FatalBmcFault} naming the known ones otherwise. */
  public BmcDriver driver(String name) {
    BmcDriver driver = name == null ? null : drivers.get(name);
    if (driver == null) {
      throw new FatalBmcFault(null, "unknown BMC driver '" + name + "' (known: " + String.join(", ", drivers.keySet()) + ")");
    }
    return driver;
  }

  /** The names of all drivers, sorted. */
  public SortedSet<String> names() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(drivers.keySet()));
  }
}
