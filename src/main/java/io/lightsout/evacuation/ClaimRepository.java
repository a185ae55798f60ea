package io.lightsout.evacuation;

import io.lightsout.power.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * The {@code lo_evacuation_instance} table: which evacuation owns which instance. {@code active_instance_id}
 * is set while the claim is open, under a unique key: an instance has at most one owner, across every
 * evacuation and every engine instance.
 */
@Repository
public class ClaimRepository {

  static final String OPEN = "('pending', 'rebuilding', 'waiting-for-operator')";
  private static final String COLUMNS = "evacuation_id, instance_id, from_host, size, target_host, target_round, state, "
      + "in_slot, attempts, last_error, placed_on, claimed_at, rebuild_started_at, finished_at";

  private final JdbcTemplate jdbc;
  private final RowMapper<Claim> mapper = ClaimRepository::map;

  ClaimRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Claims the instance for the evacuation with its target; false when another evacuation owns it already.
   * Run it in a transaction of its own or last in one: a refused insert aborts a PostgreSQL transaction.
   */
  public boolean claim(Claim c) {
    if (ownerOf(c.instanceId()).isPresent()) {
      return false;
    }
    try {
      jdbc.update("INSERT INTO lo_evacuation_instance (" + COLUMNS + ", active_instance_id) "
              + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", c.evacuationId(), c.instanceId(), c.fromHost(),
          c.size(), c.targetHost(), c.targetRound(), c.state(), c.inSlot(), c.attempts(), c.lastError(), c.placedOn(),
          Sql.ts(c.claimedAt()), Sql.ts(c.rebuildStartedAt()), Sql.ts(c.finishedAt()), c.instanceId());
      return true;
    } catch (DuplicateKeyException e) {
      return false;
    }
  }

  /** Records an instance that another evacuation owns: reported, not touched. */
  public void recordSkipped(Claim c) {
    jdbc.update("INSERT INTO lo_evacuation_instance (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        c.evacuationId(), c.instanceId(), c.fromHost(), c.size(), null, 1, Claim.SKIPPED, false, 0, c.lastError(),
        null, Sql.ts(c.claimedAt()), null, Sql.ts(c.claimedAt()));
  }

  /** The evacuation that owns the instance now, if any. */
  public Optional<String> ownerOf(String instanceId) {
    return jdbc.queryForList("SELECT evacuation_id FROM lo_evacuation_instance WHERE active_instance_id = ?",
        String.class, instanceId).stream().findFirst();
  }

  public Map<String, String> owners(List<String> instanceIds) {
    if (instanceIds.isEmpty()) {
      return Map.of();
    }
    String marks = instanceIds.stream().map(i -> "?").collect(Collectors.joining(", "));
    return jdbc.query("SELECT instance_id, evacuation_id FROM lo_evacuation_instance WHERE active_instance_id IN ("
        + marks + ")", (rs, n) -> Map.entry(rs.getString(1), rs.getString(2)), instanceIds.toArray()).stream()
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  public Claim find(String evacuationId, String instanceId) {
    return jdbc.query("SELECT " + COLUMNS + " FROM lo_evacuation_instance WHERE evacuation_id = ? AND instance_id = ?",
        mapper, evacuationId, instanceId).stream().findFirst().orElseThrow(() -> new IllegalStateException(
            "evacuation " + evacuationId + " has no claim on instance " + instanceId));
  }

  public List<Claim> of(String evacuationId) {
    return jdbc.query("SELECT " + COLUMNS + " FROM lo_evacuation_instance WHERE evacuation_id = ? "
        + "ORDER BY claimed_at, instance_id", mapper, evacuationId);
  }

  /** The instances this evacuation owns, in claim order: one multi-instance token each. */
  public List<String> ownedBy(String evacuationId) {
    return jdbc.queryForList("SELECT instance_id FROM lo_evacuation_instance WHERE evacuation_id = ? "
        + "AND state <> 'skipped' ORDER BY claimed_at, instance_id", String.class, evacuationId);
  }

  /** Capacity reserved on each host by open claims whose instance is not there yet. */
  public Map<String, Integer> reservedByTarget() {
    return jdbc.query("SELECT target_host, SUM(size) AS reserved FROM lo_evacuation_instance WHERE state IN " + OPEN
        + " AND target_host IS NOT NULL GROUP BY target_host", (rs, n) -> Map.entry(rs.getString(1), rs.getInt(2)))
        .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  public int countInSlot(String evacuationId) {
    return jdbc.queryForObject("SELECT COUNT(*) FROM lo_evacuation_instance WHERE evacuation_id = ? AND in_slot = TRUE",
        Integer.class, evacuationId);
  }

  /** The longest-waiting pending claim without a slot. */
  public Optional<String> nextWaiting(String evacuationId) {
    return jdbc.queryForList("SELECT instance_id FROM lo_evacuation_instance WHERE evacuation_id = ? "
        + "AND state = 'pending' AND in_slot = FALSE ORDER BY claimed_at, instance_id LIMIT 1", String.class,
        evacuationId).stream().findFirst();
  }

  /** Gives the instance a slot; returns the execution that waits for it, if one does. */
  public Optional<String> takeSlot(String evacuationId, String instanceId) {
    Optional<String> waiting = jdbc.queryForList("SELECT waiting_execution FROM lo_evacuation_instance "
        + "WHERE evacuation_id = ? AND instance_id = ? AND waiting_execution IS NOT NULL", String.class, evacuationId,
        instanceId).stream().findFirst();
    jdbc.update("UPDATE lo_evacuation_instance SET in_slot = TRUE, waiting_execution = NULL "
        + "WHERE evacuation_id = ? AND instance_id = ?", evacuationId, instanceId);
    return waiting;
  }

  /** Records which process execution waits for a slot for this instance: a freed slot wakes exactly that one. */
  public void noteWaiting(String evacuationId, String instanceId, String executionId) {
    jdbc.update("UPDATE lo_evacuation_instance SET waiting_execution = ? WHERE evacuation_id = ? AND instance_id = ?",
        executionId, evacuationId, instanceId);
  }

  public void setState(String evacuationId, String instanceId, String state, boolean inSlot) {
    jdbc.update("UPDATE lo_evacuation_instance SET state = ?, in_slot = ? WHERE evacuation_id = ? AND instance_id = ?",
        state, inSlot, evacuationId, instanceId);
  }

  public void startRebuild(String evacuationId, String instanceId, Instant at) {
    jdbc.update("UPDATE lo_evacuation_instance SET rebuild_started_at = COALESCE(rebuild_started_at, ?) "
        + "WHERE evacuation_id = ? AND instance_id = ?", Sql.ts(at), evacuationId, instanceId);
  }

  public int countAttempt(String evacuationId, String instanceId) {
    jdbc.update("UPDATE lo_evacuation_instance SET attempts = attempts + 1 WHERE evacuation_id = ? AND instance_id = ?",
        evacuationId, instanceId);
    return find(evacuationId, instanceId).attempts();
  }

  /** The instance's last error, cut to the column's 2,000 characters (an operator's prefix may lengthen it). */
  public void recordError(String evacuationId, String instanceId, String error) {
    String fitting = error.length() > 2000 ? error.substring(0, 1990) + " ..." : error;
    jdbc.update("UPDATE lo_evacuation_instance SET last_error = ? WHERE evacuation_id = ? AND instance_id = ?",
        fitting, evacuationId, instanceId);
  }

  /** A new target chosen by an operator: a new round, so the compute service sees a new idempotency key. */
  public void retarget(String evacuationId, String instanceId, String target) {
    jdbc.update("UPDATE lo_evacuation_instance SET target_host = ?, target_round = target_round + 1, "
        + "rebuild_started_at = NULL, attempts = 0 WHERE evacuation_id = ? AND instance_id = ?", target, evacuationId,
        instanceId);
  }

  public void retry(String evacuationId, String instanceId) {
    jdbc.update("UPDATE lo_evacuation_instance SET state = 'pending', in_slot = FALSE, attempts = 0, "
        + "rebuild_started_at = NULL WHERE evacuation_id = ? AND instance_id = ?", evacuationId, instanceId);
  }

  public void notePlacement(String evacuationId, String instanceId, String hostId) {
    jdbc.update("UPDATE lo_evacuation_instance SET placed_on = ? WHERE evacuation_id = ? AND instance_id = ?", hostId,
        evacuationId, instanceId);
  }

  /** Ends the claim: placed or given up. The instance has no owner afterwards. */
  public void close(String evacuationId, String instanceId, String state, String placedOn, Instant at) {
    jdbc.update("UPDATE lo_evacuation_instance SET state = ?, placed_on = ?, in_slot = FALSE, finished_at = ?, "
        + "active_instance_id = NULL WHERE evacuation_id = ? AND instance_id = ?", state, placedOn, Sql.ts(at),
        evacuationId, instanceId);
  }

  public int countIn(String evacuationId, String state) {
    return jdbc.queryForObject("SELECT COUNT(*) FROM lo_evacuation_instance WHERE evacuation_id = ? AND state = ?",
        Integer.class, evacuationId, state);
  }

  private static Claim map(ResultSet rs, int row) throws SQLException {
    return new Claim(rs.getString("evacuation_id"), rs.getString("instance_id"), rs.getString("from_host"),
        rs.getInt("size"), rs.getString("target_host"), rs.getInt("target_round"), rs.getString("state"),
        rs.getBoolean("in_slot"), rs.getInt("attempts"), rs.getString("last_error"), rs.getString("placed_on"),
        Sql.instant(rs, "claimed_at"), Sql.instant(rs, "rebuild_started_at"), Sql.instant(rs, "finished_at"));
  }
}
