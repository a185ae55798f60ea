package io.lightsout.compute;

import io.lightsout.power.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** The {@code lo_host} table: compute hosts and the BMC node of each. */
@Repository
public class HostRepository {

  private static final String COLUMNS = "id, node_id, capacity, state, created_at, updated_at";

  private final JdbcTemplate jdbc;
  private final RowMapper<Host> mapper = HostRepository::map;

  HostRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  public void insert(Host host) {
    jdbc.update("INSERT INTO lo_host (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)", host.id(), host.nodeId(),
        host.capacity(), host.state(), Sql.ts(host.createdAt()), Sql.ts(host.updatedAt()));
  }

  public Optional<Host> find(String id) {
    return jdbc.query("SELECT " + COLUMNS + " FROM lo_host WHERE id = ?", mapper, id).stream().findFirst();
  }

  /** Locks the host's row until the transaction ends: evacuations of one host are decided one at a time. */
  public Optional<Host> lock(String id) {
    return jdbc.query("SELECT " + COLUMNS + " FROM lo_host WHERE id = ? FOR UPDATE", mapper, id).stream().findFirst();
  }

  /** Hosts that may receive instances, locked in id order so that two evacuations never overfill one. */
  public List<Host> lockTargetsExcept(String hostId) {
    return jdbc.query("SELECT " + COLUMNS + " FROM lo_host WHERE state = 'up' AND id <> ? ORDER BY id FOR UPDATE",
        mapper, hostId);
  }

  public List<Host> page(int page, int size) {
    return jdbc.query("SELECT " + COLUMNS + " FROM lo_host ORDER BY id LIMIT ? OFFSET ?", mapper, size,
        (long) page * size);
  }

  public long count() {
    return jdbc.queryForObject("SELECT COUNT(*) FROM lo_host", Long.class);
  }

  public boolean anyOnNode(String nodeId) {
    return jdbc.queryForObject("SELECT COUNT(*) FROM lo_host WHERE node_id = ?", Integer.class, nodeId) > 0;
  }

  public void setState(String id, String state, Instant at) {
    jdbc.update("UPDATE lo_host SET state = ?, updated_at = ? WHERE id = ?", state, Sql.ts(at), id);
  }

  public void update(String id, int capacity, String state, Instant at) {
    jdbc.update("UPDATE lo_host SET capacity = ?, state = ?, updated_at = ? WHERE id = ?", capacity, state,
        Sql.ts(at), id);
  }

  public boolean delete(String id) {
    return jdbc.update("DELETE FROM lo_host WHERE id = ?", id) > 0;
  }

  private static Host map(ResultSet rs, int row) throws SQLException {
    return new Host(rs.getString("id"), rs.getString("node_id"), rs.getInt("capacity"), rs.getString("state"),
        Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
  }
}
