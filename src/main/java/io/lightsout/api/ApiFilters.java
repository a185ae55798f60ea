package io.lightsout.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Filters of {@code /api/**} beside authentication. */
@Configuration
class ApiFilters {

  /** Runs after Spring Boot's own Tomcat customizer, which installs the error report valve this one replaces. */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
    return new WebServerFactoryCustomizer<>() {
      @Override
      public void customize(TomcatServletWebServerFactory factory) {
        factory.addContextCustomizers(ProblemErrorReportValve::install);
      }
    };
  }

  /** Outermost: authentication reads the database too, so its failure must be caught as well. */
  @Bean
  FilterRegistrationBean<DatabaseUnavailableFilter> databaseUnavailable(ObjectMapper objectMapper,
      DataSource dataSource) {
    FilterRegistrationBean<DatabaseUnavailableFilter> registration =
        new FilterRegistrationBean<>(new DatabaseUnavailableFilter(new ProblemWriter(objectMapper), dataSource));
    registration.setName("lightsout-api-database-unavailable");
    registration.addUrlPatterns("/api/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
    return registration;
  }

  @Bean
  FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimit(ObjectMapper objectMapper,
      @Value("${lightsout.api.max-body-bytes:65536}") int maxBodyBytes,
      @Value("${lightsout.api.max-batch-body-bytes:1048576}") int maxBatchBodyBytes) {
    FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
        new RequestBodyLimitFilter(maxBodyBytes, maxBatchBodyBytes, new ProblemWriter(objectMapper)));
    registration.setName("lightsout-api-body-limit");
    registration.addUrlPatterns("/api/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
    return registration;
  }
}
