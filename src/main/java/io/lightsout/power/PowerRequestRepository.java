package io.lightsout.power;

import io.lightsout.bmc.PowerAction;
import io.lightsout.bmc.PowerProgress;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** The {@code lo_power_request} table: each node's queue and its history. */
@Repository
public class PowerRequestRepository {

  static final String OPEN = "('queued', 'running', 'held')";
  private static final String COLUMNS = "id, node_id, seq, action, status, reason, result, requested_by, requested_at, "
      + "started_at, finished_at, attempts, merged_into, if_busy, idempotency_key, callback_url, "
      + "process_instance_id, owner_instance, fence_for";
  /** Queue order: an evacuation's fencing 'off' (priority 0) first, then acceptance order. */
  private static final String QUEUE_ORDER = " ORDER BY priority, seq";

  private final JdbcTemplate jdbc;
  private final RowMapper<PowerRequest> mapper = PowerRequestRepository::map;

  PowerRequestRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  public void insert(PowerRequest r) {
    jdbc.update("INSERT INTO lo_power_request (" + COLUMNS + ", priority) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        r.id(), r.nodeId(), r.sequence(), r.action().wireName(), r.status().wireName(), r.reason(), r.result(),
        r.requestedBy(), Sql.ts(r.requestedAt()), Sql.ts(r.startedAt()), Sql.ts(r.finishedAt()), r.attempts(),
        r.mergedInto(), r.ifBusy().wireName(), r.idempotencyKey(), r.callbackUrl(), r.processInstanceId(),
        r.ownerInstance(), r.fenceFor(), r.fence() ? 0 : 1);
  }

  public Optional<PowerRequest> find(String id) {
    return jdbc.query("SELECT " + COLUMNS + " FROM lo_power_request WHERE id = ?", mapper, id).stream().findFirst();
  }

  public Optional<PowerRequest> findByIdempotencyKey(String requestedBy, String key, Instant notBefore) {
    return jdbc.query("SELECT " + COLUMNS + " FROM lo_power_request WHERE requested_by = ? AND idempotency_key = ? "
        + "AND requested_at >= ?", mapper, requestedBy, key, Sql.ts(notBefore)).stream().findFirst();
  }

  /** Frees a key whose 24 hours are over, so the same key may name a new request. */
  public void expireIdempotencyKey(String requestedBy, String key, Instant before) {
    jdbc.update("UPDATE lo_power_request SET idempotency_key = NULL WHERE requested_by = ? AND idempotency_key = ? "
        + "AND requested_at < ?", requestedBy, key, Sql.ts(before));
  }

  /** The node's open requests (running, held, queued) in acceptance order. */
  public List<PowerRequest> openOf(String nodeId) {
    return jdbc.query("SELECT " + COLUMNS + " FROM lo_power_request WHERE node_id = ? AND status IN " + OPEN
        + QUEUE_ORDER, mapper, nodeId);
  }

  public int countOpen(String nodeId) {
    return jdbc.queryForObject("SELECT COUNT(*) FROM lo_power_request WHERE node_id = ? AND status IN " + OPEN,
        Integer.class, nodeId);
  }

  public long countOpenFleetWide() {
    return jdbc.queryForObject("SELECT COUNT(*) FROM lo_power_request WHERE status IN " + OPEN, Long.class);
  }

  /** Nodes with at least one open request. */
  public long countNodesWithOpen() {
    return jdbc.queryForObject("SELECT COUNT(DISTINCT node_id) FROM lo_power_request WHERE status IN " + OPEN, Long.class);
  }

  /** Open requests ahead of this one in its node's queue (the running one included). */
  public int ahead(PowerRequest request) {
    int priority = request.fence() ? 0 : 1;
    return jdbc.queryForObject("SELECT COUNT(*) FROM lo_power_request WHERE node_id = ? AND status IN " + OPEN
        + " AND (priority < ? OR priority = ? AND seq < ?)", Integer.class, request.nodeId(), priority, priority,
        request.sequence());
  }

  /** Nodes with requests accepted before {@code before} that are still open: the queues an outage cut. */
  public List<String> nodesWithOpenRequestsBefore(Instant before) {
    return jdbc.queryForList("SELECT DISTINCT node_id FROM lo_power_request WHERE status IN " + OPEN
        + " AND requested_at < ? ORDER BY node_id", String.class, Sql.ts(before));
  }

  /** Nodes whose running request the given engine instance owns. */
  public List<String> nodesRunningOn(String instanceId) {
    return jdbc.queryForList("SELECT DISTINCT node_id FROM lo_power_request WHERE status = 'running' "
        + "AND owner_instance = ? ORDER BY node_id", String.class, instanceId);
  }

  /** Final requests of the node, newest first. */
  public List<PowerRequest> historyOf(String nodeId, int page, int size) {
    return jdbc.query("SELECT " + COLUMNS + " FROM lo_power_request WHERE node_id = ? AND status NOT IN " + OPEN
        + " ORDER BY seq DESC LIMIT ? OFFSET ?", mapper, nodeId, size, (long) page * size);
  }

  public long countHistoryOf(String nodeId) {
    return jdbc.queryForObject("SELECT COUNT(*) FROM lo_power_request WHERE node_id = ? AND status NOT IN " + OPEN,
        Long.class, nodeId);
  }

  public void markRunning(String id, Instant at, String owner) {
    jdbc.update("UPDATE lo_power_request SET status = 'running', started_at = COALESCE(started_at, ?), "
        + "owner_instance = ?, owner_beat_seen = NULL WHERE id = ?", Sql.ts(at), owner, id);
  }

  /** Requests placed in their queues whose process has not started yet, oldest first. */
  public List<String> unstarted(int limit) {
    return jdbc.queryForList("SELECT id FROM lo_power_request WHERE process_instance_id IS NULL "
        + "ORDER BY requested_at, seq FETCH FIRST " + limit + " ROWS ONLY", String.class);
  }

  public void bindProcessInstance(String id, String processInstanceId) {
    jdbc.update("UPDATE lo_power_request SET process_instance_id = ? WHERE id = ?", processInstanceId, id);
  }

  /** The owner's heartbeat as first seen by an instance that found this request in its hands, if any. */
  public Optional<Instant> ownerBeatSeen(String id) {
    return jdbc.query("SELECT owner_beat_seen FROM lo_power_request WHERE id = ? AND owner_beat_seen IS NOT NULL",
        (rs, n) -> Sql.instant(rs, "owner_beat_seen"), id).stream().findFirst();
  }

  /** Notes the owner's heartbeat unless one is noted already; true when this call noted it. */
  public boolean noteOwnerBeatSeen(String id, Instant lastBeat) {
    return jdbc.update("UPDATE lo_power_request SET owner_beat_seen = ? WHERE id = ? AND owner_beat_seen IS NULL",
        Sql.ts(lastBeat), id) == 1;
  }

  public void setStatus(String id, RequestStatus status, String result) {
    jdbc.update("UPDATE lo_power_request SET status = ?, result = ? WHERE id = ?", status.wireName(), result, id);
  }

  public void finish(String id, RequestStatus status, String result, Instant at) {
    jdbc.update("UPDATE lo_power_request SET status = ?, result = ?, finished_at = ? WHERE id = ?",
        status.wireName(), result, Sql.ts(at), id);
  }

  public void markBmcDone(String id, String result, Instant at) {
    jdbc.update("UPDATE lo_power_request SET bmc_done_at = ?, bmc_result = ? WHERE id = ?", Sql.ts(at), result, id);
  }

  /**
   * What earlier attempts did at the BMC: the target state it confirmed, if any, and what attempts cut by a transient
   * fault had sent; one read.
   */
  public BmcTrail bmcTrail(String id) {
    return jdbc.queryForObject("SELECT bmc_done_at, bmc_result, commands_sent, off_reached, hard_reset_sent "
        + "FROM lo_power_request WHERE id = ?", (rs, n) -> new BmcTrail(
            rs.getTimestamp(1) == null ? Optional.empty() : Optional.ofNullable(rs.getString(2)),
            new PowerProgress(rs.getInt(3), rs.getBoolean(4), rs.getBoolean(5))), id);
  }

  /** {@link #bmcTrail}: the result the BMC confirmed (empty until it did), and the progress of cut attempts. */
  public record BmcTrail(Optional<String> confirmed, PowerProgress progress) {}

  /** Adds what an attempt did at the BMC to what earlier attempts did. */
  public void addProgress(String id, PowerProgress done) {
    jdbc.update("UPDATE lo_power_request SET commands_sent = commands_sent + ?, off_reached = off_reached OR ?, "
        + "hard_reset_sent = hard_reset_sent OR ? WHERE id = ?", done.commandsSent(), done.offReached(),
        done.hardResetSent(), id);
  }

  /**
   * Counts one more attempt at the BMC, made by {@code owner}; returns the attempt number. When the count is still
   * {@code attemptsRead} (as the caller read it), one statement does; otherwise it is read after counting.
   */
  public int countAttempt(String id, String owner, int attemptsRead) {
    String count = "UPDATE lo_power_request SET attempts = attempts + 1, owner_instance = ?, owner_beat_seen = NULL "
        + "WHERE id = ?";
    if (jdbc.update(count + " AND attempts = ?", owner, id, attemptsRead) == 1) {
      return attemptsRead + 1;
    }
    jdbc.update(count, owner, id);
    return jdbc.queryForObject("SELECT attempts FROM lo_power_request WHERE id = ?", Integer.class, id);
  }

  private static PowerRequest map(ResultSet rs, int row) throws SQLException {
    return new PowerRequest(rs.getString("id"), rs.getString("node_id"), rs.getLong("seq"),
        PowerAction.fromWire(rs.getString("action")), RequestStatus.fromWire(rs.getString("status")),
        rs.getString("reason"), rs.getString("result"), rs.getString("requested_by"),
        Sql.instant(rs, "requested_at"), Sql.instant(rs, "started_at"), Sql.instant(rs, "finished_at"),
        rs.getInt("attempts"), rs.getString("merged_into"), IfBusy.fromWire(rs.getString("if_busy")),
        rs.getString("idempotency_key"), rs.getString("callback_url"), rs.getString("process_instance_id"),
        rs.getString("owner_instance"), rs.getString("fence_for"));
  }
}
