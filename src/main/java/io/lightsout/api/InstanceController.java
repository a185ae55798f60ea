package io.lightsout.api;

import io.lightsout.api.ComputeBodies.InstanceInput;
import io.lightsout.api.ComputeBodies.InstanceView;
import io.lightsout.compute.inventory.Instance;
import io.lightsout.compute.inventory.InventoryService;
import io.lightsout.evacuation.EvacuationService;
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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Workload instances of the inventory driver: where each runs, and the evacuation that owns it, if any. */
@RestController
@Validated
@RequestMapping("/api/v1/instances")
class InstanceController {

  private final InventoryService inventory;
  private final EvacuationService evacuations;

  InstanceController(InventoryService inventory, EvacuationService evacuations) {
    this.inventory = inventory;
    this.evacuations = evacuations;
  }

  @PostMapping
  ResponseEntity<InstanceView> create(@Valid @RequestBody InstanceInput body) {
    ComputeResults.orThrow(inventory.create(body.id(), body.host(), body.size()));
    return ResponseEntity.created(URI.create("/api/v1/instances/" + body.id())).body(get(body.id()));
  }

  @GetMapping
  PageView<InstanceView> list(@RequestParam(required = false) @Size(max = 63) String host,
      @RequestParam(defaultValue = "0") @Min(0) int page,
      @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
    List<Instance> found = inventory.page(host, page, size);
    Map<String, String> owners = evacuations.ownersOf(found.stream().map(Instance::id).toList());
    return new PageView<>(found.stream().map(i -> InstanceView.of(i, owners.get(i.id()))).toList(), page, size,
        inventory.count(host));
  }

  @GetMapping("/{id}")
  InstanceView get(@PathVariable String id) {
    Instance instance = inventory.find(id).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND,
        "instance '" + id + "' does not exist"));
    return InstanceView.of(instance, evacuations.ownersOf(List.of(id)).get(id));
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> delete(@PathVariable String id) {
    ComputeResults.orThrow(inventory.delete(id));
    return ResponseEntity.noContent().build();
  }
}
