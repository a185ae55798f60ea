package io.lightsout.compute.inventory;

import io.lightsout.power.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** The {@code lo_instance} table: the inventory driver's record of which instance runs where. */
@Repository
public class InstanceRepository {

  private static final String COLUMNS = "id, host_id, size, state, created_at, updated_at";

  private final JdbcTemplate jdbc;
  private final RowMapper<Instance> mapper = InstanceRepository::map;

  InstanceRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  public void insert(Instance instance) {
    jdbc.update("INSERT INTO lo_instance (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)", instance.id(),
        instance.hostId(), instance.size(), instance.state(), Sql.ts(instance.createdAt()), Sql.ts(instance.updatedAt()));
  }

  public Optional<Instance> find(String id) {
    return jdbc.query("SELECT " + COLUMNS + " FROM lo_instance WHERE id = ?", mapper, id).stream().findFirst();
  }

  public List<Instance> onHost(String hostId) {
    return jdbc.query("SELECT " + COLUMNS + " FROM lo_instance WHERE host_id = ? ORDER BY id", mapper, hostId);
  }

  public List<Instance> page(String hostId, int page, int size) {
    return hostId == null
        ? jdbc.query("SELECT " + COLUMNS + " FROM lo_instance ORDER BY id LIMIT ? OFFSET ?", mapper, size,
            (long) page * size)
        : jdbc.query("SELECT " + COLUMNS + " FROM lo_instance WHERE host_id = ? ORDER BY id LIMIT ? OFFSET ?", mapper,
            hostId, size, (long) page * size);
  }

  public long count(String hostId) {
    return hostId == null ? jdbc.queryForObject("SELECT COUNT(*) FROM lo_instance", Long.class)
        : jdbc.queryForObject("SELECT COUNT(*) FROM lo_instance WHERE host_id = ?", Long.class, hostId);
  }

  /** Capacity taken on each host: the instances placed there (hosts without any are absent). */
  public Map<String, Integer> usedByHost() {
    return jdbc.query("SELECT host_id, SUM(size) AS used FROM lo_instance GROUP BY host_id", (rs, n) ->
        Map.entry(rs.getString("host_id"), rs.getInt("used"))).stream()
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  public void place(String id, String hostId, Instant at) {
    jdbc.update("UPDATE lo_instance SET host_id = ?, state = 'active', updated_at = ? WHERE id = ?", hostId,
        Sql.ts(at), id);
  }

  public boolean delete(String id) {
    return jdbc.update("DELETE FROM lo_instance WHERE id = ?", id) > 0;
  }

  private static Instance map(ResultSet rs, int row) throws SQLException {
    return new Instance(rs.getString("id"), rs.getString("host_id"), rs.getInt("size"), rs.getString("state"),
        Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
  }
}
