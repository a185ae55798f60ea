package io.lightsout.evacuation;

import io.lightsout.compute.HostRepository;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;

/** What the domain API asks of evacuations: start one (by starting its process, as the engine REST API would), read. */
@Service
public class EvacuationService {

  private final EvacuationProcessStarter starter;
  private final EvacuationRepository evacuations;
  private final ClaimRepository claims;
  private final HostRepository hosts;

  EvacuationService(EvacuationProcessStarter starter, EvacuationRepository evacuations, ClaimRepository claims,
      HostRepository hosts) {
    this.starter = starter;
    this.evacuations = evacuations;
    this.claims = claims;
    this.hosts = hosts;
  }

  /** A new evacuation, the one already running for the host, or why there is none. */
  public sealed interface StartResult {
    record Started(EvacuationView evacuation) implements StartResult {}
    record AlreadyRunning(EvacuationView evacuation) implements StartResult {}
    record UnknownHost(String reason) implements StartResult {}
  }

  public StartResult start(String hostId, String reason) {
    if (hosts.find(hostId).isEmpty()) {
      return new StartResult.UnknownHost("host '" + hostId + "' does not exist");
    }
    Optional<Evacuation> running = evacuations.activeOfHost(hostId);
    if (running.isPresent()) {
      return new StartResult.AlreadyRunning(view(running.get()));
    }
    OpenOutcome outcome = starter.start(UUID.randomUUID().toString(), hostId, reason).outcome();
    return switch (outcome.kind()) {
      case OPENED -> new StartResult.Started(find(outcome.evacuationId()).orElseThrow());
      case DUPLICATE -> new StartResult.AlreadyRunning(find(outcome.evacuationId()).orElseThrow());
      case REJECTED -> new StartResult.UnknownHost(outcome.detail());
    };
  }

  public Optional<EvacuationView> find(String id) {
    return evacuations.find(id).map(this::view);
  }

  public List<EvacuationView> page(String hostId, String status, int page, int size) {
    return evacuations.page(hostId, status, page, size).stream().map(this::view).toList();
  }

  public long count(String hostId, String status) {
    return evacuations.count(hostId, status);
  }

  /** The running evacuation of the host, if any. */
  public Optional<String> activeOf(String hostId) {
    return evacuations.activeOfHost(hostId).map(Evacuation::id);
  }

  /** The evacuation that owns each of these instances now (instances without an owner are absent). */
  public Map<String, String> ownersOf(List<String> instanceIds) {
    return claims.owners(instanceIds);
  }

  private EvacuationView view(Evacuation evacuation) {
    return EvacuationView.of(evacuation, claims.of(evacuation.id()));
  }
}
