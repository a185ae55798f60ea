package io.lightsout.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import io.lightsout.api.ProblemWriter;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Group;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * HTTP Basic authentication of {@code /api/**} against Camunda's identity service.
 * Readers ({@code viewers}) may use safe methods only; everything else needs {@code operators}.
 * The engine sees the same user, so process starts and history name who asked.
 */
class ApiAuthenticationFilter extends OncePerRequestFilter {

  private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  private final IdentityService identityService;
  private final ProblemWriter problems;

  ApiAuthenticationFilter(IdentityService identityService, ProblemWriter problems) {
    this.identityService = identityService;
    this.problems = problems;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
      FilterChain chain) throws ServletException, IOException {
    Optional<Caller> authenticated = BasicCredentials.parse(request.getHeader(HttpHeaders.AUTHORIZATION))
        .filter(credentials -> identityService.checkPassword(credentials.userId(), credentials.password()))
        .map(credentials -> new Caller(credentials.userId(), groupsOf(credentials.userId())));
    if (authenticated.isEmpty()) {
      response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"lights-out\"");
      problems.write(response, HttpStatus.UNAUTHORIZED,
          "Authentication required: HTTP Basic with a Lights-Out (Camunda) user.", request.getRequestURI());
      return;
    }
    Caller caller = authenticated.get();
    boolean read = READ_METHODS.contains(request.getMethod());
    if (!(read ? caller.mayRead() : caller.mayAct())) {
      problems.write(response, HttpStatus.FORBIDDEN, read
          ? "User '" + caller.userId() + "' is in neither group 'viewers' nor 'operators'."
          : "User '" + caller.userId() + "' may read but not act: changes need group 'operators'.",
          request.getRequestURI());
      return;
    }
    CurrentCaller.set(request, caller);
    identityService.setAuthentication(caller.userId(), caller.groups());
    try {
      chain.doFilter(request, response);
    } finally {
      identityService.clearAuthentication();
    }
  }

  private List<String> groupsOf(String userId) {
    return identityService.createGroupQuery().groupMember(userId).list().stream().map(Group::getId).toList();
  }
}
