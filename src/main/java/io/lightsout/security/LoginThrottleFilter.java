package io.lightsout.security;

import io.lightsout.api.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * In front of every log-in ({@code /api/**}, {@code /engine-rest/**} with HTTP Basic, the webapps' login
 * form): an address that failed too often gets {@code 429} with {@code Retry-After} before any password
 * is checked; a {@code 401} to a request that offered credentials counts as a failure of its address.
 */
class LoginThrottleFilter extends OncePerRequestFilter {

  private static final String WEBAPP_LOGIN = "/camunda/api/admin/auth/user/";

  private final LoginThrottle throttle;
  private final ProblemWriter problems;

  LoginThrottleFilter(LoginThrottle throttle, ProblemWriter problems) {
    this.throttle = throttle;
    this.problems = problems;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String address = request.getRemoteAddr();
    Optional<Duration> blocked = throttle.blockedFor(address);
    if (blocked.isPresent()) {
      long seconds = Math.max(1, blocked.get().toSeconds() + (blocked.get().toMillisPart() > 0 ? 1 : 0));
      response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
      problems.write(response, HttpStatus.TOO_MANY_REQUESTS, "Too many failed log-ins from " + address
          + ": try again in " + seconds + " s. Accounts are never locked; only this address waits.",
          request.getRequestURI());
      return;
    }
    chain.doFilter(request, response);
    if (response.getStatus() == HttpStatus.UNAUTHORIZED.value() && offeredCredentials(request)) {
      throttle.failed(address);
    }
  }

  private static boolean offeredCredentials(HttpServletRequest request) {
    return request.getHeader(HttpHeaders.AUTHORIZATION) != null || isWebappLogin(request);
  }

  private static boolean isWebappLogin(HttpServletRequest request) {
    String path = request.getRequestURI();
    return "POST".equals(request.getMethod()) && path.startsWith(WEBAPP_LOGIN) && path.contains("/login/");
  }
}
