package io.lightsout.outage;

import io.lightsout.bmc.BmcDriverRegistry;
import io.lightsout.bmc.BmcFault;
import io.lightsout.bmc.BmcSettings;
import io.lightsout.bmc.PowerState;
import io.lightsout.power.Hold;
import io.lightsout.power.Node;
import io.lightsout.power.NodeRepository;
import io.lightsout.power.PowerQueue;
import io.lightsout.power.PowerRequestRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Never guess after an outage (DESIGN §1, §5). Each instance beats in the database. When this
 * instance starts after an unclean stop, or a peer's heartbeat expires, the affected queues are
 * held (with the outage's window and the instance in the reason), interrupted requests are marked
 * held with the power state read just now, one review opens in Tasklist, and only then are the
 * dead instance's job locks released. After its own outage, all of it happens before this instance's
 * job executor starts; a peer's outage is handled while this instance goes on with every other node.
 * Until then, the dead instance's requests wait: see {@code PowerQueue#beginExecution}.
 */
@Component
class OutageRecovery implements SmartInitializingSingleton, DisposableBean {

  static final String KIND = "outage";
  private static final Logger LOG = LoggerFactory.getLogger(OutageRecovery.class);

  private final EngineInstance instance;
  private final Heartbeats heartbeats;
  private final JobLocks jobLocks;
  private final NodeRepository nodes;
  private final PowerQueue queue;
  private final Reviews reviews;
  private final BmcDriverRegistry drivers;
  private final PowerRequestRepository requests;
  private final Clock clock;
  private final Duration expiry;
  private Instant startedAt;

  OutageRecovery(EngineInstance instance, Heartbeats heartbeats, JobLocks jobLocks, NodeRepository nodes,
      PowerQueue queue, Reviews reviews, BmcDriverRegistry drivers, PowerRequestRepository requests, Clock clock,
      @Value("${lightsout.heartbeat.expiry:30s}") Duration expiry) {
    this.instance = instance;
    this.heartbeats = heartbeats;
    this.jobLocks = jobLocks;
    this.nodes = nodes;
    this.queue = queue;
    this.reviews = reviews;
    this.drivers = drivers;
    this.requests = requests;
    this.clock = clock;
    this.expiry = expiry;
  }

  /** At start, before the web server and the job executor: our own previous life, then expired peers. */
  @Override
  public void afterSingletonsInstantiated() {
    Instant now = clock.instant();
    startedAt = now;
    heartbeats.register(instance.id(), now).filter(previous -> !previous.stoppedCleanly()
        && previous.declaredDeadAt() == null).ifPresent(previous -> recover(previous, now));
    int leftOver = jobLocks.releaseLocksOf(instance.id());
    if (leftOver > 0) {
      LOG.info("Released {} job lock(s) left by this instance's previous run", leftOver);
    }
    checkPeers();
  }

  @Scheduled(fixedDelayString = "${lightsout.heartbeat.interval:10s}", initialDelayString = "${lightsout.heartbeat.interval:10s}")
  void beat() {
    heartbeats.beat(instance.id(), clock.instant());
    checkPeers();
  }

  @Override
  public void destroy() {
    heartbeats.stoppedCleanly(instance.id(), clock.instant());
    LOG.info("Instance {} stopped cleanly", instance.id());
  }

  private void checkPeers() {
    Instant now = clock.instant();
    for (Heartbeats.InstanceRecord peer : heartbeats.expired(now.minus(expiry), instance.id())) {
      if (heartbeats.declareDead(peer.id(), instance.id(), now)) {
        recover(peer, now);
      }
    }
  }

  private void recover(Heartbeats.InstanceRecord dead, Instant now) {
    boolean nobodyWasUp = heartbeats.alivePeers(now.minus(expiry), instance.id()) == 0
        && !startedAt.isBefore(dead.lastBeat());
    String reason = "orchestrator outage from " + Reviews.TIME.format(dead.lastBeat()) + " to "
        + Reviews.TIME.format(now)
        + " (instance " + dead.id() + " stopped without a clean shutdown)";
    List<String> affected = affectedNodes(dead, nobodyWasUp);
    Map<String, String> stateBefore = new LinkedHashMap<>();
    for (String nodeId : affected) {
      // each node reads its BMC: beat meanwhile, so that peers never take a long recovery for an outage
      heartbeats.beat(instance.id(), clock.instant());
      Node node = nodes.find(nodeId).orElseThrow();
      stateBefore.put(nodeId, node.powerState().wireName() + (node.powerObservedAt() == null ? ""
          : " (observed " + Reviews.TIME.format(node.powerObservedAt()) + ")"));
      PowerState current = readNow(nodeId);
      queue.holdInterrupted(nodeId, dead.id(), new Hold(Hold.Kind.OUTAGE, reason, now),
          "interrupted: the BMC may or may not have received the command; current power state: "
              + current.wireName() + " (read just now)");
    }
    if (!affected.isEmpty()) {
      reviews.open(KIND, reason, affected, stateBefore);
    }
    int released = jobLocks.releaseLocksOf(dead.id());
    LOG.warn("Recovered from {}: {} node queue(s) held for review, {} job lock(s) released", reason,
        affected.size(), released);
  }

  /**
   * Nodes whose running request the dead instance owned; and when no instance was up during the
   * outage (this one started after it), every node with requests that were waiting across it.
   */
  private List<String> affectedNodes(Heartbeats.InstanceRecord dead, boolean nobodyWasUp) {
    Set<String> affected = new TreeSet<>(requests.nodesRunningOn(dead.id()));
    if (nobodyWasUp) {
      affected.addAll(requests.nodesWithOpenRequestsBefore(dead.lastBeat()));
    }
    return List.copyOf(affected);
  }

  private PowerState readNow(String nodeId) {
    BmcSettings settings = nodes.bmcSettings(nodeId).orElse(null);
    if (settings == null) {
      return PowerState.UNKNOWN;
    }
    try {
      PowerState state = drivers.driver(settings.driver()).powerState(settings);
      nodes.recordPowerState(nodeId, state, clock.instant());
      return state;
    } catch (BmcFault fault) {
      return PowerState.UNKNOWN;
    }
  }
}
