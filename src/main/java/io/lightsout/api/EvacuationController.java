package io.lightsout.api;

import io.lightsout.evacuation.EvacuationService;
import io.lightsout.evacuation.EvacuationView;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Evacuations: status, how the host was fenced, and each instance's state. Started at {@code /hosts/{id}/evacuations}. */
@RestController
@Validated
@RequestMapping("/api/v1/evacuations")
class EvacuationController {

  private final EvacuationService evacuations;

  EvacuationController(EvacuationService evacuations) {
    this.evacuations = evacuations;
  }

  @GetMapping("/{id}")
  EvacuationView get(@PathVariable String id) {
    return evacuations.find(id).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND,
        "evacuation '" + id + "' does not exist"));
  }

  @GetMapping
  PageView<EvacuationView> list(@RequestParam(required = false) @Size(max = 63) String host,
      @RequestParam(required = false) @Pattern(regexp = "running|waiting-for-operator|succeeded|failed",
          message = "must be one of running, waiting-for-operator, succeeded, failed") String status,
      @RequestParam(defaultValue = "0") @Min(0) int page,
      @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
    return new PageView<>(evacuations.page(host, status, page, size), page, size, evacuations.count(host, status));
  }
}
