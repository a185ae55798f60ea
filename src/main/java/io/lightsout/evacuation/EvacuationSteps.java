package io.lightsout.evacuation;

import io.lightsout.compute.ComputeDriver;
import io.lightsout.compute.ComputeDrivers;
import io.lightsout.compute.ComputeFault;
import io.lightsout.compute.ComputeInstance;
import io.lightsout.compute.Host;
import io.lightsout.compute.HostRepository;
import io.lightsout.compute.InstancePlacement;
import io.lightsout.compute.RebuildOrder;
import io.lightsout.compute.TransientComputeFault;
import io.lightsout.power.FenceOrder;
import io.lightsout.power.JoinCommand;
import io.lightsout.power.PowerProcessStarter;
import io.lightsout.power.PowerQueue;
import io.lightsout.power.QueueEvents;
import io.lightsout.power.RequestStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The steps of an evacuation (DESIGN §9), each in the transaction of its process step: open, fence, mark the
 * host down, claim its instances, hand out rebuild slots, rebuild, verify, and settle. Knows nothing of
 * Camunda: processes are woken through {@link EvacuationSignals}. {@link InstanceFailure} and
 * {@link EvacuationFailure} are outcomes the process draws, so they leave the step's transaction to commit.
 */
@Service
public class EvacuationSteps {

  private static final Logger LOG = LoggerFactory.getLogger(EvacuationSteps.class);
  private static final java.util.regex.Pattern UUID_FORM =
      java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final EvacuationRepository evacuations;
  private final ClaimRepository claims;
  private final ClaimAttempts attempts;
  private final HostRepository hosts;
  private final ComputeDrivers drivers;
  private final Targets targets;
  private final PowerQueue queue;
  private final PowerProcessStarter powerProcesses;
  private final EvacuationSignals signals;
  private final EvacuationProperties properties;
  private final Clock clock;
  private final ApplicationEventPublisher events;

  EvacuationSteps(EvacuationRepository evacuations, ClaimRepository claims, ClaimAttempts attempts,
      HostRepository hosts, ComputeDrivers drivers, Targets targets, PowerQueue queue, PowerProcessStarter powerProcesses,
      EvacuationSignals signals, EvacuationProperties properties, Clock clock, ApplicationEventPublisher events) {
    this.evacuations = evacuations;
    this.claims = claims;
    this.attempts = attempts;
    this.hosts = hosts;
    this.drivers = drivers;
    this.targets = targets;
    this.queue = queue;
    this.powerProcesses = powerProcesses;
    this.signals = signals;
    this.properties = properties;
    this.clock = clock;
    this.events = events;
  }

  /**
   * Opens the evacuation, or finds the one already running for the host. The host's row lock makes two
   * simultaneous starts for one host decide one after the other; a unique key is the last guard.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public OpenOutcome open(String evacuationId, String hostId, String reason, String requestedBy,
      String processInstanceId) {
    if (evacuationId == null || !UUID_FORM.matcher(evacuationId).matches()) {
      return new OpenOutcome(OpenOutcome.Kind.REJECTED, null,
          "evacuationId must be empty or a lower-case UUID, not '" + evacuationId + "'");
    }
    if (reason != null && reason.length() > 1000) {
      return new OpenOutcome(OpenOutcome.Kind.REJECTED, null, "reason is longer than 1000 characters");
    }
    Optional<Host> host = hostId == null || hostId.length() > 63 ? Optional.empty() : hosts.lock(hostId);
    if (host.isEmpty()) {
      return new OpenOutcome(OpenOutcome.Kind.REJECTED, null, "host '" + hostId + "' does not exist");
    }
    Optional<Evacuation> running = evacuations.activeOfHost(hostId);
    if (running.isPresent()) {
      return new OpenOutcome(OpenOutcome.Kind.DUPLICATE, running.get().id(),
          "host '" + hostId + "' is already being evacuated by " + running.get().id());
    }
    Instant now = clock.instant();
    evacuations.insert(new Evacuation(evacuationId, hostId, host.get().nodeId(), Evacuation.RUNNING, reason, null,
        requestedBy, now, null, null, Evacuation.FENCING_PENDING, null, null, null, processInstanceId));
    hosts.setState(hostId, Host.EVACUATING, now);
    LOG.info("Evacuation {} of host {} opened by {}{}", evacuationId, hostId, requestedBy,
        reason == null ? "" : ": " + reason);
    return new OpenOutcome(OpenOutcome.Kind.OPENED, evacuationId, null);
  }

  /**
   * Fences the host: a power 'off' at the head of its node's queue, a power-change instance like any other
   * (visible in the node's queue and history), and the node held behind it.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public String fence(String evacuationId) {
    Evacuation evacuation = evacuations.find(evacuationId).orElseThrow();
    String requestId = UUID.randomUUID().toString();
    String requestedBy = "evacuation " + evacuationId;
    String reason = "fence host " + evacuation.hostId() + " before its instances are rebuilt elsewhere";
    queue.placeFence(new FenceOrder(requestId, evacuation.nodeId(), evacuationId, evacuation.hostId(), requestedBy,
        reason));
    powerProcesses.start(new JoinCommand(requestId, evacuation.nodeId(), "off", "queue", requestedBy, reason, null,
        null, null));
    evacuations.bindProcess(evacuationId, evacuation.processInstanceId(), requestId);
    return requestId;
  }

  /** The fencing 'off' is final: confirmed when the BMC reports off; otherwise an operator decides. */
  @EventListener
  void onFenceSettled(QueueEvents.FenceSettled settled) {
    Evacuation evacuation = evacuations.find(settled.evacuationId()).orElse(null);
    if (evacuation == null || !Evacuation.FENCING_PENDING.equals(evacuation.fencingStatus())) {
      return;
    }
    boolean confirmed = settled.status() == RequestStatus.SUCCEEDED;
    String detail = "power request " + settled.requestId() + " " + settled.status().wireName() + ": " + settled.result();
    if (confirmed) {
      evacuations.recordFencing(evacuation.id(), Evacuation.FENCING_CONFIRMED, "bmc", clock.instant(), detail);
      LOG.info("Evacuation {}: host {} fenced, the BMC reports off", evacuation.id(), evacuation.hostId());
    } else {
      evacuations.recordFencing(evacuation.id(), Evacuation.FENCING_UNCONFIRMED, null, null, detail);
      evacuations.setStatus(evacuation.id(), Evacuation.WAITING_FOR_OPERATOR);
      LOG.warn("Evacuation {}: fencing of host {} not confirmed ({}); an operator must confirm it is off",
          evacuation.id(), evacuation.hostId(), detail);
    }
    signals.fenceSettled(evacuation.processInstanceId(), confirmed, detail);
  }

  /** An operator confirmed the host is off (or not): recorded with who and when. */
  @Transactional(propagation = Propagation.MANDATORY)
  public boolean decideFencing(String evacuationId, boolean confirmed, String by, String comment) {
    Evacuation evacuation = evacuations.find(evacuationId).orElseThrow();
    String said = comment == null || comment.isBlank() ? "" : ": " + comment.strip();
    Instant now = clock.instant();
    if (confirmed) {
      evacuations.recordFencing(evacuationId, Evacuation.FENCING_CONFIRMED, by, now,
          "confirmed powered off by operator " + by + said + " (BMC: " + evacuation.fencingDetail() + ")");
      evacuations.setStatus(evacuationId, Evacuation.RUNNING);
      LOG.info("Evacuation {}: operator {} confirmed host {} is off", evacuationId, by, evacuation.hostId());
      return true;
    }
    evacuations.recordFencing(evacuationId, Evacuation.FENCING_ABORTED, by, now,
        "aborted by operator " + by + said + " (BMC: " + evacuation.fencingDetail() + ")");
    hosts.setState(evacuation.hostId(), Host.DOWN, now);
    finish(evacuation, Evacuation.FAILED, "aborted by " + by + ": host " + evacuation.hostId()
        + " was not confirmed powered off, so nothing was rebuilt" + said);
    return false;
  }

  /** Marks the fenced host down in the compute service; a refusal fails the evacuation. */
  @Transactional(propagation = Propagation.MANDATORY, noRollbackFor = {InstanceFailure.class, EvacuationFailure.class})
  public void markHostDown(String evacuationId) {
    Evacuation evacuation = evacuations.find(evacuationId).orElseThrow();
    compute(() -> {
      drivers.active().markHostDown(evacuation.hostId(), "fenced by Lights-Out evacuation " + evacuationId);
      return null;
    });
    hosts.setState(evacuation.hostId(), Host.DOWN, clock.instant());
  }

  /**
   * Lists the host's instances and claims each one, with its target when Lights-Out picks targets. An
   * instance another evacuation owns is reported, not touched. Returns how many this evacuation owns.
   */
  @Transactional(propagation = Propagation.MANDATORY, noRollbackFor = {InstanceFailure.class, EvacuationFailure.class})
  public int claimInstances(String evacuationId) {
    Evacuation evacuation = evacuations.find(evacuationId).orElseThrow();
    if (!claims.of(evacuationId).isEmpty()) {
      return claims.ownedBy(evacuationId).size();
    }
    ComputeDriver driver = drivers.active();
    List<ComputeInstance> found = compute(() -> driver.instancesOn(evacuation.hostId()));
    Map<String, String> owners = claims.owners(found.stream().map(ComputeInstance::id).toList());
    Targets.Plan plan = driver.schedulesTargets() ? null : targets.plan(driver, evacuation.hostId(), Set.of());
    Instant now = clock.instant();
    int owned = 0;
    for (ComputeInstance instance : found) {
      String owner = owners.get(instance.id());
      Claim claim = new Claim(evacuationId, instance.id(), evacuation.hostId(), instance.size(),
          plan == null ? null : plan.take(instance.size()).orElse(null), 1, Claim.PENDING, false, 0,
          owner == null ? null : "owned by evacuation " + owner + ": reported, not touched", null, now, null, null);
      if (owner != null) {
        claims.recordSkipped(claim);
        events.publishEvent(new EvacuationEvents.InstanceSettled(evacuationId, instance.id(), Claim.SKIPPED));
      } else if (claims.claim(claim)) {
        owned++;
      }
    }
    LOG.info("Evacuation {}: host {} had {} instance(s); {} claimed{}", evacuationId, evacuation.hostId(), found.size(),
        owned, found.size() > owned ? ", " + (found.size() - owned) + " owned by another evacuation" : "");
    return owned;
  }

  /** The instances this evacuation owns: one token each in the process. */
  public List<String> instanceIds(String evacuationId) {
    return claims.ownedBy(evacuationId);
  }

  /** The instance waits for a rebuild slot at this process execution (woken when one is freed). */
  @Transactional(propagation = Propagation.MANDATORY)
  public void awaitSlot(String evacuationId, String instanceId, String executionId) {
    evacuations.lock(evacuationId);
    claims.noteWaiting(evacuationId, instanceId, executionId);
  }

  /** Takes one of the evacuation's rebuild slots for the instance; false: it waits for one to be freed. */
  @Transactional(propagation = Propagation.MANDATORY)
  public boolean takeSlot(String evacuationId, String instanceId) {
    evacuations.lock(evacuationId);
    Claim claim = claims.find(evacuationId, instanceId);
    if (claim.inSlot() || claims.countInSlot(evacuationId) < properties.maxParallel()) {
      claims.setState(evacuationId, instanceId, Claim.REBUILDING, true);
      return true;
    }
    return false;
  }

  /**
   * Asks the compute service to rebuild the instance on its claimed target: the same order (key and target)
   * on every retry. Transient faults go back to the job for a retry with backoff until the attempts are spent.
   */
  @Transactional(propagation = Propagation.MANDATORY, noRollbackFor = {InstanceFailure.class, EvacuationFailure.class})
  public void rebuild(String evacuationId, String instanceId) {
    Claim claim = claims.find(evacuationId, instanceId);
    ComputeDriver driver = drivers.active();
    if (claim.targetHost() == null && !driver.schedulesTargets()) {
      throw failure(claim, "no host has " + claim.size() + " unit(s) of free capacity for instance " + instanceId);
    }
    int attempt = attempts.count(evacuationId, instanceId);
    try {
      driver.rebuild(new RebuildOrder(evacuationId, instanceId, claim.fromHost(), claim.targetHost(),
          claim.idempotencyKey(), claim.claimedAt()));
    } catch (ComputeFault fault) {
      String message = fault.getMessage() + " (attempt " + attempt + " of " + properties.maxAttempts() + ")";
      if (fault instanceof TransientComputeFault && attempt < properties.maxAttempts()) {
        attempts.recordError(evacuationId, instanceId, message);
        LOG.info("Evacuation {}: rebuild of instance {}: {}; retrying with backoff", evacuationId, instanceId, message);
        throw fault;
      }
      throw failure(claim, message);
    }
    claims.startRebuild(evacuationId, instanceId, clock.instant());
  }

  /** How the instance stands after its rebuild was ordered: placed, still under way, or failed. */
  @Transactional(propagation = Propagation.MANDATORY, noRollbackFor = {InstanceFailure.class, EvacuationFailure.class})
  public Placement verify(String evacuationId, String instanceId) {
    Claim claim = claims.find(evacuationId, instanceId);
    InstancePlacement placement;
    try {
      placement = drivers.active().placement(instanceId);
    } catch (TransientComputeFault fault) {
      placement = new InstancePlacement(instanceId, null, InstancePlacement.Status.REBUILDING,
          "could not read it: " + fault.getMessage());
    } catch (ComputeFault fault) {
      throw failure(claim, fault.getMessage());
    }
    boolean onTarget = placement.hostId() != null && (claim.targetHost() == null
        ? !placement.hostId().equals(claim.fromHost()) : placement.hostId().equals(claim.targetHost()));
    if (placement.status() == InstancePlacement.Status.SETTLED && onTarget) {
      claims.notePlacement(evacuationId, instanceId, placement.hostId());
      return Placement.PLACED;
    }
    if (placement.status() == InstancePlacement.Status.ERROR || placement.status() == InstancePlacement.Status.GONE) {
      throw failure(claim, "instance " + instanceId + " after its rebuild: " + placement.detail());
    }
    Instant started = claim.rebuildStartedAt() == null ? claim.claimedAt() : claim.rebuildStartedAt();
    Duration waited = Duration.between(started, clock.instant());
    if (waited.compareTo(properties.verifyTimeout()) > 0) {
      throw failure(claim, "instance " + instanceId + " is not settled on " + (claim.targetHost() == null
          ? "another host" : "host " + claim.targetHost()) + " " + waited.toSeconds() + " s after its rebuild was "
          + "ordered (timeout " + properties.verifyTimeout().toSeconds() + " s): " + placement.detail());
    }
    return Placement.PENDING;
  }

  /** The instance is placed: its claim ends, its slot goes to the next waiting instance. */
  @Transactional(propagation = Propagation.MANDATORY)
  public void recordPlaced(String evacuationId, String instanceId) {
    Evacuation evacuation = evacuations.lock(evacuationId);
    Claim claim = claims.find(evacuationId, instanceId);
    claims.close(evacuationId, instanceId, Claim.PLACED, claim.placedOn(), clock.instant());
    events.publishEvent(new EvacuationEvents.InstanceSettled(evacuationId, instanceId, Claim.PLACED));
    grantNextSlot(evacuation);
  }

  /** Retrying did not help: the instance waits for an operator, and its slot goes to the next instance. */
  @Transactional(propagation = Propagation.MANDATORY)
  public String handToOperator(String evacuationId, String instanceId) {
    Evacuation evacuation = evacuations.lock(evacuationId);
    claims.setState(evacuationId, instanceId, Claim.WAITING_FOR_OPERATOR, false);
    evacuations.setStatus(evacuationId, Evacuation.WAITING_FOR_OPERATOR);
    grantNextSlot(evacuation);
    Claim claim = claims.find(evacuationId, instanceId);
    LOG.warn("Evacuation {}: instance {} waits for an operator: {}", evacuationId, instanceId, claim.lastError());
    return claim.lastError();
  }

  /** Carries out an operator's decision on an instance: retry, another host, or give up. */
  @Transactional(propagation = Propagation.MANDATORY)
  public InstanceDecision decide(String evacuationId, String instanceId, InstanceDecision decision, String by) {
    Evacuation evacuation = evacuations.lock(evacuationId);
    Claim claim = claims.find(evacuationId, instanceId);
    InstanceDecision carriedOut = decision;
    switch (decision) {
      case RETRY -> claims.retry(evacuationId, instanceId);
      case OTHER_HOST -> {
        ComputeDriver driver = drivers.active();
        String target = null;
        if (!driver.schedulesTargets()) {
          Set<String> excluded = new HashSet<>();
          if (claim.targetHost() != null) {
            excluded.add(claim.targetHost());
          }
          target = targets.plan(driver, claim.fromHost(), excluded).take(claim.size()).orElse(null);
        }
        claims.retarget(evacuationId, instanceId, target);
        claims.retry(evacuationId, instanceId);
      }
      case GIVE_UP -> {
        claims.recordError(evacuationId, instanceId, "given up by " + by + " after: " + claim.lastError());
        claims.close(evacuationId, instanceId, Claim.GIVEN_UP, null, clock.instant());
        events.publishEvent(new EvacuationEvents.InstanceSettled(evacuationId, instanceId, Claim.GIVEN_UP));
      }
    }
    LOG.info("Evacuation {}: {} decided '{}' for instance {}", evacuationId, by, decision.wireName(), instanceId);
    refreshStatus(evacuation);
    return carriedOut;
  }

  /** Every instance is settled: the evacuation succeeded, or failed naming what was given up. */
  @Transactional(propagation = Propagation.MANDATORY)
  public void summarize(String evacuationId) {
    Evacuation evacuation = evacuations.lock(evacuationId);
    List<Claim> all = claims.of(evacuationId);
    long placed = all.stream().filter(c -> Claim.PLACED.equals(c.state())).count();
    List<String> givenUp = all.stream().filter(c -> Claim.GIVEN_UP.equals(c.state())).map(Claim::instanceId).toList();
    long skipped = all.stream().filter(c -> Claim.SKIPPED.equals(c.state())).count();
    String counts = placed + " instance(s) rebuilt elsewhere" + (skipped > 0 ? ", " + skipped
        + " owned by another evacuation" : "") + "; fenced by " + evacuation.fencedBy();
    if (givenUp.isEmpty()) {
      finish(evacuation, Evacuation.SUCCEEDED, counts);
    } else {
      finish(evacuation, Evacuation.FAILED, givenUp.size() + " instance(s) given up " + givenUp + "; " + counts);
    }
  }

  /** Ends the evacuation for a reason the process drew (the compute service refused it). */
  @Transactional(propagation = Propagation.MANDATORY)
  public void fail(String evacuationId, String reason) {
    finish(evacuations.lock(evacuationId), Evacuation.FAILED, reason);
  }

  private void finish(Evacuation evacuation, String status, String result) {
    evacuations.finish(evacuation.id(), status, result, clock.instant());
    events.publishEvent(new EvacuationEvents.Settled(evacuation.id(), status));
    LOG.info("Evacuation {} of host {} {}: {}", evacuation.id(), evacuation.hostId(), status, result);
  }

  /** With the evacuation's row locked: the longest-waiting instance gets the freed slot. */
  private void grantNextSlot(Evacuation evacuation) {
    if (claims.countInSlot(evacuation.id()) >= properties.maxParallel()) {
      return;
    }
    claims.nextWaiting(evacuation.id()).ifPresent(next ->
        claims.takeSlot(evacuation.id(), next).ifPresent(signals::slotGranted));
  }

  private void refreshStatus(Evacuation evacuation) {
    boolean waiting = Evacuation.FENCING_UNCONFIRMED.equals(evacuation.fencingStatus())
        || claims.countIn(evacuation.id(), Claim.WAITING_FOR_OPERATOR) > 0;
    evacuations.setStatus(evacuation.id(), waiting ? Evacuation.WAITING_FOR_OPERATOR : Evacuation.RUNNING);
  }

  private InstanceFailure failure(Claim claim, String message) {
    attempts.recordError(claim.evacuationId(), claim.instanceId(), message);
    return new InstanceFailure(message);
  }

  private static <T> T compute(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (TransientComputeFault fault) {
      throw fault;
    } catch (ComputeFault fault) {
      throw new EvacuationFailure(fault.getMessage());
    }
  }

  /** How an instance stands after its rebuild was ordered. */
  public enum Placement { PLACED, PENDING }
}
