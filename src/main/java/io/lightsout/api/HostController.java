package io.lightsout.api;

import io.lightsout.api.ComputeBodies.EvacuationInput;
import io.lightsout.api.ComputeBodies.HostChange;
import io.lightsout.api.ComputeBodies.HostInput;
import io.lightsout.api.ComputeBodies.HostView;
import io.lightsout.compute.Host;
import io.lightsout.compute.HostService;
import io.lightsout.evacuation.EvacuationService;
import io.lightsout.evacuation.EvacuationService.StartResult;
import io.lightsout.evacuation.EvacuationView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
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

/** Compute hosts, and the start of an evacuation of one ({@code 202}, or {@code 200} with the running one). */
@RestController
@Validated
@RequestMapping("/api/v1/hosts")
class HostController {

  private final HostService hosts;
  private final EvacuationService evacuations;

  HostController(HostService hosts, EvacuationService evacuations) {
    this.hosts = hosts;
    this.evacuations = evacuations;
  }

  @PostMapping
  ResponseEntity<HostView> create(@Valid @RequestBody HostInput body) {
    ComputeResults.orThrow(hosts.create(body.id(), body.node(), body.capacity()));
    return ResponseEntity.created(URI.create("/api/v1/hosts/" + body.id())).body(view(body.id()));
  }

  @GetMapping
  PageView<HostView> list(@RequestParam(defaultValue = "0") @Min(0) int page,
      @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
    return new PageView<>(hosts.page(page, size).stream().map(this::view).toList(), page, size, hosts.count());
  }

  @GetMapping("/{id}")
  HostView get(@PathVariable String id) {
    return view(id);
  }

  /** Capacity or state ({@code up} after a repair): {@code {capacity?, state?}}. */
  @PutMapping("/{id}")
  HostView update(@PathVariable String id, @Valid @RequestBody HostChange body) {
    ComputeResults.orThrow(hosts.update(id, body.capacity(), body.state()));
    return view(id);
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> delete(@PathVariable String id) {
    ComputeResults.orThrow(hosts.delete(id));
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/{id}/evacuations")
  ResponseEntity<EvacuationView> evacuate(@PathVariable String id,
      @Valid @RequestBody(required = false) EvacuationInput body) {
    StartResult result = evacuations.start(id, body == null ? null : body.reason());
    if (result instanceof StartResult.Started started) {
      return ResponseEntity.accepted().location(location(started.evacuation())).body(started.evacuation());
    }
    if (result instanceof StartResult.AlreadyRunning running) {
      return ResponseEntity.ok().location(location(running.evacuation())).body(running.evacuation());
    }
    throw new ApiException(HttpStatus.NOT_FOUND, ((StartResult.UnknownHost) result).reason());
  }

  private static URI location(EvacuationView evacuation) {
    return URI.create("/api/v1/evacuations/" + evacuation.id());
  }

  private HostView view(String id) {
    return view(hosts.find(id).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND,
        "host '" + id + "' does not exist")));
  }

  private HostView view(Host host) {
    return HostView.of(host, evacuations.activeOf(host.id()).orElse(null));
  }
}
