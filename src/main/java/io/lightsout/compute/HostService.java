package io.lightsout.compute;

import io.lightsout.power.NodeRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Compute hosts: each names its BMC node (what fencing powers off) and the capacity it offers. */
@Service
public class HostService {

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private final HostRepository hosts;
  private final NodeRepository nodes;
  private final JdbcTemplate jdbc;
  private final Clock clock;

  HostService(HostRepository hosts, NodeRepository nodes, JdbcTemplate jdbc, Clock clock) {
    this.hosts = hosts;
    this.nodes = nodes;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Created, or why not: the reason is for people. */
  public sealed interface Change {
    record Done() implements Change {}
    record Refused(Kind kind, String reason) implements Change {}

    enum Kind { INVALID, NOT_FOUND, CONFLICT }
  }

  @Transactional
  public Change create(String id, String nodeId, Integer capacity) {
    if (id == null || !ID.matcher(id).matches()) {
      return new Change.Refused(Change.Kind.INVALID, "host id must match [a-z0-9][a-z0-9-]{0,62}, not '" + id + "'");
    }
    if (capacity == null || capacity < 0 || capacity > 1_000_000) {
      return new Change.Refused(Change.Kind.INVALID, "capacity must be a number from 0 to 1000000");
    }
    if (nodeId == null || nodes.lock(nodeId).isEmpty()) {
      return new Change.Refused(Change.Kind.INVALID, "node '" + nodeId + "' does not exist: register the host's BMC "
          + "node first (POST /api/v1/nodes)");
    }
    if (hosts.find(id).isPresent()) {
      return new Change.Refused(Change.Kind.CONFLICT, "host '" + id + "' already exists");
    }
    Instant now = clock.instant();
    hosts.insert(new Host(id, nodeId, capacity, Host.UP, now, now));
    return new Change.Done();
  }

  /**
   * Changes a host's capacity or state ({@code up} after a repair, {@code down} to keep rebuilt instances away);
   * refused while it is being evacuated.
   */
  @Transactional
  public Change update(String id, Integer capacity, String state) {
    Optional<Host> host = hosts.lock(id);
    if (host.isEmpty()) {
      return new Change.Refused(Change.Kind.NOT_FOUND, "host '" + id + "' does not exist");
    }
    if (capacity != null && (capacity < 0 || capacity > 1_000_000)) {
      return new Change.Refused(Change.Kind.INVALID, "capacity must be a number from 0 to 1000000");
    }
    if (state != null && !state.equals(Host.UP) && !state.equals(Host.DOWN)) {
      return new Change.Refused(Change.Kind.INVALID, "state must be 'up' or 'down', not '" + state + "'");
    }
    if (beingEvacuated(id)) {
      return new Change.Refused(Change.Kind.CONFLICT, "host '" + id + "' is being evacuated");
    }
    hosts.update(id, capacity == null ? host.get().capacity() : capacity, state == null ? host.get().state() : state,
        clock.instant());
    return new Change.Done();
  }

  /** Deletes a host that has no instances and no evacuation under way. */
  @Transactional
  public Change delete(String id) {
    if (hosts.lock(id).isEmpty()) {
      return new Change.Refused(Change.Kind.NOT_FOUND, "host '" + id + "' does not exist");
    }
    int instances = jdbc.queryForObject("SELECT COUNT(*) FROM lo_instance WHERE host_id = ?", Integer.class, id);
    if (instances > 0) {
      return new Change.Refused(Change.Kind.CONFLICT, "host '" + id + "' still has " + instances
          + " instance(s): delete or evacuate them first");
    }
    if (beingEvacuated(id)) {
      return new Change.Refused(Change.Kind.CONFLICT, "host '" + id + "' is being evacuated");
    }
    hosts.delete(id);
    return new Change.Done();
  }

  private boolean beingEvacuated(String id) {
    return jdbc.queryForObject("SELECT COUNT(*) FROM lo_evacuation WHERE active_host_id = ?", Integer.class, id) > 0;
  }

  public Optional<Host> find(String id) {
    return hosts.find(id);
  }

  public List<Host> page(int page, int size) {
    return hosts.page(page, size);
  }

  public long count() {
    return hosts.count();
  }
}
