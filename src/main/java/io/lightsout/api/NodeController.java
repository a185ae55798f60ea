package io.lightsout.api;

import io.lightsout.api.NodeBodies.NodeInput;
import io.lightsout.api.NodeBodies.NodeView;
import io.lightsout.power.Node;
import io.lightsout.power.NodeService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Nodes: machines with a BMC. Answers show the last observed power state, queue depth and hold. */
@RestController
@Validated
@RequestMapping("/api/v1/nodes")
class NodeController {

  private final NodeService nodes;

  NodeController(NodeService nodes) {
    this.nodes = nodes;
  }

  /** With {@code check} (the default) the BMC must answer a power-state read first; {@code false} for a node not cabled yet. */
  @PostMapping
  ResponseEntity<NodeView> create(@Valid @RequestBody NodeInput body,
      @RequestParam(defaultValue = "true") boolean check) {
    NodeService.Change change = checked(body.id(), () -> nodes.create(input(body.id(), body), check));
    if (change == NodeService.Change.EXISTS) {
      throw new ApiException(HttpStatus.CONFLICT, "node '" + body.id() + "' already exists");
    }
    return ResponseEntity.created(URI.create("/api/v1/nodes/" + body.id())).body(view(body.id()));
  }

  @GetMapping
  PageView<NodeView> list(@RequestParam(defaultValue = "0") @Min(0) int page,
      @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
    return new PageView<>(nodes.page(page, size).stream().map(n -> NodeView.of(n, nodes.queueDepth(n.id()))).toList(),
        page, size, nodes.count());
  }

  @GetMapping("/{id}")
  NodeView get(@PathVariable String id) {
    return view(id);
  }

  @PutMapping("/{id}")
  NodeView update(@PathVariable String id, @Valid @RequestBody NodeInput body,
      @RequestParam(defaultValue = "true") boolean check) {
    if (body.id() != null && !body.id().equals(id)) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "the body's id '" + body.id() + "' differs from the path's '" + id + "'");
    }
    switch (checked(id, () -> nodes.update(input(id, body), check))) {
      case NOT_FOUND -> throw notFound(id);
      case BUSY -> throw new ApiException(HttpStatus.CONFLICT, "node '" + id + "' has open power requests; "
          + "change it when its queue is empty, or hold it and change it while no request runs at its BMC");
      default -> { }
    }
    return view(id);
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> delete(@PathVariable String id) {
    switch (nodes.delete(id)) {
      case NOT_FOUND -> throw notFound(id);
      case BUSY -> throw new ApiException(HttpStatus.CONFLICT, "node '" + id + "' has open power requests; "
          + "cancel them or wait until they are final");
      case IN_USE -> throw new ApiException(HttpStatus.CONFLICT, "node '" + id + "' is the BMC node of a compute "
          + "host; delete the host first");
      default -> { }
    }
    return ResponseEntity.noContent().build();
  }

  private NodeView view(String id) {
    Node node = nodes.find(id).orElseThrow(() -> notFound(id));
    return NodeView.of(node, nodes.queueDepth(id));
  }

  /** A BMC that does not answer the check: {@code 422} with the driver's reason; nothing was stored. */
  private static NodeService.Change checked(String id, Supplier<NodeService.Change> change) {
    try {
      return change.get();
    } catch (NodeService.BmcCheckFailed failed) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "the BMC of node '" + id + "' did not answer a "
          + "power-state read, so nothing was stored: " + failed.getMessage()
          + " (add ?check=false to store the settings of a node whose BMC is not reachable yet)");
    }
  }

  static ApiException notFound(String id) {
    return new ApiException(HttpStatus.NOT_FOUND, "node '" + id + "' does not exist");
  }

  private static NodeService.NodeInput input(String id, NodeInput body) {
    return new NodeService.NodeInput(id, body.name(), body.bmc().driver(), body.bmc().host(), body.bmc().port(),
        body.bmc().username(), body.bmc().password(), body.bmc().options());
  }
}
