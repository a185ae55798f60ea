package io.lightsout.power.batch;

import io.lightsout.power.Sql;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** The {@code lo_power_batch} and {@code lo_power_batch_item} tables. */
@Repository
class PowerBatchRepository {

  private static final String COLUMNS = "id, requested_by, requested_at, item_count, idempotency_key, body_hash";
  private static final RowMapper<PowerBatch> BATCH = (rs, n) -> new PowerBatch(rs.getString("id"),
      rs.getString("requested_by"), Sql.instant(rs, "requested_at"), rs.getInt("item_count"),
      rs.getString("idempotency_key"), rs.getString("body_hash"));

  /** An item's stored answer; the request view is read when the answer is shown. */
  record StoredAnswer(int index, int status, String requestId, String problem, Long retryAfter) {}

  private static final RowMapper<StoredAnswer> ANSWER = (rs, n) -> {
    long retryAfter = rs.getLong("retry_after");
    return new StoredAnswer(rs.getInt("item_index"), rs.getInt("http_status"), rs.getString("request_id"),
        rs.getString("problem"), rs.wasNull() ? null : retryAfter);
  };

  private final JdbcTemplate jdbc;

  PowerBatchRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  void insert(PowerBatch b) {
    jdbc.update("INSERT INTO lo_power_batch (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)", b.id(), b.requestedBy(),
        Sql.ts(b.requestedAt()), b.itemCount(), b.idempotencyKey(), b.bodyHash());
  }

  Optional<PowerBatch> find(String id) {
    return jdbc.query("SELECT " + COLUMNS + " FROM lo_power_batch WHERE id = ?", BATCH, id).stream().findFirst();
  }

  Optional<PowerBatch> findByIdempotencyKey(String requestedBy, String key, Instant notBefore) {
    return jdbc.query("SELECT " + COLUMNS + " FROM lo_power_batch WHERE requested_by = ? AND idempotency_key = ? "
        + "AND requested_at >= ?", BATCH, requestedBy, key, Sql.ts(notBefore)).stream().findFirst();
  }

  /** Frees a key whose 24 hours are over, so the same key may name a new batch. */
  void expireIdempotencyKey(String requestedBy, String key, Instant before) {
    jdbc.update("UPDATE lo_power_batch SET idempotency_key = NULL WHERE requested_by = ? AND idempotency_key = ? "
        + "AND requested_at < ?", requestedBy, key, Sql.ts(before));
  }

  void insertAnswers(String batchId, List<StoredAnswer> answers) {
    jdbc.batchUpdate("INSERT INTO lo_power_batch_item (batch_id, item_index, http_status, request_id, problem, "
        + "retry_after) VALUES (?, ?, ?, ?, ?, ?)", answers, answers.size(), (ps, a) -> {
          ps.setString(1, batchId);
          ps.setInt(2, a.index());
          ps.setInt(3, a.status());
          ps.setString(4, a.requestId());
          ps.setString(5, a.problem());
          ps.setObject(6, a.retryAfter());
        });
  }

  List<StoredAnswer> answers(String batchId, int offset, int limit) {
    return jdbc.query("SELECT item_index, http_status, request_id, problem, retry_after FROM lo_power_batch_item "
        + "WHERE batch_id = ? ORDER BY item_index LIMIT ? OFFSET ?", ANSWER, batchId, limit, offset);
  }

  /**
   * Items by the current status of their request as the API shows it (a queued request of a held node
   * reads {@code held}, see PowerRequestViews); refused items count as {@code rejected}.
   */
  Map<String, Long> countsByStatus(String batchId) {
    Map<String, Long> counts = new LinkedHashMap<>();
    // grouped over a derived table: H2 (the embedded default) refuses GROUP BY on an expression's position
    jdbc.query("SELECT s, COUNT(*) AS n FROM (SELECT CASE WHEN i.request_id IS NULL THEN 'rejected' "
        + "WHEN r.id IS NULL THEN 'deleted' "
        + "WHEN r.status = 'queued' AND n.hold_kind IS NOT NULL AND r.fence_for IS NULL THEN 'held' "
        + "ELSE r.status END AS s FROM lo_power_batch_item i "
        + "LEFT JOIN lo_power_request r ON r.id = i.request_id LEFT JOIN lo_node n ON n.id = r.node_id "
        + "WHERE i.batch_id = ?) items GROUP BY s ORDER BY s", rs -> {
          counts.put(rs.getString("s"), rs.getLong("n"));
        }, batchId);
    return counts;
  }
}
