package io.lightsout.power;

import io.lightsout.bmc.PowerAction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the domain API asks of the queue: submit (by starting the request's process, exactly as the
 * engine REST API would) or place (for batches: the process starts behind), read, cancel, hold, resume.
 */
@Service
public class PowerRequestService {

  static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);

  private final PowerProcessStarter starter;
  private final PowerQueue queue;
  private final PowerRequestRepository requests;
  private final NodeRepository nodes;
  private final PowerRequestViews views;
  private final CallbackPolicy callbackPolicy;
  private final Clock clock;

  PowerRequestService(PowerProcessStarter starter, PowerQueue queue, PowerRequestRepository requests,
      NodeRepository nodes, PowerRequestViews views, CallbackPolicy callbackPolicy, Clock clock) {
    this.starter = starter;
    this.queue = queue;
    this.requests = requests;
    this.nodes = nodes;
    this.views = views;
    this.callbackPolicy = callbackPolicy;
    this.clock = clock;
  }

  public record Submission(String nodeId, String action, String ifBusy, String reason, String callbackUrl,
                           String idempotencyKey, String requestedBy) {}

  /** Accepted (new), Replayed (same Idempotency-Key within 24 h) or Rejected (nothing was accepted). */
  public sealed interface SubmitResult {
    record Accepted(PowerRequestView request) implements SubmitResult {}
    record Replayed(PowerRequestView request) implements SubmitResult {}
    record Rejected(JoinOutcome.Rejection rejection, String reason) implements SubmitResult {}
  }

  public SubmitResult submit(Submission s) {
    Optional<SubmitResult> answered = precheck(s);
    if (answered.isPresent()) {
      return answered.get();
    }
    Instant windowStart = clock.instant().minus(IDEMPOTENCY_WINDOW);
    String id = UUID.randomUUID().toString();
    PowerProcessStarter.Started started;
    try {
      started = starter.start(command(id, s));
    } catch (RuntimeException e) {
      if (s.idempotencyKey() != null && isDuplicateKey(e)) {
        return requests.findByIdempotencyKey(s.requestedBy(), s.idempotencyKey(), windowStart)
            .<SubmitResult>map(r -> new SubmitResult.Replayed(views.view(r))).orElseThrow(() -> e);
      }
      throw e;
    }
    Optional<SubmitResult> notNew = notNew(started.outcome(), s, windowStart);
    if (notNew.isPresent()) {
      return notNew.get();
    }
    return new SubmitResult.Accepted(acceptedView(id, started.outcome()));
  }

  /**
   * Places a request in its node's queue exactly as {@link #submit} would, in the caller's transaction, without
   * starting its process: {@link PlacedRequests} starts it once the transaction has committed, and the process
   * joins the request as placed (or as cancelled, superseded or granted its turn meanwhile). A batch places its
   * items this way, many per transaction. The answer's request has no process instance yet.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public SubmitResult place(Submission s) {
    // the join checks the action, the callback, the node and the key itself, under the node's lock
    String id = UUID.randomUUID().toString();
    JoinOutcome outcome = queue.join(command(id, s));
    Optional<SubmitResult> notNew = notNew(outcome, s, clock.instant().minus(IDEMPOTENCY_WINDOW));
    if (notNew.isPresent()) {
      return notNew.get();
    }
    return new SubmitResult.Accepted(acceptedView(id, outcome));
  }

  /** An answer found before anything is tried: a bad action or callback, an unknown node, a replayed key. */
  private Optional<SubmitResult> precheck(Submission s) {
    try {
      PowerAction.fromWire(s.action());
      IfBusy.fromWire(s.ifBusy());
    } catch (IllegalArgumentException e) {
      return Optional.of(new SubmitResult.Rejected(JoinOutcome.Rejection.INVALID, e.getMessage()));
    }
    Optional<String> badCallback = callbackPolicy.refusal(s.callbackUrl());
    if (badCallback.isPresent()) {
      return Optional.of(new SubmitResult.Rejected(JoinOutcome.Rejection.INVALID, badCallback.get()));
    }
    if (nodes.find(s.nodeId()).isEmpty()) {
      return Optional.of(new SubmitResult.Rejected(JoinOutcome.Rejection.UNKNOWN_NODE,
          "node '" + s.nodeId() + "' does not exist"));
    }
    if (s.idempotencyKey() != null) {
      Instant windowStart = clock.instant().minus(IDEMPOTENCY_WINDOW);
      Optional<PowerRequest> earlier = requests.findByIdempotencyKey(s.requestedBy(), s.idempotencyKey(), windowStart);
      if (earlier.isPresent()) {
        return Optional.of(new SubmitResult.Replayed(views.view(earlier.get())));
      }
      requests.expireIdempotencyKey(s.requestedBy(), s.idempotencyKey(), windowStart);
    }
    return Optional.empty();
  }

  private static JoinCommand command(String id, Submission s) {
    return new JoinCommand(id, s.nodeId(), s.action(), s.ifBusy(), s.requestedBy(), s.reason(), s.callbackUrl(),
        s.idempotencyKey(), null);
  }

  /** The join's answer when it accepted nothing new: the earlier request of a key used meanwhile, or why not. */
  private Optional<SubmitResult> notNew(JoinOutcome outcome, Submission s, Instant windowStart) {
    if (outcome.rejection() == JoinOutcome.Rejection.DUPLICATE_KEY) {
      Optional<PowerRequest> earlier = requests.findByIdempotencyKey(s.requestedBy(), s.idempotencyKey(), windowStart);
      if (earlier.isPresent()) {
        return Optional.of(new SubmitResult.Replayed(views.view(earlier.get())));
      }
    }
    if (outcome.kind() == JoinOutcome.Kind.REJECTED) {
      return Optional.of(new SubmitResult.Rejected(outcome.rejection(), outcome.detail()));
    }
    return Optional.empty();
  }

  /**
   * The accepted request as its join stored it, without reading it back (a single request's or a batch item's). A
   * single request's accept has committed by then: if the database went away right after, the caller must still be
   * told it was accepted (202), never that it failed, so that a retry without an Idempotency-Key cannot create it
   * twice.
   */
  private PowerRequestView acceptedView(String id, JoinOutcome outcome) {
    JoinOutcome.Joined joined = outcome.joined();
    if (joined == null) {
      throw new IllegalStateException("the join accepted request " + id + " without answering its row");
    }
    return views.view(joined);
  }

  /** The request the user made with this Idempotency-Key within the last 24 h, if any. */
  public Optional<PowerRequestView> findByIdempotencyKey(String requestedBy, String key) {
    return requests.findByIdempotencyKey(requestedBy, key, clock.instant().minus(IDEMPOTENCY_WINDOW)).map(views::view);
  }

  public Optional<PowerRequestView> find(String id) {
    return requests.find(id).map(views::view);
  }

  public PowerQueue.CancelOutcome cancel(String id, String by) {
    return queue.cancel(id, by);
  }

  public List<PowerRequestView> queueOf(String nodeId) {
    return views.queue(requests.openOf(nodeId));
  }

  public List<PowerRequestView> historyOf(String nodeId, int page, int size) {
    return requests.historyOf(nodeId, page, size).stream().map(views::view).toList();
  }

  public long historySize(String nodeId) {
    return requests.countHistoryOf(nodeId);
  }

  private static boolean isDuplicateKey(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DataIntegrityViolationException || t instanceof java.sql.SQLIntegrityConstraintViolationException
          || t.getMessage() != null && t.getMessage().contains("uq_power_request_idempotency")) {
        return true;
      }
    }
    return false;
  }
}
