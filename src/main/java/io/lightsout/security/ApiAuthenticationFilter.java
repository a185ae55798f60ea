package io.lightsout.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import io.lightsout.api.ProblemWriter;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * HTTP Basic authentication of {@code /api/**} against Camunda's identity service.
 * Readers ({@code viewers}) may use safe methods only; everything else needs {@code operators}.
 * The engine sees the same user, so process starts and history name who asked.
 * A browser logged in to the webapps (Cockpit's Fleet plugin) may read with its webapp session, never write:
 * writes keep needing HTTP Basic, so a session cookie alone can change nothing (no CSRF path).
 */
class ApiAuthenticationFilter extends OncePerRequestFilter {

  private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");
  /** Where Camunda's webapps keep their login ({@code AuthenticationUtil}, 7.24). */
  private static final String WEBAPP_SESSION_ATTRIBUTE = "authenticatedUser";

  private final IdentityService identityService;
  private final VerifiedCallers callers;
  private final ProblemWriter problems;

  ApiAuthenticationFilter(IdentityService identityService, VerifiedCallers callers, ProblemWriter problems) {
    this.identityService = identityService;
    this.callers = callers;
    this.problems = problems;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
      FilterChain chain) throws ServletException, IOException {
    boolean read = READ_METHODS.contains(request.getMethod());
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    Optional<Caller> authenticated = header == null && read
        ? webappSessionUser(request).map(callers::ofSessionUser)
        : BasicCredentials.parse(header).flatMap(callers::verify);
    if (authenticated.isEmpty()) {
      if (header != null || request.getRequestedSessionId() == null) {
        // not to a webapp page's script: the browser would open its own login dialog over Cockpit
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"lights-out\"");
      }
      problems.write(response, HttpStatus.UNAUTHORIZED,
          "Authentication required: HTTP Basic with a Lights-Out (Camunda) user.", request.getRequestURI());
      return;
    }
    Caller caller = authenticated.get();
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

  /** The user logged in to Camunda's webapps in this session, if any; its groups are read afresh. */
  private static Optional<String> webappSessionUser(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session == null) {
      return Optional.empty();
    }
    // read, not AuthenticationUtil.getAuthsFromSession: that one stores an empty entry in a session without one
    return session.getAttribute(WEBAPP_SESSION_ATTRIBUTE) instanceof Authentications authentications
        ? authentications.getAuthentications().stream().map(UserAuthentication::getIdentityId)
            .filter(Objects::nonNull).findFirst()
        : Optional.empty();
  }
}
