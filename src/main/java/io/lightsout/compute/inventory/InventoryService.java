package io.lightsout.compute.inventory;

import io.lightsout.compute.HostRepository;
import io.lightsout.compute.HostService.Change;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Instances of the inventory driver: registered on a host with a size; deleted unless an evacuation owns them. */
@Service
public class InventoryService {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  private final InstanceRepository instances;
  private final HostRepository hosts;
  private final JdbcTemplate jdbc;
  private final Clock clock;

  InventoryService(InstanceRepository instances, HostRepository hosts, JdbcTemplate jdbc, Clock clock) {
    this.instances = instances;
    this.hosts = hosts;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Transactional
  public Change create(String id, String hostId, Integer size) {
    if (id == null || !ID.matcher(id).matches()) {
      return new Change.Refused(Change.Kind.INVALID, "instance id must match [A-Za-z0-9][A-Za-z0-9._-]{0,62}, not '"
          + id + "'");
    }
    int units = size == null ? 1 : size;
    if (units < 1 || units > 1_000_000) {
      return new Change.Refused(Change.Kind.INVALID, "size must be a number from 1 to 1000000");
    }
    if (hostId == null || hosts.lock(hostId).isEmpty()) {
      return new Change.Refused(Change.Kind.INVALID, "host '" + hostId + "' does not exist");
    }
    if (instances.find(id).isPresent()) {
      return new Change.Refused(Change.Kind.CONFLICT, "instance '" + id + "' already exists");
    }
    Instant now = clock.instant();
    instances.insert(new Instance(id, hostId, units, Instance.ACTIVE, now, now));
    return new Change.Done();
  }

  @Transactional
  public Change delete(String id) {
    if (instances.find(id).isEmpty()) {
      return new Change.Refused(Change.Kind.NOT_FOUND, "instance '" + id + "' does not exist");
    }
    List<String> owner = jdbc.queryForList("SELECT evacuation_id FROM lo_evacuation_instance "
        + "WHERE active_instance_id = ?", String.class, id);
    if (!owner.isEmpty()) {
      return new Change.Refused(Change.Kind.CONFLICT, "instance '" + id + "' is being evacuated by " + owner.get(0));
    }
    instances.delete(id);
    return new Change.Done();
  }

  public Optional<Instance> find(String id) {
    return instances.find(id);
  }

  public List<Instance> page(String hostId, int page, int size) {
    return instances.page(hostId, page, size);
  }

  public long count(String hostId) {
    return instances.count(hostId);
  }
}
