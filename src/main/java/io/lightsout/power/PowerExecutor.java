package io.lightsout.power;

import io.lightsout.bmc.BmcDriver;
import io.lightsout.bmc.BmcDriverRegistry;
import io.lightsout.bmc.BmcProperties;
import io.lightsout.bmc.BmcSettings;
import io.lightsout.bmc.FatalBmcFault;
import io.lightsout.bmc.PowerAction;
import io.lightsout.bmc.PowerProgress;
import io.lightsout.bmc.PowerResult;
import io.lightsout.bmc.PowerState;
import io.lightsout.bmc.TransientBmcFault;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Talks to a node's BMC for a request: the action itself, and later read-backs while a slow
 * transition completes. Transient faults are rethrown for the job's retry with backoff until the
 * attempts are spent; then the request fails as unreachable. Fatal faults fail it at once.
 */
@Service
public class PowerExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(PowerExecutor.class);

  private final PowerQueue queue;
  private final PowerRequestRepository requests;
  private final NodeRepository nodes;
  private final BmcDriverRegistry drivers;
  private final PowerProperties properties;
  private final BmcProperties bmcProperties;
  private final Clock clock;

  PowerExecutor(PowerQueue queue, PowerRequestRepository requests, NodeRepository nodes, BmcDriverRegistry drivers,
      PowerProperties properties, BmcProperties bmcProperties, Clock clock) {
    this.queue = queue;
    this.requests = requests;
    this.nodes = nodes;
    this.drivers = drivers;
    this.properties = properties;
    this.bmcProperties = bmcProperties;
    this.clock = clock;
  }

  /**
   * Carries out the action, building on what earlier attempts did at the BMC before a transient fault cut them:
   * a cycle whose off was confirmed only ensures on; a hard reset that may have reached the BMC is not sent again
   * (the request fails and the node is held for an operator); every command sent counts in the result.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public Outcome execute(String requestId) {
    return whenItsTurn(requestId, (request, earlier, seen) -> {
      if (earlier.hardResetSent()) {
        return Outcome.failed("an earlier attempt sent 'hard reset' and then lost the BMC: the node may or may not "
            + "have been reset, so it is not sent again (" + earlier.commandsSent() + " command(s) sent)", true);
      }
      BmcSettings settings = settingsOf(request);
      boolean cycle = request.action() == PowerAction.CYCLE;
      // With a minimum interval between two commands to one BMC, a cycle is two steps with a timer between them, so
      // no job thread (nor its database connection) sleeps through the interval.
      boolean offFirst = cycle && !earlier.offReached() && !commandInterval().isZero();
      PowerAction action = !cycle ? request.action()
          : earlier.offReached() ? PowerAction.ON : offFirst ? PowerAction.OFF : PowerAction.CYCLE;
      PowerResult result = act(settings, action, seen);
      int sent = earlier.commandsSent() + result.commandsSent();
      boolean offConfirmedHere = false;
      if (offFirst && result.reachedTarget()) {
        if (result.commandsSent() > 0) {
          requests.addProgress(requestId, new PowerProgress(result.commandsSent(), true, false));
          return Outcome.pause(commandInterval());
        }
        // it was off already: nothing was sent, so nothing to wait for before 'on'
        offConfirmedHere = true;
        result = act(settings, PowerAction.ON, seen);
        sent += result.commandsSent();
      }
      if (!result.reachedTarget()) {
        requests.addProgress(requestId, new PowerProgress(result.commandsSent(), offConfirmedHere, false));
        return Outcome.pending(properties.verifyInterval());
      }
      return Outcome.reached(describe(request, result.observed(), sent, false));
    });
  }

  /** Reads the power state back after the action; fails once the deadline has passed. */
  @Transactional(propagation = Propagation.MANDATORY)
  public Outcome verify(String requestId) {
    return whenItsTurn(requestId, (request, earlier, seen) -> {
      BmcSettings settings = settingsOf(request);
      PowerState state = driverOf(settings).powerState(settings);
      Instant now = clock.instant();
      seen.saw(state, now);
      PowerState target = request.action().targetState();
      if (state == target) {
        return Outcome.reached(describe(request, state, earlier.commandsSent(), true));
      }
      Duration waited = Duration.between(request.startedAt(), now);
      if (waited.compareTo(properties.verifyDeadline()) > 0) {
        return Outcome.failed("the BMC still reports '" + state.wireName() + "' " + waited.toSeconds()
            + " s after '" + request.action().wireName() + "' (deadline " + properties.verifyDeadline().toSeconds()
            + " s); expected '" + target.wireName() + "'", false);
      }
      return Outcome.pending(properties.verifyInterval());
    });
  }

  /**
   * Runs a BMC step only while the request holds its node's turn (the queue's guard), counting the
   * attempt; transient faults go back to the job for a retry with backoff until attempts are spent.
   */
  private Outcome whenItsTurn(String requestId, Step step) {
    PowerRequest request = requests.find(requestId).orElseThrow();
    PowerQueue.ExecutionDecision decision = queue.beginExecution(request);
    if (decision == PowerQueue.ExecutionDecision.OWNER_IN_DOUBT) {
      queue.doubtOwner(requestId);
    }
    if (decision == PowerQueue.ExecutionDecision.OWNER_IN_DOUBT
        || decision == PowerQueue.ExecutionDecision.OWNER_IN_DOUBT_LOOK_AGAIN) {
      throw new OwnerInDoubt(requestId, request.ownerInstance());
    }
    if (decision != PowerQueue.ExecutionDecision.PROCEED) {
      return decision == PowerQueue.ExecutionDecision.WAIT ? Outcome.waitForTurn() : Outcome.withdrawn();
    }
    PowerRequestRepository.BmcTrail trail = requests.bmcTrail(requestId);
    if (trail.confirmed().isPresent()) {
      return Outcome.reached(trail.confirmed().get() + "; confirmed by an earlier attempt, not sent again");
    }
    PowerProgress earlier = trail.progress();
    int attempt = queue.countAttempt(request.id(), request.attempts());
    // attempts count BMC steps; the second half of a cycle (after its off was confirmed) keeps its own retries
    int maxAttempts = properties.maxAttempts()
        + (request.action() == PowerAction.CYCLE && earlier.offReached() ? 1 : 0);
    Sighting seen = new Sighting();
    Outcome outcome;
    try {
      outcome = step.run(request, earlier, seen);
      if (outcome.kind() == Outcome.Kind.REACHED) {
        queue.confirmAtBmc(requestId, outcome.detail());
      }
    } catch (TransientBmcFault fault) {
      if (fault.progress().any()) {
        queue.recordProgress(requestId, fault.progress());
      }
      if (attempt < maxAttempts) {
        LOG.info("Request {} on node {}: {} (attempt {} of {}; retrying with backoff)", request.id(), request.nodeId(),
            fault.getMessage(), attempt, maxAttempts);
        throw fault;
      }
      outcome = Outcome.failed(fault.getMessage() + " (attempt " + attempt + " of " + maxAttempts + ")", true);
    } catch (FatalBmcFault fault) {
      outcome = Outcome.failed(fault.getMessage(), false);
    }
    seen.recordOn(nodes, request.nodeId());
    return outcome;
  }

  /** One driver call; the power state it observed is noted for the node. */
  private PowerResult act(BmcSettings settings, PowerAction action, Sighting seen) {
    PowerResult result = driverOf(settings).execute(action, settings);
    seen.saw(result.observed(), clock.instant());
    return result;
  }

  /** A BMC step while its request holds the node's turn. */
  @FunctionalInterface
  private interface Step {
    Outcome run(PowerRequest request, PowerProgress earlier, Sighting seen);
  }

  /**
   * The last power state a step saw at the BMC, written to the node's row only after the step's transactions of
   * their own (attempt count, BMC confirmation, progress): each takes a second database connection, and holding the
   * node's row lock while waiting for one lets a full pool deadlock with API calls waiting for that lock.
   */
  private static final class Sighting {
    private PowerState state;
    private Instant at;

    void saw(PowerState observed, Instant when) {
      state = observed;
      at = when;
    }

    void recordOn(NodeRepository nodes, String nodeId) {
      if (state != null) {
        nodes.recordPowerState(nodeId, state, at);
      }
    }
  }

  private Duration commandInterval() {
    return bmcProperties.getMinCommandInterval();
  }

  private BmcSettings settingsOf(PowerRequest request) {
    return nodes.bmcSettings(request.nodeId()).orElseThrow(
        () -> new FatalBmcFault(null, "node '" + request.nodeId() + "' has no BMC settings"));
  }

  private BmcDriver driverOf(BmcSettings settings) {
    return drivers.driver(settings.driver());
  }

  private static String describe(PowerRequest request, PowerState state, int commandsSent, boolean onReadBack) {
    String sent = (commandsSent == 0 ? "nothing sent: it already was" : commandsSent + " command(s) sent")
        + (onReadBack ? ", confirmed on a later read-back" : "");
    return "'" + request.action().wireName() + "' done: the BMC reports '" + state.wireName() + "' (" + sent + ")";
  }

  /**
   * What became of a step: reached, still pending (read back after {@code pause}), paused between the two halves of
   * a cycle (the rest after {@code pause}), back to waiting, withdrawn, or failed (unreachable or not).
   */
  public record Outcome(Kind kind, String detail, boolean unreachable, Duration pause) {

    public enum Kind { REACHED, PENDING, PAUSED, WAIT, WITHDRAWN, FAILED }

    static Outcome reached(String detail) {
      return new Outcome(Kind.REACHED, detail, false, null);
    }

    static Outcome pending(Duration readBackAfter) {
      return new Outcome(Kind.PENDING, null, false, readBackAfter);
    }

    static Outcome pause(Duration restAfter) {
      return new Outcome(Kind.PAUSED, null, false, restAfter);
    }

    static Outcome waitForTurn() {
      return new Outcome(Kind.WAIT, null, false, null);
    }

    static Outcome withdrawn() {
      return new Outcome(Kind.WITHDRAWN, null, false, null);
    }

    static Outcome failed(String detail, boolean unreachable) {
      return new Outcome(Kind.FAILED, detail, unreachable, null);
    }
  }
}
