package io.lightsout.api;

import io.lightsout.api.NodeBodies.HoldInput;
import io.lightsout.api.NodeBodies.NodeView;
import io.lightsout.power.Hold;
import io.lightsout.power.NodeService;
import io.lightsout.power.PowerQueue;
import io.lightsout.security.CurrentCaller;
import java.time.Clock;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Held queues fleet-wide; hold or resume a node's queue by hand. */
@RestController
class HoldController {

  private final PowerQueue queue;
  private final NodeService nodes;
  private final Clock clock;

  HoldController(PowerQueue queue, NodeService nodes, Clock clock) {
    this.queue = queue;
    this.nodes = nodes;
    this.clock = clock;
  }

  @GetMapping("/api/v1/holds")
  PageView<NodeView> holds() {
    List<NodeView> held = nodes.held().stream().map(n -> NodeView.of(n, nodes.queueDepth(n.id()))).toList();
    return new PageView<>(held, 0, held.size(), held.size());
  }

  @PostMapping("/api/v1/nodes/{id}/hold")
  NodeView hold(@PathVariable String id, @RequestBody(required = false) HoldInput body) {
    String by = CurrentCaller.get().userId();
    String reason = "held by " + by + (body == null || body.reason() == null ? "" : ": " + body.reason());
    if (!queue.hold(id, new Hold(Hold.Kind.OPERATOR, reason, clock.instant()))) {
      throw NodeController.notFound(id);
    }
    return NodeView.of(nodes.find(id).orElseThrow(), nodes.queueDepth(id));
  }

  @PostMapping("/api/v1/nodes/{id}/resume")
  NodeView resume(@PathVariable String id) {
    if (!queue.resume(id, CurrentCaller.get().userId())) {
      throw NodeController.notFound(id);
    }
    return NodeView.of(nodes.find(id).orElseThrow(), nodes.queueDepth(id));
  }
}
