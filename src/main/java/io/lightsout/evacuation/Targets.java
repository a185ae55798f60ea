package io.lightsout.evacuation;

import io.lightsout.compute.ComputeDriver;
import io.lightsout.compute.Host;
import io.lightsout.compute.HostRepository;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Picks target hosts with free capacity for a driver that leaves the choice to Lights-Out. The candidate
 * hosts' rows stay locked until the claiming transaction ends, so two evacuations never overfill one host.
 * Spreads the load: each instance goes to the host with the most free capacity that fits it.
 */
@Component
class Targets {

  private final HostRepository hosts;
  private final ClaimRepository claims;

  Targets(HostRepository hosts, ClaimRepository claims) {
    this.hosts = hosts;
    this.claims = claims;
  }

  /** Free capacity of each host that may receive instances, with those hosts locked. */
  Plan plan(ComputeDriver driver, String failedHost, Set<String> excluded) {
    List<Host> candidates = hosts.lockTargetsExcept(failedHost);
    Map<String, Integer> inUse = driver.capacityInUse();
    Map<String, Integer> reserved = claims.reservedByTarget();
    Map<String, Integer> free = new HashMap<>();
    for (Host host : candidates) {
      if (!excluded.contains(host.id())) {
        free.put(host.id(), host.capacity() - inUse.getOrDefault(host.id(), 0) - reserved.getOrDefault(host.id(), 0));
      }
    }
    return new Plan(free);
  }

  /** Free capacity per host, taken as targets are chosen. */
  static final class Plan {

    private final Map<String, Integer> free;

    private Plan(Map<String, Integer> free) {
      this.free = free;
    }

    Optional<String> take(int size) {
      Optional<String> best = free.entrySet().stream().filter(e -> e.getValue() >= size)
          .max(Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue)
              .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
          .map(Map.Entry::getKey);
      best.ifPresent(host -> free.merge(host, -size, Integer::sum));
      return best;
    }

    int totalFree() {
      return free.values().stream().mapToInt(v -> Math.max(v, 0)).sum();
    }
  }
}
