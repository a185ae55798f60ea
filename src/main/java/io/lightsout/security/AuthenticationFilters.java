package io.lightsout.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightsout.api.ProblemWriter;
import java.time.Clock;
import java.time.Duration;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Every {@code /api/**} and {@code /engine-rest/**} call is authenticated; webapps keep their own login and CSRF.
 * Failed log-ins on all three are throttled per client address before any password is checked.
 */
@Configuration
public class AuthenticationFilters {

  @Bean
  LoginThrottle loginThrottle(LoginThrottleProperties properties, Clock clock) {
    return new LoginThrottle(properties.maxFailures(), properties.window(), clock);
  }

  @Bean
  FilterRegistrationBean<LoginThrottleFilter> loginThrottleFilter(LoginThrottle throttle, ObjectMapper objectMapper) {
    FilterRegistrationBean<LoginThrottleFilter> registration =
        new FilterRegistrationBean<>(new LoginThrottleFilter(throttle, new ProblemWriter(objectMapper)));
    registration.setName("lightsout-login-throttle");
    registration.addUrlPatterns("/api/*", "/engine-rest/*", "/camunda/api/admin/auth/user/*", "/actuator/prometheus",
        "/actuator/info");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
    return registration;
  }

  /** After authentication: anonymous bodies are not even parsed. */
  @Bean
  FilterRegistrationBean<JsonBodyGuard> jsonBodyGuard(ObjectMapper objectMapper,
      @Value("${lightsout.engine-rest.max-json-bytes:1048576}") int maxJsonBytes) {
    FilterRegistrationBean<JsonBodyGuard> registration =
        new FilterRegistrationBean<>(new JsonBodyGuard(objectMapper, new ProblemWriter(objectMapper), maxJsonBytes));
    registration.setName("lightsout-json-body-guard");
    registration.addUrlPatterns("/api/*", "/engine-rest/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 25);
    return registration;
  }

  @Bean
  FilterRegistrationBean<EngineRestAuthenticationFilter> engineRestAuthentication() {
    FilterRegistrationBean<EngineRestAuthenticationFilter> registration =
        new FilterRegistrationBean<>(new EngineRestAuthenticationFilter());
    registration.setName("lightsout-engine-rest-authentication");
    registration.addUrlPatterns("/engine-rest/*");
    registration.addInitParameter(ProcessEngineAuthenticationFilter.AUTHENTICATION_PROVIDER_PARAM,
        HttpBasicAuthenticationProvider.class.getName());
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }

  @Bean
  FilterRegistrationBean<ApiAuthenticationFilter> apiAuthentication(IdentityService identityService,
      ObjectMapper objectMapper, @Value("${lightsout.security.verified-credentials-ttl:10s}") Duration verifiedTtl) {
    FilterRegistrationBean<ApiAuthenticationFilter> registration = new FilterRegistrationBean<>(
        new ApiAuthenticationFilter(identityService, new VerifiedCallers(identityService, verifiedTtl),
            new ProblemWriter(objectMapper)));
    registration.setName("lightsout-api-authentication");
    // metrics and build details are for users too; /actuator/health stays open for load balancers
    registration.addUrlPatterns("/api/*", "/actuator/prometheus", "/actuator/info");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }
}
