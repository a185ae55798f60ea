package io.lightsout;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Lights-Out: power changes and evacuations of bare-metal machines as Camunda 7 processes. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class LightsOutApplication {

  public static void main(String[] args) {
    SpringApplication.run(LightsOutApplication.class, args);
  }
}
