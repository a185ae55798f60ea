package io.lightsout.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Filters of {@code /api/**} beside authentication. */
@Configuration
class ApiFilters {

  @Bean
  FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimit(ObjectMapper objectMapper,
      @Value("${lightsout.api.max-body-bytes:65536}") int maxBodyBytes) {
    FilterRegistrationBean<RequestBodyLimitFilter> registration =
        new FilterRegistrationBean<>(new RequestBodyLimitFilter(maxBodyBytes, new ProblemWriter(objectMapper)));
    registration.setName("lightsout-api-body-limit");
    registration.addUrlPatterns("/api/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
    return registration;
  }
}
