package io.lightsout.bmc;

/** A driver whose operations are timed and whose faults are counted by {@link BmcMetrics}; validation is not. */
final class MeteredBmcDriver implements BmcDriver {

  private final BmcDriver driver;
  private final BmcMetrics metrics;

  MeteredBmcDriver(BmcDriver driver, BmcMetrics metrics) {
    this.driver = driver;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return driver.name();
  }

  @Override
  public void validate(BmcSettings settings) {
    driver.validate(settings);
  }

  @Override
  public PowerState powerState(BmcSettings settings) {
    return metrics.time(name(), "power-state", () -> driver.powerState(settings));
  }

  @Override
  public PowerResult powerOn(BmcSettings settings) {
    return metrics.time(name(), PowerAction.ON.wireName(), () -> driver.powerOn(settings));
  }

  @Override
  public PowerResult powerOff(BmcSettings settings) {
    return metrics.time(name(), PowerAction.OFF.wireName(), () -> driver.powerOff(settings));
  }

  @Override
  public PowerResult powerCycle(BmcSettings settings) {
    return metrics.time(name(), PowerAction.CYCLE.wireName(), () -> driver.powerCycle(settings));
  }

  @Override
  public PowerResult reset(BmcSettings settings) {
    return metrics.time(name(), PowerAction.RESET.wireName(), () -> driver.reset(settings));
  }

  @Override
  public PowerResult softOff(BmcSettings settings) {
    return metrics.time(name(), PowerAction.SOFT_OFF.wireName(), () -> driver.softOff(settings));
  }
}
