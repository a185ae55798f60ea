package io.lightsout;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans shared by every concern. */
@Configuration
class LightsOutConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
