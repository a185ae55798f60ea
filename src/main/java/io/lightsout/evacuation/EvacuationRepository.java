package io.lightsout.evacuation;

import io.lightsout.power.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** The {@code lo_evacuation} table. {@code active_host_id} is set while it runs: one per host, by a unique key. */
@Repository
public class EvacuationRepository {

  private static final String COLUMNS = "id, host_id, node_id, status, reason, result, requested_by, requested_at, "
      + "finished_at, fence_request_id, fencing_status, fenced_by, fenced_at, fencing_detail, process_instance_id";

  private final JdbcTemplate jdbc;
  private final RowMapper<Evacuation> mapper = EvacuationRepository::map;

  EvacuationRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  public void insert(Evacuation e) {
    jdbc.update("INSERT INTO lo_evacuation (" + COLUMNS + ", active_host_id) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        e.id(), e.hostId(), e.nodeId(), e.status(), e.reason(), e.result(), e.requestedBy(), Sql.ts(e.requestedAt()),
        Sql.ts(e.finishedAt()), e.fenceRequestId(), e.fencingStatus(), e.fencedBy(), Sql.ts(e.fencedAt()),
        e.fencingDetail(), e.processInstanceId(), e.hostId());
  }

  public Optional<Evacuation> find(String id) {
    return jdbc.query("SELECT " + COLUMNS + " FROM lo_evacuation WHERE id = ?", mapper, id).stream().findFirst();
  }

  /** Locks the evacuation's row: its rebuild slots are handed out one decision at a time. */
  public Evacuation lock(String id) {
    return jdbc.query("SELECT " + COLUMNS + " FROM lo_evacuation WHERE id = ? FOR UPDATE", mapper, id).stream()
        .findFirst().orElseThrow(() -> new IllegalStateException("evacuation " + id + " does not exist"));
  }

  public Optional<Evacuation> activeOfHost(String hostId) {
    return jdbc.query("SELECT " + COLUMNS + " FROM lo_evacuation WHERE active_host_id = ?", mapper, hostId).stream()
        .findFirst();
  }

  public List<Evacuation> page(String hostId, String status, int page, int size) {
    List<Object> args = new ArrayList<>();
    String where = where(hostId, status, args);
    args.add(size);
    args.add((long) page * size);
    return jdbc.query("SELECT " + COLUMNS + " FROM lo_evacuation" + where + " ORDER BY requested_at DESC, id "
        + "LIMIT ? OFFSET ?", mapper, args.toArray());
  }

  public long count(String hostId, String status) {
    List<Object> args = new ArrayList<>();
    return jdbc.queryForObject("SELECT COUNT(*) FROM lo_evacuation" + where(hostId, status, args), Long.class,
        args.toArray());
  }

  private static String where(String hostId, String status, List<Object> args) {
    List<String> conditions = new ArrayList<>();
    if (hostId != null) {
      conditions.add("host_id = ?");
      args.add(hostId);
    }
    if (status != null) {
      conditions.add("status = ?");
      args.add(status);
    }
    return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
  }

  public void bindProcess(String id, String processInstanceId, String fenceRequestId) {
    jdbc.update("UPDATE lo_evacuation SET process_instance_id = ?, fence_request_id = ? WHERE id = ?",
        processInstanceId, fenceRequestId, id);
  }

  public void recordFencing(String id, String fencingStatus, String by, Instant at, String detail) {
    jdbc.update("UPDATE lo_evacuation SET fencing_status = ?, fenced_by = ?, fenced_at = ?, fencing_detail = ? "
        + "WHERE id = ?", fencingStatus, by, Sql.ts(at), detail, id);
  }

  public void setStatus(String id, String status) {
    jdbc.update("UPDATE lo_evacuation SET status = ? WHERE id = ? AND active_host_id IS NOT NULL", status, id);
  }

  public void finish(String id, String status, String result, Instant at) {
    jdbc.update("UPDATE lo_evacuation SET status = ?, result = ?, finished_at = ?, active_host_id = NULL WHERE id = ?",
        status, result, Sql.ts(at), id);
  }

  private static Evacuation map(ResultSet rs, int row) throws SQLException {
    return new Evacuation(rs.getString("id"), rs.getString("host_id"), rs.getString("node_id"), rs.getString("status"),
        rs.getString("reason"), rs.getString("result"), rs.getString("requested_by"), Sql.instant(rs, "requested_at"),
        Sql.instant(rs, "finished_at"), rs.getString("fence_request_id"), rs.getString("fencing_status"),
        rs.getString("fenced_by"), Sql.instant(rs, "fenced_at"), rs.getString("fencing_detail"),
        rs.getString("process_instance_id"));
  }
}
