package io.lightsout.power;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts the power-change process of each request placed in its queue without one (a batch's items, see
 * {@link PowerRequestService#place}): woken when a batch's transaction commits, and every
 * {@code lightsout.placed.sweep} besides, so that requests placed by an instance that stopped or died before it
 * started their processes are started by any instance sharing the database. One start per transaction, under the
 * node's lock, and only while the request still has no process: two instances never start one request twice.
 */
@Component
public class PlacedRequests {

  private static final Logger LOG = LoggerFactory.getLogger(PlacedRequests.class);
  private static final int PAGE = 500;

  private final PowerRequestRepository requests;
  private final NodeRepository nodes;
  private final PowerProcessStarter starter;
  private final TransactionTemplate transaction;
  private final ExecutorService worker;
  private final AtomicBoolean woken = new AtomicBoolean();

  PlacedRequests(PowerRequestRepository requests, NodeRepository nodes, PowerProcessStarter starter,
      PlatformTransactionManager transactions) {
    this.requests = requests;
    this.nodes = nodes;
    this.starter = starter;
    this.transaction = new TransactionTemplate(transactions);
    this.worker = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "placed-requests");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Starts the processes of the placed requests soon, in this instance's worker thread. */
  public void wake() {
    if (woken.compareAndSet(false, true)) {
      worker.execute(this::startAll);
    }
  }

  @Scheduled(initialDelayString = "${lightsout.placed.sweep:PT10S}", fixedDelayString = "${lightsout.placed.sweep:PT10S}")
  void sweep() {
    wake();
  }

  @PreDestroy
  void stop() {
    worker.shutdownNow();
  }

  private void startAll() {
    woken.set(false);
    try {
      startEvery();
    } catch (DataAccessException e) {
      LOG.debug("Placed requests not started now, the database is unavailable; the next sweep tries again", e);
    }
  }

  private void startEvery() {
    Set<String> failed = new HashSet<>();
    while (!Thread.currentThread().isInterrupted()) {
      List<String> page = requests.unstarted(PAGE + failed.size());
      int started = 0;
      for (String id : page) {
        if (!failed.contains(id)) {
          if (startOne(id)) {
            started++;
          } else {
            failed.add(id);
          }
        }
      }
      if (started == 0) {
        return;
      }
    }
  }

  /** Whether the request has its process now (started here or elsewhere, or gone); false if the start failed. */
  private boolean startOne(String requestId) {
    try {
      transaction.executeWithoutResult(status -> {
        Optional<PowerRequest> read = requests.find(requestId);
        if (read.isEmpty() || read.get().processInstanceId() != null) {
          return;
        }
        nodes.lock(read.get().nodeId());
        PowerRequest r = requests.find(requestId).orElseThrow();
        if (r.processInstanceId() == null) {
          JoinOutcome joined = starter.start(new JoinCommand(r.id(), r.nodeId(), r.action().wireName(),
              r.ifBusy().wireName(), r.requestedBy(), r.reason(), r.callbackUrl(), r.idempotencyKey(), null)).outcome();
          if (joined.kind() == JoinOutcome.Kind.REJECTED) {
            throw new IllegalStateException("its process did not join it: " + joined.detail());
          }
        }
      });
      return true;
    } catch (RuntimeException e) {
      LOG.warn("Could not start the process of request {}, placed in its node's queue; trying again in the next "
          + "sweep: {}", requestId, e.toString());
      return false;
    }
  }
}
