package io.lightsout.outage;

import io.lightsout.power.Hold;
import io.lightsout.power.Node;
import io.lightsout.power.NodeRepository;
import io.lightsout.power.PowerQueue;
import io.lightsout.power.PowerRequest;
import io.lightsout.power.PowerRequestRepository;
import io.lightsout.power.QueueEvents;
import io.lightsout.power.RequestStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reviews of held queues (DESIGN §5): one per outage, or one per node whose BMC stopped answering.
 * The operator's decision is carried out exactly; resuming every node of a review over REST
 * settles it and closes its Tasklist task.
 */
@Service
public class Reviews {

  private static final Logger LOG = LoggerFactory.getLogger(Reviews.class);
  /** Camunda keeps string variables up to 4000 characters; the per-request lists have no such bound. */
  private static final int SUMMARY_LIMIT = 3800;
  /** How reviews and holds write times for people. */
  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
      .withZone(ZoneOffset.UTC);

  private final ReviewRepository reviews;
  private final ReviewProcess process;
  private final NodeRepository nodes;
  private final PowerRequestRepository requests;
  private final PowerQueue queue;
  private final Clock clock;

  Reviews(ReviewRepository reviews, ReviewProcess process, NodeRepository nodes, PowerRequestRepository requests,
      PowerQueue queue, Clock clock) {
    this.reviews = reviews;
    this.process = process;
    this.nodes = nodes;
    this.requests = requests;
    this.queue = queue;
    this.clock = clock;
  }

  /** Opens one review for the given held nodes; {@code stateBefore} tells each node's state before the outage. */
  @Transactional
  public String open(String kind, String reason, List<String> nodeIds, java.util.Map<String, String> stateBefore) {
    Instant now = clock.instant();
    String id = kind + "-" + now.toEpochMilli() + "-" + UUID.randomUUID().toString().substring(0, 8);
    reviews.insert(id, kind, reason, now, nodeIds);
    StringBuilder summary = new StringBuilder(reason).append("\n");
    List<ReviewProcess.Option> nodeOptions = new ArrayList<>();
    List<ReviewProcess.Option> requestOptions = new ArrayList<>();
    int listed = 0;
    for (String nodeId : nodeIds) {
      Node node = nodes.find(nodeId).orElseThrow();
      List<PowerRequest> open = requests.openOf(nodeId);
      String line = "Node " + nodeId + ": before " + stateBefore.getOrDefault(nodeId, "unknown") + ", now "
          + stateNow(node) + "; " + open.size() + " request(s) waiting";
      if (summary.length() + line.length() < SUMMARY_LIMIT) {
        summary.append("\n").append(line);
        listed++;
      }
      for (PowerRequest r : open) {
        requestOptions.add(new ReviewProcess.Option(nodeId + " #" + r.sequence() + " " + r.action().wireName()
            + ", asked by " + r.requestedBy() + " at " + TIME.format(r.requestedAt()) + " (" + shownStatus(r)
            + (r.status() == RequestStatus.HELD && r.result() != null ? ": " + r.result() : "") + ")", r.id()));
      }
      nodeOptions.add(new ReviewProcess.Option(nodeId + " (" + open.size() + " request(s))", nodeId));
    }
    if (listed < nodeIds.size()) {
      summary.append("\n... and ").append(nodeIds.size() - listed).append(" more node(s): see the lists below");
    }
    String title = kind.equals(OutageRecovery.KIND) ? "Review held queues after an outage"
        : "Review held queue of " + String.join(", ", nodeIds);
    reviews.setProcessInstance(id, process.open(id, title, nodesInTaskName(nodeIds), summary.toString(), nodeOptions,
        requestOptions));
    LOG.warn("Opened review {} in Tasklist for {} held node(s): {}", id, nodeIds.size(), reason);
    return id;
  }

  /** As the API shows it: a request waiting on a node under review waits behind the hold (a fence order does not). */
  private static String shownStatus(PowerRequest r) {
    return r.status() == RequestStatus.QUEUED && !r.fence() ? RequestStatus.HELD.wireName() : r.status().wireName();
  }

  /** The nodes as a task name in Tasklist's list can show them: "rack1-node07 and 2 more". */
  static String nodesInTaskName(List<String> nodeIds) {
    return switch (nodeIds.size()) {
      case 0 -> "no node";
      case 1 -> nodeIds.get(0);
      case 2 -> nodeIds.get(0) + " and " + nodeIds.get(1);
      default -> nodeIds.get(0) + " and " + (nodeIds.size() - 1) + " more";
    };
  }

  /** Carries out an operator's decision on every node of the review, then lifts their holds. */
  @Transactional
  public void carryOut(String reviewId, ReviewDecision decision, String by) {
    List<String> nodeIds = reviews.nodesOf(reviewId);
    List<String> cancelled = new ArrayList<>();
    for (String nodeId : nodeIds) {
      for (PowerRequest r : requests.openOf(nodeId)) {
        if (decision.cancels(nodeId, r.id())
            && queue.cancel(r.id(), by + " in review " + reviewId) == PowerQueue.CancelOutcome.CANCELLED) {
          cancelled.add(nodeId + "#" + r.sequence());
        }
      }
    }
    String described = decision.describe(cancelled, nodeIds);
    described = described.length() > 4000 ? described.substring(0, 3990) + " ..." : described;
    reviews.close(reviewId, by, described, clock.instant());
    nodeIds.forEach(nodeId -> queue.resume(nodeId, by + " in review " + reviewId));
    LOG.info("Review {} decided by {}: {}", reviewId, by, described);
  }

  /**
   * The node's power state as read at its BMC since it was held ("off (read 12:00:03 UTC)"); "unknown" when its
   * BMC has not answered since (a BMC that stopped answering, or one that could not be read after an outage): the
   * last state read before the hold is the line's "before", not what the machine is now.
   */
  private static String stateNow(Node node) {
    Instant read = node.powerObservedAt();
    if (read == null) {
      return "unknown (never read)";
    }
    if (node.hold() != null && read.isBefore(node.hold().since())) {
      return "unknown (not read since the hold at " + TIME.format(node.hold().since()) + ")";
    }
    return node.powerState().wireName() + " (read " + TIME.format(read) + ")";
  }

  /** A BMC that stopped answering opens a review for its node, once per hold. */
  @EventListener
  void onNodeHeld(QueueEvents.NodeHeld held) {
    if (held.hold().kind() == Hold.Kind.BMC_UNREACHABLE && reviews.openReviewsOf(held.nodeId()).isEmpty()) {
      Node node = nodes.find(held.nodeId()).orElseThrow();
      String lastSeen = node.powerObservedAt() == null ? "unknown"
          : node.powerState().wireName() + " (observed " + TIME.format(node.powerObservedAt()) + ")";
      open("bmc-unreachable", held.hold().reason(), List.of(held.nodeId()), java.util.Map.of(held.nodeId(), lastSeen));
    }
  }

  /** Resuming over REST settles the reviews whose nodes are no longer held, and closes their tasks. */
  @EventListener
  void onNodeResumed(QueueEvents.NodeResumed resumed) {
    for (String reviewId : reviews.openReviewsOf(resumed.nodeId())) {
      if (reviews.countHeldNodesOf(reviewId) == 0
          && reviews.close(reviewId, resumed.by(), "settled outside Tasklist: every node resumed", clock.instant())) {
        process.settle(reviewId);
        LOG.info("Review {} settled by {}: every node resumed", reviewId, resumed.by());
      }
    }
  }
}
