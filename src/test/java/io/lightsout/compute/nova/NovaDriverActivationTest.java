package io.lightsout.compute.nova;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightsout.compute.ComputeDriver;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The nova driver exists only with {@code lightsout.compute.driver=nova}, bound from {@code lightsout.compute.nova.*}. */
class NovaDriverActivationTest {

  private final ApplicationContextRunner context = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class))
      .withBean(Clock.class, Clock::systemUTC)
      .withUserConfiguration(NovaProperties.class, NovaDriver.class)
      .withPropertyValues("lightsout.compute.nova.auth-url=http://keystone.example:5000/v3",
          "lightsout.compute.nova.username=lightsout", "lightsout.compute.nova.project=admin");

  @Test
  void withoutTheNovaDriverSettingThereIsNoNovaDriver() {
    context.run(app -> assertThat(app).doesNotHaveBean(ComputeDriver.class).doesNotHaveBean(NovaProperties.class));
    context.withPropertyValues("lightsout.compute.driver=inventory")
        .run(app -> assertThat(app).doesNotHaveBean(ComputeDriver.class));
  }

  @Test
  void withItTheDriverIsBoundFromItsSettingsAndThePasswordFromTheEnvironmentName() {
    context.withInitializer(app -> app.getEnvironment().getPropertySources().addFirst(
            new SystemEnvironmentPropertySource("environment", Map.of("LIGHTSOUT_COMPUTE_NOVA_PASSWORD", "secret"))))
        .withPropertyValues("lightsout.compute.driver=nova", "lightsout.compute.nova.interface=internal",
            "lightsout.compute.nova.region=RegionTwo",
            "lightsout.compute.nova.microversion=2.60", "lightsout.compute.nova.request-timeout=10s")
        .run(app -> {
          assertThat(app).hasSingleBean(ComputeDriver.class);
          assertThat(app.getBean(ComputeDriver.class).name()).isEqualTo("nova");
          assertThat(app.getBean(ComputeDriver.class).schedulesTargets()).isTrue();
          NovaProperties properties = app.getBean(NovaProperties.class);
          assertThat(properties.getPassword()).isEqualTo("secret");
          assertThat(properties.getInterface()).isEqualTo("internal");
          assertThat(properties.getRegion()).isEqualTo("RegionTwo");
          assertThat(properties.getMicroversion()).isEqualTo("2.60");
          assertThat(properties.getRequestTimeout()).isEqualTo(Duration.ofSeconds(10));
          assertThat(properties.toString()).doesNotContain("secret");
        });
  }

  @Test
  void unusableSettingsStopTheStartWithTheirNames() {
    context.withPropertyValues("lightsout.compute.driver=nova", "lightsout.compute.nova.microversion=2.1")
        .run(app -> assertThat(app).hasFailed().getFailure().rootCause()
            .hasMessage("Settings of the nova compute driver (lightsout.compute.nova.*) are not usable: password is not"
                + " set; microversion must be 2.53 or later (as 2.N), not '2.1'"));
  }
}
