package io.lightsout.power.batch;

import io.lightsout.power.JoinOutcome;
import io.lightsout.power.PowerProperties;
import io.lightsout.power.PowerRequestService;
import io.lightsout.power.PowerRequestService.SubmitResult;
import io.lightsout.power.PowerRequestView;
import io.lightsout.power.batch.PowerBatchRepository.StoredAnswer;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import io.lightsout.power.PlacedRequests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Batches of power requests (DESIGN §4): each item is placed in its node's queue exactly as a single request
 * would join it ({@link PowerRequestService#place}), a hundred items and their answers per transaction, and its
 * power-change process starts right behind ({@link PlacedRequests}). A rejected item takes no other with it; a
 * chunk that fails as a whole is placed again item by item. Items of different nodes are placed in parallel lanes
 * ({@code lightsout.batch.parallelism}), those of one node in the batch's order.
 * With an {@code Idempotency-Key}, each item carries a key derived from the batch ({@code batch/<id>/<index>}),
 * so a replay after a crash mid-batch finds the items already accepted and submits only the rest.
 */
@Service
public class PowerBatchService {

  public static final int MAX_ITEMS = 1000;
  static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);
  private static final Logger LOG = LoggerFactory.getLogger(PowerBatchService.class);
  /** Items placed, with their answers, per transaction. */
  private static final int CHUNK = 100;

  private final PowerRequestService requests;
  private final PowerBatchRepository batches;
  private final PowerProperties properties;
  private final Clock clock;
  /** Lanes of one batch submitted at once (each a thread and, while it submits, a database connection). */
  private final int parallelism;
  private final ExecutorService executor;
  private final CallerContext caller;
  private final PlacedRequests placed;
  private final TransactionTemplate transaction;

  PowerBatchService(PowerRequestService requests, PowerBatchRepository batches, PowerProperties properties,
      Clock clock, CallerContext caller, PlacedRequests placed, PlatformTransactionManager transactions,
      @Value("${lightsout.batch.parallelism:4}") int parallelism) {
    this.caller = caller;
    this.placed = placed;
    this.transaction = new TransactionTemplate(transactions);
    this.requests = requests;
    this.batches = batches;
    this.properties = properties;
    this.clock = clock;
    this.parallelism = Math.max(1, parallelism);
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(this.parallelism, task -> {
      Thread thread = new Thread(task, "power-batch-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** A batch as submitted: its items, the caller, and the optional key with the hash of the body it names. */
  public record Submission(List<BatchItem> items, String idempotencyKey, String bodyHash, String requestedBy) {}

  /** Created (new), Replayed (same key and body within 24 h) or KeyConflict (same key, another body). */
  public sealed interface BatchResult {
    record Created(String batchId, List<ItemAnswer> answers) implements BatchResult {}
    record Replayed(String batchId, List<ItemAnswer> answers) implements BatchResult {}
    record KeyConflict(String batchId) implements BatchResult {}
  }

  public BatchResult submit(Submission s) {
    Instant now = clock.instant();
    if (s.idempotencyKey() != null) {
      Optional<BatchResult> earlier = replay(s, now);
      if (earlier.isPresent()) {
        return earlier.get();
      }
      batches.expireIdempotencyKey(s.requestedBy(), s.idempotencyKey(), now.minus(IDEMPOTENCY_WINDOW));
    }
    PowerBatch batch = new PowerBatch(UUID.randomUUID().toString(), s.requestedBy(), now, s.items().size(),
        s.idempotencyKey(), s.bodyHash());
    try {
      batches.insert(batch);
    } catch (DuplicateKeyException e) {
      // the same key raced in from another call: answer as its replay
      return replay(s, now).orElseThrow(() -> e);
    }
    return new BatchResult.Created(batch.id(), run(batch, s.items(), Map.of()));
  }

  private Optional<BatchResult> replay(Submission s, Instant now) {
    return batches.findByIdempotencyKey(s.requestedBy(), s.idempotencyKey(), now.minus(IDEMPOTENCY_WINDOW))
        .map(earlier -> {
          if (!earlier.bodyHash().equals(s.bodyHash()) || earlier.itemCount() != s.items().size()) {
            return new BatchResult.KeyConflict(earlier.id());
          }
          Map<Integer, ItemAnswer> answered = new HashMap<>();
          for (ItemAnswer a : answers(earlier.id(), 0, MAX_ITEMS)) {
            answered.put(a.index(), a);
          }
          return new BatchResult.Replayed(earlier.id(), run(earlier, s.items(), answered));
        });
  }

  /**
   * Submits every item not answered yet and records each answer. The items are spread over lanes by node, so
   * that the requests of one node are submitted in the batch's order while different nodes go in parallel.
   */
  private List<ItemAnswer> run(PowerBatch batch, List<BatchItem> items, Map<Integer, ItemAnswer> answered) {
    ItemAnswer[] answers = new ItemAnswer[items.size()];
    answered.forEach((index, answer) -> answers[index] = answer);
    List<List<Integer>> lanes = new ArrayList<>();
    for (int lane = 0; lane < parallelism; lane++) {
      lanes.add(new ArrayList<>());
    }
    for (int i = 0; i < items.size(); i++) {
      if (answers[i] == null) {
        lanes.get(Math.floorMod(String.valueOf(items.get(i).nodeId()).hashCode(), parallelism)).add(i);
      }
    }
    List<Future<?>> work = new ArrayList<>();
    for (List<Integer> lane : lanes) {
      if (!lane.isEmpty()) {
        work.add(executor.submit(caller.carry(() -> submitLane(batch, items, lane, answers))));
      }
    }
    RuntimeException failure = null;
    for (Future<?> lane : work) {
      try {
        lane.get();
      } catch (ExecutionException e) {
        failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = new IllegalStateException("interrupted while submitting batch " + batch.id(), e);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return List.of(answers);
  }

  /**
   * Places the lane's items chunk by chunk, each chunk with its answers in one transaction; their processes start
   * behind ({@link PlacedRequests}). A chunk that fails as a whole (a deadlock with a single request, a key used
   * meanwhile) is placed again item by item, each in a transaction of its own.
   */
  private void submitLane(PowerBatch batch, List<BatchItem> items, List<Integer> lane, ItemAnswer[] answers) {
    for (int from = 0; from < lane.size(); from += CHUNK) {
      List<Integer> chunk = lane.subList(from, Math.min(lane.size(), from + CHUNK));
      try {
        transaction.executeWithoutResult(status -> placeAll(batch, items, chunk, answers));
      } catch (RuntimeException e) {
        LOG.debug("Batch {}: a chunk of {} items failed as a whole ({}); placing them one by one", batch.id(),
            chunk.size(), e.toString());
        for (int index : chunk) {
          answers[index] = null;
          placeAlone(batch, items, index, answers);
        }
      }
      placed.wake();
    }
  }

  private void placeAll(PowerBatch batch, List<BatchItem> items, List<Integer> chunk, ItemAnswer[] answers) {
    List<StoredAnswer> unsaved = new ArrayList<>(chunk.size());
    for (int index : chunk) {
      answers[index] = submitItem(batch, index, items.get(index));
      unsaved.add(stored(answers[index]));
    }
    batches.insertAnswers(batch.id(), unsaved);
  }

  private void placeAlone(PowerBatch batch, List<BatchItem> items, int index, ItemAnswer[] answers) {
    try {
      transaction.executeWithoutResult(status -> placeAll(batch, items, List.of(index), answers));
    } catch (DataIntegrityViolationException e) {
      // the item's key was used meanwhile, by a replay of this batch racing in: answer as its replay
      String key = itemKey(batch, index);
      if (key == null) {
        throw e;
      }
      PowerRequestView earlier = requests.findByIdempotencyKey(batch.requestedBy(), key).orElseThrow(() -> e);
      answers[index] = new ItemAnswer(index, 202, earlier, null, null);
      batches.insertAnswers(batch.id(), List.of(stored(answers[index])));
    }
  }

  @PreDestroy
  void stop() {
    executor.shutdown();
  }

  private ItemAnswer submitItem(PowerBatch batch, int index, BatchItem item) {
    if (item.nodeId() == null || item.nodeId().isBlank()) {
      return new ItemAnswer(index, 400, null, "nodeId is required", null);
    }
    String key = itemKey(batch, index);
    SubmitResult result = requests.place(new PowerRequestService.Submission(item.nodeId(), item.action(),
        item.ifBusy(), item.reason(), item.callbackUrl(), key, batch.requestedBy()));
    if (result instanceof SubmitResult.Accepted accepted) {
      return new ItemAnswer(index, 202, accepted.request(), null, null);
    }
    if (result instanceof SubmitResult.Replayed replayed) {
      return new ItemAnswer(index, 202, replayed.request(), null, null);
    }
    SubmitResult.Rejected rejected = (SubmitResult.Rejected) result;
    boolean retry = rejected.rejection() == JoinOutcome.Rejection.QUEUE_FULL;
    return new ItemAnswer(index, status(rejected.rejection()), null, rejected.reason(),
        retry ? properties.retryAfter().toSeconds() : null);
  }

  private static String itemKey(PowerBatch batch, int index) {
    return batch.idempotencyKey() == null ? null : "batch/" + batch.id() + "/" + index;
  }

  /** The HTTP status a single request would get for this rejection. */
  public static int status(JoinOutcome.Rejection rejection) {
    return switch (rejection) {
      case UNKNOWN_NODE -> 404;
      case INVALID -> 400;
      case NODE_BUSY, DUPLICATE_KEY -> 409;
      case QUEUE_FULL -> 503;
    };
  }

  private static StoredAnswer stored(ItemAnswer a) {
    return new StoredAnswer(a.index(), a.status(), a.request() == null ? null : a.request().id(), a.problem(),
        a.retryAfter());
  }

  public Optional<PowerBatch> find(String batchId) {
    return batches.find(batchId);
  }

  /** A page of the batch's answers, each with its request as it stands now. */
  public List<ItemAnswer> answers(String batchId, int offset, int limit) {
    List<ItemAnswer> page = new ArrayList<>();
    for (StoredAnswer a : batches.answers(batchId, offset, limit)) {
      PowerRequestView request = a.requestId() == null ? null : requests.find(a.requestId()).orElse(null);
      String problem = a.requestId() != null && request == null
          ? "request " + a.requestId() + " no longer exists (its node was deleted)" : a.problem();
      page.add(new ItemAnswer(a.index(), a.status(), request, problem, a.retryAfter()));
    }
    return page;
  }

  public Map<String, Long> countsByStatus(String batchId) {
    return batches.countsByStatus(batchId);
  }
}
