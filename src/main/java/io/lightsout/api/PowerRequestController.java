package io.lightsout.api;

import io.lightsout.api.NodeBodies.PowerRequestInput;
import io.lightsout.power.JoinOutcome;
import io.lightsout.power.NodeService;
import io.lightsout.power.PowerProperties;
import io.lightsout.power.PowerRequestService;
import io.lightsout.power.PowerRequestService.SubmitResult;
import io.lightsout.power.PowerRequestView;
import io.lightsout.security.CurrentCaller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Power requests: asynchronous ({@code 202} + {@code Location}), queued per node, visible while they wait. */
@RestController
@Validated
class PowerRequestController {

  private final PowerRequestService service;
  private final NodeService nodes;
  private final PowerProperties properties;

  PowerRequestController(PowerRequestService service, NodeService nodes, PowerProperties properties) {
    this.service = service;
    this.nodes = nodes;
    this.properties = properties;
  }

  @PostMapping("/api/v1/nodes/{nodeId}/power-requests")
  ResponseEntity<PowerRequestView> submit(@PathVariable String nodeId, @Valid @RequestBody PowerRequestInput body,
      @RequestHeader(name = "Idempotency-Key", required = false) @Size(min = 1, max = 200) String idempotencyKey) {
    SubmitResult result = service.submit(new PowerRequestService.Submission(nodeId, body.action(), body.ifBusy(),
        body.reason(), body.callbackUrl(), idempotencyKey, CurrentCaller.get().userId()));
    if (result instanceof SubmitResult.Accepted accepted) {
      return ResponseEntity.accepted().location(location(accepted.request())).body(accepted.request());
    }
    if (result instanceof SubmitResult.Replayed replayed) {
      return ResponseEntity.ok().location(location(replayed.request())).body(replayed.request());
    }
    throw rejection((SubmitResult.Rejected) result);
  }

  private static URI location(PowerRequestView request) {
    return URI.create("/api/v1/power-requests/" + request.id());
  }

  @GetMapping("/api/v1/power-requests/{id}")
  PowerRequestView get(@PathVariable String id) {
    return service.find(id).orElseThrow(() -> requestNotFound(id));
  }

  @DeleteMapping("/api/v1/power-requests/{id}")
  PowerRequestView cancel(@PathVariable String id) {
    switch (service.cancel(id, CurrentCaller.get().userId())) {
      case NOT_FOUND -> throw requestNotFound(id);
      case NOT_CANCELLABLE -> {
        PowerRequestView request = service.find(id).orElseThrow();
        throw new ApiException(HttpStatus.CONFLICT, "request " + id + " is " + request.status()
            + ": only queued or held requests can be cancelled", Map.of("status", request.status()));
      }
      default -> { }
    }
    return service.find(id).orElseThrow();
  }

  @GetMapping("/api/v1/nodes/{nodeId}/queue")
  PageView<PowerRequestView> queue(@PathVariable String nodeId) {
    requireNode(nodeId);
    List<PowerRequestView> open = service.queueOf(nodeId);
    return new PageView<>(open, 0, open.size(), open.size());
  }

  @GetMapping("/api/v1/nodes/{nodeId}/history")
  PageView<PowerRequestView> history(@PathVariable String nodeId,
      @RequestParam(defaultValue = "0") @Min(0) int page,
      @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
    requireNode(nodeId);
    return new PageView<>(service.historyOf(nodeId, page, size), page, size, service.historySize(nodeId));
  }

  private void requireNode(String nodeId) {
    if (nodes.find(nodeId).isEmpty()) {
      throw NodeController.notFound(nodeId);
    }
  }

  private ApiException rejection(SubmitResult.Rejected rejected) {
    return switch (rejected.rejection()) {
      case UNKNOWN_NODE -> new ApiException(HttpStatus.NOT_FOUND, rejected.reason());
      case INVALID -> new ApiException(HttpStatus.BAD_REQUEST, rejected.reason());
      case NODE_BUSY, DUPLICATE_KEY -> new ApiException(HttpStatus.CONFLICT, rejected.reason());
      case QUEUE_FULL -> new RetryLaterException(rejected.reason(), properties.retryAfter().toSeconds());
    };
  }

  private static ApiException requestNotFound(String id) {
    return new ApiException(HttpStatus.NOT_FOUND, "power request '" + id + "' does not exist");
  }
}
