package io.lightsout.compute;

import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The compute driver that {@code lightsout.compute.driver} names ({@code inventory} by default). */
@Component
public class ComputeDrivers {

  private final ComputeDriver active;

  ComputeDrivers(List<ComputeDriver> drivers, @Value("${lightsout.compute.driver:inventory}") String name) {
    this.active = drivers.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow(
        () -> new IllegalStateException("lightsout.compute.driver is '" + name + "', but the known compute drivers are "
            + drivers.stream().map(ComputeDriver::name).sorted().toList()));
  }

  public ComputeDriver active() {
    return active;
  }
}
