package io.lightsout.api;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightsout.power.batch.BatchItem;
import io.lightsout.power.batch.ItemAnswer;
import io.lightsout.power.batch.PowerBatch;
import io.lightsout.power.batch.PowerBatchService;
import io.lightsout.power.batch.PowerBatchService.BatchResult;
import io.lightsout.security.CurrentCaller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Batches of power requests: each item answered like a single request, the batch kept under its own id. */
@RestController
@Validated
class PowerBatchController {

  private final PowerBatchService service;
  private final ObjectMapper json;

  PowerBatchController(PowerBatchService service, ObjectMapper json) {
    this.service = service;
    this.json = json;
  }

  /** One item; the field limits are those of a single request's body, the rest is checked per item. */
  record ItemInput(
      @Size(max = 200) String nodeId,
      @Size(max = 16) String action,
      @Size(max = 1000) String reason,
      @Size(max = 16) String ifBusy,
      @Size(max = 2000) String callbackUrl) {}

  /** {@code items} (or {@code requests}, as DESIGN §4 names it); a top-level callbackUrl applies to every item. */
  record BatchInput(
      @NotNull @JsonAlias("requests") List<@NotNull @Valid ItemInput> items,
      @Size(max = 2000) String callbackUrl) {}

  /** The batch's answer: its id, counts by request status ({@code rejected} for refused items), the items. */
  record BatchView(String id, String requestedBy, Instant requestedAt, int total, Map<String, Long> counts,
                   PageView<ItemAnswer> items) {}

  @PostMapping("/api/v1/power-requests")
  ResponseEntity<BatchView> submit(@Valid @RequestBody BatchInput body,
      @RequestHeader(name = "Idempotency-Key", required = false) @Size(min = 1, max = 200) String idempotencyKey) {
    if (body.items().isEmpty()) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "items must hold at least one power request");
    }
    if (body.items().size() > PowerBatchService.MAX_ITEMS) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "a batch holds at most " + PowerBatchService.MAX_ITEMS
          + " power requests, this one " + body.items().size() + "; nothing was accepted",
          Map.of("limit", PowerBatchService.MAX_ITEMS));
    }
    List<BatchItem> items = body.items().stream().map(i -> new BatchItem(i.nodeId(), i.action(), i.reason(),
        i.ifBusy(), i.callbackUrl() != null ? i.callbackUrl() : body.callbackUrl())).toList();
    BatchResult result = service.submit(new PowerBatchService.Submission(items, idempotencyKey, hash(items),
        CurrentCaller.get().userId()));
    if (result instanceof BatchResult.KeyConflict conflict) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "Idempotency-Key was used within 24 h for batch "
          + conflict.batchId() + " with another body; nothing new was queued", Map.of("batchId", conflict.batchId()));
    }
    boolean created = result instanceof BatchResult.Created;
    String id = created ? ((BatchResult.Created) result).batchId() : ((BatchResult.Replayed) result).batchId();
    List<ItemAnswer> answers = created ? ((BatchResult.Created) result).answers()
        : ((BatchResult.Replayed) result).answers();
    BatchView view = view(service.find(id).orElseThrow(), counts(answers), answers, 0, answers.size());
    return ResponseEntity.status(created ? HttpStatus.ACCEPTED : HttpStatus.OK)
        .location(URI.create("/api/v1/power-batches/" + id)).body(view);
  }

  @GetMapping("/api/v1/power-batches/{id}")
  BatchView get(@PathVariable @Size(max = 64) String id,
      @RequestParam(defaultValue = "0") @Min(0) @Max(10_000) int page,
      @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int size) {
    PowerBatch batch = service.find(id).orElseThrow(() ->
        new ApiException(HttpStatus.NOT_FOUND, "power batch '" + id + "' does not exist"));
    return view(batch, service.countsByStatus(id), service.answers(id, page * size, size), page, size);
  }

  private static BatchView view(PowerBatch batch, Map<String, Long> counts, List<ItemAnswer> items, int page,
      int size) {
    return new BatchView(batch.id(), batch.requestedBy(), batch.requestedAt(), batch.itemCount(), counts,
        new PageView<>(items, page, size, batch.itemCount()));
  }

  private static Map<String, Long> counts(List<ItemAnswer> answers) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (ItemAnswer a : answers) {
      counts.merge(a.request() == null ? "rejected" : a.request().status(), 1L, Long::sum);
    }
    return counts;
  }

  /** What an Idempotency-Key names: the items as they will be submitted, in order. */
  private String hash(List<BatchItem> items) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(items)));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash a batch body", e);
    }
  }
}
