package io.lightsout.power.process;

import io.lightsout.power.JoinOutcome;
import io.lightsout.power.PowerProcessStarter.Started;
import java.util.function.Supplier;

/**
 * Where "Join node queue" leaves its outcome for the caller that is starting the instance in the same thread and
 * transaction, so the starter need not read the instance's variables back (a query per request). Starts by others
 * (the engine REST API, Tasklist) have no answer waiting: the outcome then shows only in the process path.
 */
final class JoinAnswer {

  private static final ThreadLocal<JoinAnswer> AWAITED = new ThreadLocal<>();

  private JoinOutcome outcome;

  private JoinAnswer() {}

  /** Runs a start (giving the instance id) that joins the queue in this thread, and takes the join's outcome. */
  static Started await(Supplier<String> start) {
    JoinAnswer answer = new JoinAnswer();
    JoinAnswer outer = AWAITED.get();
    AWAITED.set(answer);
    String instanceId;
    try {
      instanceId = start.get();
    } finally {
      if (outer == null) {
        AWAITED.remove();
      } else {
        AWAITED.set(outer);
      }
    }
    return new Started(instanceId, answer.outcome());
  }

  /** Gives the outcome to the starter waiting in this thread, if any. */
  static void give(JoinOutcome outcome) {
    JoinAnswer answer = AWAITED.get();
    if (answer != null) {
      answer.outcome = outcome;
    }
  }

  private JoinOutcome outcome() {
    if (outcome == null) {
      throw new IllegalStateException("the power-change start ended before 'Join node queue' gave its outcome");
    }
    return outcome;
  }
}
