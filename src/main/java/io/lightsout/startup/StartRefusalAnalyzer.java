package io.lightsout.startup;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * A {@link StartRefusal} anywhere in the failure's causes becomes the report: what is missing, then, as the
 * last line, how to give it. No stack trace (registered in {@code META-INF/spring.factories}).
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class StartRefusalAnalyzer extends AbstractFailureAnalyzer<StartRefusal> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, StartRefusal refusal) {
    return new FailureAnalysis("Lights-Out cannot start: " + refusal.getMessage(), refusal.action(), refusal);
  }
}
