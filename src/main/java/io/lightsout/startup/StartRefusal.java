package io.lightsout.startup;

/**
 * Lights-Out refuses to start because something is missing or wrong in its setting: what, and how to give
 * it. {@link StartRefusalAnalyzer} turns it into Spring Boot's short failure report instead of a stack trace.
 * Never carries a secret.
 */
public class StartRefusal extends RuntimeException {

  private final String action;

  /** {@code problem}: what is missing or wrong; {@code action}: one sentence on how to give or fix it. */
  public StartRefusal(String problem, String action) {
    super(problem, null, false, false);
    this.action = action;
  }

  public String action() {
    return action;
  }
}
