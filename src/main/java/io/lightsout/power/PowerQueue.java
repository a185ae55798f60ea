package io.lightsout.power;

import io.lightsout.bmc.PowerAction;
import io.lightsout.bmc.PowerProgress;
import io.lightsout.outage.EngineInstance;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The per-node queue (DESIGN §3, §8). Every operation locks the node's row first, so that joins,
 * releases, cancels, holds and resumes of one node are serialized across every engine instance
 * sharing the database. Knows nothing of Camunda: processes are woken through {@link QueueSignals}.
 */
@Service
public class PowerQueue {

  private static final Logger LOG = LoggerFactory.getLogger(PowerQueue.class);

  private final NodeRepository nodes;
  private final NodeService nodeService;
  private final PowerRequestRepository requests;
  private final QueueSignals signals;
  private final CallbackOutbox callbacks;
  private final CallbackPolicy callbackPolicy;
  private final FleetQueueGauge fleet;
  private final PowerProperties limits;
  private final EngineInstance instance;
  private final OwnerHeartbeats owners;
  private final OwnTransactions own;
  private final Clock clock;
  private final ApplicationEventPublisher events;

  PowerQueue(NodeRepository nodes, NodeService nodeService, PowerRequestRepository requests, QueueSignals signals,
      CallbackOutbox callbacks, CallbackPolicy callbackPolicy, FleetQueueGauge fleet, PowerProperties limits,
      EngineInstance instance, OwnerHeartbeats owners, OwnTransactions own, Clock clock,
      ApplicationEventPublisher events) {
    this.nodes = nodes;
    this.nodeService = nodeService;
    this.requests = requests;
    this.signals = signals;
    this.callbacks = callbacks;
    this.callbackPolicy = callbackPolicy;
    this.fleet = fleet;
    this.limits = limits;
    this.instance = instance;
    this.owners = owners;
    this.own = own;
    this.clock = clock;
    this.events = events;
  }

  /** Joins the node's queue in the transaction that starts the request's process. */
  @Transactional(propagation = Propagation.MANDATORY)
  public JoinOutcome join(JoinCommand command) {
    PowerAction action;
    IfBusy ifBusy;
    try {
      action = PowerAction.fromWire(command.action());
      ifBusy = IfBusy.fromWire(command.ifBusy());
    } catch (IllegalArgumentException e) {
      return JoinOutcome.rejected(JoinOutcome.Rejection.INVALID, e.getMessage());
    }
    Optional<String> invalid = JoinCommand.invalidity(command);
    if (invalid.isPresent()) {
      return JoinOutcome.rejected(JoinOutcome.Rejection.INVALID, invalid.get());
    }
    Optional<PowerRequest> existing = requests.find(command.requestId());
    if (existing.isPresent()) {
      return joinPlaced(existing.get(), command);
    }
    Optional<String> badCallback = callbackPolicy.refusal(command.callbackUrl());
    if (badCallback.isPresent()) {
      return JoinOutcome.rejected(JoinOutcome.Rejection.INVALID, badCallback.get());
    }
    Optional<Node> locked = nodes.lock(command.nodeId());
    if (locked.isEmpty()) {
      return JoinOutcome.rejected(JoinOutcome.Rejection.UNKNOWN_NODE, "node '" + command.nodeId() + "' does not exist");
    }
    Node node = locked.get();
    // to the microsecond, as the database keeps it: the accept's answer (built from this join) reads as a later GET does
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    if (command.idempotencyKey() != null) {
      // a start over the engine REST API comes here without the domain API's replay check
      Instant windowStart = now.minus(PowerRequestService.IDEMPOTENCY_WINDOW);
      Optional<PowerRequest> earlier = requests.findByIdempotencyKey(command.requestedBy(), command.idempotencyKey(),
          windowStart);
      if (earlier.isPresent()) {
        return JoinOutcome.rejected(JoinOutcome.Rejection.DUPLICATE_KEY, "idempotencyKey was used by request "
            + earlier.get().id() + " of " + command.requestedBy() + " within 24 h; nothing new was queued");
      }
      requests.expireIdempotencyKey(command.requestedBy(), command.idempotencyKey(), windowStart);
    }
    List<PowerRequest> open = new ArrayList<>(requests.openOf(node.id()));
    if (ifBusy == IfBusy.REJECT && !open.isEmpty()) {
      return JoinOutcome.rejected(JoinOutcome.Rejection.NODE_BUSY, "node '" + node.id() + "' is busy: "
          + open.size() + " open request(s), the first " + open.get(0).action().wireName() + " ("
          + open.get(0).status().wireName() + ", request " + open.get(0).id() + ")");
    }
    if (ifBusy == IfBusy.REPLACE) {
      open.removeIf(waiting -> supersede(waiting, command, now));
    }
    PowerRequest tail = open.isEmpty() ? null : open.get(open.size() - 1);
    if (tail != null && tail.action() == action) {
      PowerRequest merged = newRequest(command, node, action, ifBusy, RequestStatus.MERGED, now)
          .withMerge(tail.id(), "merged into request " + tail.id() + " (" + tail.status().wireName()
              + "), which already does '" + action.wireName() + "' as the node's last open request");
      requests.insert(merged);
      events.publishEvent(new QueueEvents.RequestFinished(merged.id(), action, RequestStatus.MERGED));
      callbacks.enqueue(merged, now);
      return JoinOutcome.of(JoinOutcome.Kind.MERGED, merged.result()).with(merged, 0, null);
    }
    if (open.size() >= limits.maxQueuePerNode()) {
      return JoinOutcome.rejected(JoinOutcome.Rejection.QUEUE_FULL, "node '" + node.id() + "' already has "
          + open.size() + " open requests (limit " + limits.maxQueuePerNode() + ")");
    }
    if (fleet.openRequests() >= limits.maxQueueFleetWide()) {
      return JoinOutcome.rejected(JoinOutcome.Rejection.QUEUE_FULL,
          "the fleet already has " + limits.maxQueueFleetWide() + " open requests (the fleet-wide limit)");
    }
    boolean runNow = open.isEmpty() && !node.held();
    PowerRequest request = newRequest(command, node, action, ifBusy, runNow ? RequestStatus.RUNNING : RequestStatus.QUEUED, now);
    requests.insert(request);
    // every open request is ahead of a new one: fences by priority, the others by sequence
    return (runNow ? JoinOutcome.of(JoinOutcome.Kind.RUN, "running") : JoinOutcome.of(JoinOutcome.Kind.WAIT,
        node.held() ? "queued; the node is held: " + node.hold().reason() : "queued behind " + open.size() + " request(s)"))
        .with(request, open.size(), node.hold());
  }

  /**
   * Places an evacuation's fencing 'off' at the head of the node's queue (DESIGN §9) and holds the queue
   * behind it, so that nothing queued powers the host back on. The fence runs as soon as no request is
   * running, whatever the hold. Its process then joins with {@link #join} under the same request id.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public PowerRequest placeFence(FenceOrder order) {
    Node node = nodes.lock(order.nodeId()).orElseThrow(
        () -> new IllegalStateException("node '" + order.nodeId() + "' does not exist"));
    Instant now = clock.instant();
    boolean runNow = requests.openOf(node.id()).stream().noneMatch(r -> r.status() == RequestStatus.RUNNING);
    PowerRequest fence = new PowerRequest(order.requestId(), node.id(), nodes.takeSequence(node.id()), PowerAction.OFF,
        runNow ? RequestStatus.RUNNING : RequestStatus.QUEUED, order.reason(), null, order.requestedBy(), now,
        runNow ? now : null, null, 0, null, IfBusy.QUEUE, null, null, null, runNow ? instance.id() : null,
        order.evacuationId());
    requests.insert(fence);
    holdForEvacuation(node.id(), order.hold(now));
    return fence;
  }

  /**
   * The process of a request placed before it started joins it: an evacuation's fence ({@link #placeFence}) or a
   * batch's item (placed by {@link PowerRequestService#place}, started by {@link PlacedRequests}). What the
   * request became meanwhile decides where the process goes; any other taken request id is refused.
   */
  private JoinOutcome joinPlaced(PowerRequest placed, JoinCommand command) {
    if (!placed.nodeId().equals(command.nodeId()) || !placed.action().wireName().equals(command.action())) {
      return JoinOutcome.rejected(JoinOutcome.Rejection.INVALID, "request id " + command.requestId() + " is taken");
    }
    nodes.lock(placed.nodeId());
    PowerRequest request = requests.find(placed.id()).orElseThrow();
    if (request.processInstanceId() != null) {
      return JoinOutcome.rejected(JoinOutcome.Rejection.INVALID, "request id " + command.requestId() + " is taken");
    }
    requests.bindProcessInstance(request.id(), command.processInstanceId());
    return switch (request.status()) {
      case RUNNING -> JoinOutcome.of(JoinOutcome.Kind.RUN, "running");
      case QUEUED, HELD -> JoinOutcome.of(JoinOutcome.Kind.WAIT, request.fence()
          ? "fencing 'off' queued behind the node's running request" : "queued behind the node's earlier requests");
      case MERGED -> JoinOutcome.of(JoinOutcome.Kind.MERGED, request.result());
      case CANCELLED, SUPERSEDED -> JoinOutcome.of(JoinOutcome.Kind.WITHDRAWN, request.result());
      case SUCCEEDED, FAILED -> throw new IllegalStateException("request " + request.id() + " is "
          + request.status().wireName() + " without a process: only its process finishes it");
    };
  }

  /**
   * Decides, as the execute step begins, whether this request may talk to its BMC now. A request
   * whose node was held after its turn was granted goes back to the queue; nothing is sent. A
   * request another instance already took to its BMC waits while that owner is not known alive.
   * The node row is locked only to change the queue, never while the BMC call runs.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public ExecutionDecision beginExecution(PowerRequest read) {
    if (read.status() == RequestStatus.RUNNING && (read.fence() || !nodes.find(read.nodeId()).orElseThrow().held())) {
      return ownerLetsGo(read) ? ExecutionDecision.PROCEED : ExecutionDecision.OWNER_IN_DOUBT;
    }
    Node node = nodes.lock(read.nodeId()).orElseThrow();
    String requestId = read.id();
    PowerRequest request = requests.find(requestId).orElseThrow();
    if (request.status().isFinal()) {
      return ExecutionDecision.WITHDRAWN;
    }
    if (request.status() == RequestStatus.RUNNING && node.held() && !request.fence()) {
      requests.setStatus(requestId, RequestStatus.QUEUED, null);
      return ExecutionDecision.WAIT;
    }
    if (request.status() != RequestStatus.RUNNING) {
      return ExecutionDecision.WAIT;
    }
    return ownerLetsGo(request) ? ExecutionDecision.PROCEED : ExecutionDecision.OWNER_IN_DOUBT_LOOK_AGAIN;
  }

  /**
   * Never guess after an outage (DESIGN §1, §5), whatever the instances are called: a request that
   * another instance already took to its BMC is carried on here only when that owner stopped
   * cleanly, or is known alive: its heartbeat moved since this request was first found in its
   * hands. An owner that died is declared dead once its heartbeat expires, and its requests are
   * held for review. A request its owner granted but never sent may be taken by anyone.
   */
  private boolean ownerLetsGo(PowerRequest request) {
    String owner = request.ownerInstance();
    if (owner == null || owner.equals(instance.id()) || request.attempts() == 0) {
      return true;
    }
    Optional<OwnerHeartbeats.Beat> beat = owners.of(owner);
    if (beat.isEmpty() || beat.get().stoppedCleanly()) {
      return true;
    }
    Optional<Instant> seen = requests.ownerBeatSeen(request.id());
    return !beat.get().declaredDead() && seen.isPresent() && beat.get().last().isAfter(seen.get());
  }

  /**
   * Notes, in a transaction of its own (the step then waits), the owner's heartbeat as first found:
   * the owner is known alive once it beats past it.
   */
  public void doubtOwner(String requestId) {
    own.commit(() -> {
      PowerRequest request = requests.find(requestId).orElseThrow();
      owners.of(request.ownerInstance()).ifPresent(beat -> {
        if (requests.noteOwnerBeatSeen(requestId, beat.last())) {
          LOG.info("Request {} on node {} waits: its owner, instance {}, last beat at {} and is not known alive",
              requestId, request.nodeId(), request.ownerInstance(), beat.last());
        }
      });
    });
  }

  /**
   * Counts an attempt at the BMC, and which instance makes it, in a transaction of its own: a failed
   * attempt still counts. Call before anything else touches the request's row in the caller's transaction.
   * {@code attemptsRead} is the count as the caller read it (see {@link PowerRequestRepository#countAttempt}).
   */
  public int countAttempt(String requestId, int attemptsRead) {
    return own.commit(() -> requests.countAttempt(requestId, instance.id(), attemptsRead));
  }

  /**
   * Records, in a transaction of its own, that the BMC confirmed the request's target state: a retry
   * of the same step (after its job failed later on) then finishes without acting again.
   */
  public void confirmAtBmc(String requestId, String result) {
    own.commit(() -> requests.markBmcDone(requestId, result, clock.instant()));
  }

  /**
   * Records, in a transaction of its own (the caller's rolls back with the fault), what an attempt cut by a
   * transient fault had done at the BMC: its retry builds on it.
   */
  public void recordProgress(String requestId, PowerProgress done) {
    own.commit(() -> requests.addProgress(requestId, done));
  }

  /** The request reached its target state. */
  @Transactional(propagation = Propagation.MANDATORY)
  public void succeed(String requestId, String result) {
    finish(requestId, RequestStatus.SUCCEEDED, result, null);
  }

  /** The request failed; an unreachable BMC also holds the node's queue with that reason. */
  @Transactional(propagation = Propagation.MANDATORY)
  public void fail(String requestId, String failure, boolean bmcUnreachable) {
    requests.find(requestId).ifPresent(request -> nodeService.recordBmcError(request.nodeId(), failure));
    Hold hold = bmcUnreachable ? new Hold(Hold.Kind.BMC_UNREACHABLE, "BMC unreachable: " + failure, clock.instant()) : null;
    finish(requestId, RequestStatus.FAILED, failure, hold);
  }

  /**
   * Records a final state and gives the node's turn to its next queued request, in one transaction.
   * A hold, if given, is set first, so the queue stops right here.
   */
  private void finish(String requestId, RequestStatus status, String result, Hold hold) {
    PowerRequest request = requests.find(requestId).orElseThrow();
    Node node = nodes.lock(request.nodeId()).orElseThrow();
    recordFinal(request, status, result, clock.instant());
    if (request.fence() && status == RequestStatus.SUCCEEDED) {
      holdForEvacuation(node.id(), new Hold(Hold.Kind.EVACUATION, "fenced by evacuation " + request.fenceFor()
          + ": powered off and held, so that nothing powers the host back on", clock.instant()));
      return;
    }
    if (hold != null) {
      holdLocked(node, hold);
    }
    grantNext(node.id(), node.held() || hold != null);
  }

  /** Cancels a queued or held request; a running or final one cannot be cancelled. */
  @Transactional
  public CancelOutcome cancel(String requestId, String by) {
    Optional<PowerRequest> found = requests.find(requestId);
    if (found.isEmpty()) {
      return CancelOutcome.NOT_FOUND;
    }
    nodes.lock(found.get().nodeId());
    PowerRequest request = requests.find(requestId).orElseThrow();
    if (request.status() != RequestStatus.QUEUED && request.status() != RequestStatus.HELD) {
      return CancelOutcome.NOT_CANCELLABLE;
    }
    withdraw(request, RequestStatus.CANCELLED, "cancelled by " + by + " before it ran", clock.instant());
    return CancelOutcome.CANCELLED;
  }

  /** Holds a node's queue: its running request finishes, nothing further starts. */
  @Transactional
  public boolean hold(String nodeId, Hold hold) {
    Optional<Node> node = nodes.lock(nodeId);
    if (node.isEmpty()) {
      return false;
    }
    holdLocked(node.get(), hold);
    return true;
  }

  private void holdLocked(Node node, Hold hold) {
    if (node.held()) {
      return;
    }
    nodes.hold(node.id(), hold);
    if (hold.kind() == Hold.Kind.OPERATOR) {
      LOG.info("Node {} held: {}", node.id(), hold.reason());
    } else {
      LOG.warn("Node {} held: {}", node.id(), hold.reason());
    }
    events.publishEvent(new QueueEvents.NodeHeld(node.id(), hold));
  }

  /** An evacuation's hold prevails over any other: whatever held the node before, the host must stay off. */
  private void holdForEvacuation(String nodeId, Hold hold) {
    nodes.hold(nodeId, hold);
    LOG.info("Node {} held: {}", nodeId, hold.reason());
    events.publishEvent(new QueueEvents.NodeHeld(nodeId, hold));
  }

  /**
   * Marks the node's running request, when the dead instance owned it, as interrupted (held, with
   * what we know now) and holds the queue: used after an outage, when nobody knows whether the BMC
   * received the command. A request another (live) instance runs finishes, and the queue stops after it.
   */
  @Transactional
  public void holdInterrupted(String nodeId, String deadInstance, Hold hold, String interruptedResult) {
    Node node = nodes.lock(nodeId).orElse(null);
    if (node == null) {
      return;
    }
    requests.openOf(nodeId).stream()
        .filter(r -> r.status() == RequestStatus.RUNNING && deadInstance.equals(r.ownerInstance()))
        .forEach(r -> requests.setStatus(r.id(), RequestStatus.HELD, interruptedResult));
    holdLocked(node, hold);
  }

  /** Lifts a node's hold: held requests go back to the queue in their order, and the next one starts. */
  @Transactional
  public boolean resume(String nodeId, String by) {
    Optional<Node> node = nodes.lock(nodeId);
    if (node.isEmpty()) {
      return false;
    }
    nodes.clearHold(nodeId);
    requests.openOf(nodeId).stream().filter(r -> r.status() == RequestStatus.HELD)
        .forEach(r -> requests.setStatus(r.id(), RequestStatus.QUEUED, null));
    grantNext(nodeId, false);
    if (node.get().held()) {
      LOG.info("Node {} resumed by {} (was held: {})", nodeId, by, node.get().hold().reason());
      events.publishEvent(new QueueEvents.NodeResumed(nodeId, by));
    }
    return true;
  }

  /** With the node row locked: unless held or busy, the first queued request gets its turn. */
  private void grantNext(String nodeId, boolean held) {
    List<PowerRequest> open = requests.openOf(nodeId);
    if (open.stream().anyMatch(r -> r.status() == RequestStatus.RUNNING)) {
      return;
    }
    Optional<PowerRequest> fence = open.stream().filter(r -> r.fence() && r.status() == RequestStatus.QUEUED).findFirst();
    if (fence.isPresent()) {
      grant(fence.get());
      return;
    }
    if (held || open.stream().anyMatch(r -> r.status() != RequestStatus.QUEUED)) {
      return;
    }
    open.stream().findFirst().ifPresent(this::grant);
  }

  private void grant(PowerRequest next) {
    requests.markRunning(next.id(), clock.instant(), instance.id());
    signals.turnGranted(next.id());
  }

  private boolean supersede(PowerRequest waiting, JoinCommand by, Instant now) {
    if (waiting.status() == RequestStatus.RUNNING || waiting.fence()) {
      return false;
    }
    withdraw(waiting, RequestStatus.SUPERSEDED, "superseded by request " + by.requestId() + " ('"
        + by.action() + "', ifBusy=replace, by " + by.requestedBy() + ")", now);
    return true;
  }

  private void withdraw(PowerRequest request, RequestStatus status, String result, Instant now) {
    recordFinal(request, status, result, now);
    signals.withdrawn(request.id());
  }

  /** A final state, and its callback in the same transaction when the requester asked for one. */
  private void recordFinal(PowerRequest request, RequestStatus status, String result, Instant now) {
    requests.finish(request.id(), status, result, now);
    events.publishEvent(new QueueEvents.RequestFinished(request.id(), request.action(), status));
    if (request.fence()) {
      events.publishEvent(new QueueEvents.FenceSettled(request.fenceFor(), request.id(), status, result));
    }
    if (request.callbackUrl() != null) {
      callbacks.enqueue(requests.find(request.id()).orElseThrow(), now);
    }
  }

  private PowerRequest newRequest(JoinCommand c, Node node, PowerAction action, IfBusy ifBusy, RequestStatus status,
      Instant now) {
    long seq = nodes.takeSequence(node.id());
    boolean running = status == RequestStatus.RUNNING;
    return new PowerRequest(c.requestId(), node.id(), seq, action, status, c.reason(), null, c.requestedBy(), now,
        running ? now : null, status.isFinal() ? now : null, 0, null, ifBusy, c.idempotencyKey(), c.callbackUrl(),
        c.processInstanceId(), running ? instance.id() : null, null);
  }

  /**
   * What an execute step may do: talk to the BMC, go back to waiting, stop (withdrawn), or wait for the request's
   * owner: noting its heartbeat first ({@code OWNER_IN_DOUBT}), or, when the node's row was locked to find out, only
   * looking again later ({@code OWNER_IN_DOUBT_LOOK_AGAIN}): noting takes a second connection, never waited for under
   * that lock, and the next look reads the running request without it.
   */
  public enum ExecutionDecision { PROCEED, WAIT, WITHDRAWN, OWNER_IN_DOUBT, OWNER_IN_DOUBT_LOOK_AGAIN }

  public enum CancelOutcome { CANCELLED, NOT_CANCELLABLE, NOT_FOUND }
}
