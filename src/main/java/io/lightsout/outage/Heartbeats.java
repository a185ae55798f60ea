package io.lightsout.outage;

import io.lightsout.power.OwnerHeartbeats;
import io.lightsout.power.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code lo_engine_instance} table: who runs, since when, last seen, stopped cleanly or not. */
@Repository
class Heartbeats implements OwnerHeartbeats {

  private final JdbcTemplate jdbc;

  Heartbeats(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  record InstanceRecord(String id, Instant startedAt, Instant lastBeat, Instant stoppedAt, Instant declaredDeadAt) {
    boolean stoppedCleanly() {
      return stoppedAt != null;
    }
  }

  /** This instance starts: returns what the table held for the same id before (its previous life), if anything. */
  Optional<InstanceRecord> register(String id, Instant now) {
    Optional<InstanceRecord> before = find(id);
    if (before.isPresent()) {
      jdbc.update("UPDATE lo_engine_instance SET started_at = ?, last_beat = ?, stopped_at = NULL, "
          + "declared_dead_at = NULL, declared_dead_by = NULL WHERE id = ?", Sql.ts(now), Sql.ts(now), id);
    } else {
      jdbc.update("INSERT INTO lo_engine_instance (id, started_at, last_beat) VALUES (?, ?, ?)", id, Sql.ts(now), Sql.ts(now));
    }
    return before;
  }

  void beat(String id, Instant now) {
    jdbc.update("UPDATE lo_engine_instance SET last_beat = ? WHERE id = ?", Sql.ts(now), id);
  }

  void stoppedCleanly(String id, Instant now) {
    jdbc.update("UPDATE lo_engine_instance SET last_beat = ?, stopped_at = ? WHERE id = ?", Sql.ts(now), Sql.ts(now), id);
  }

  Optional<InstanceRecord> find(String id) {
    return jdbc.query("SELECT * FROM lo_engine_instance WHERE id = ?", Heartbeats::map, id).stream().findFirst();
  }

  @Override
  public Optional<Beat> of(String instanceId) {
    return find(instanceId).map(r -> new Beat(r.lastBeat(), r.stoppedCleanly(), r.declaredDeadAt() != null));
  }

  /** Peers that neither stopped cleanly nor beat since {@code expiredBefore}, and whose outage nobody handled yet. */
  List<InstanceRecord> expired(Instant expiredBefore, String except) {
    return jdbc.query("SELECT * FROM lo_engine_instance WHERE stopped_at IS NULL AND declared_dead_at IS NULL "
        + "AND last_beat < ? AND id <> ?", Heartbeats::map, Sql.ts(expiredBefore), except);
  }

  /** Peers with a fresh heartbeat: alive now. */
  long alivePeers(Instant freshAfter, String except) {
    return jdbc.queryForObject("SELECT COUNT(*) FROM lo_engine_instance WHERE stopped_at IS NULL "
        + "AND declared_dead_at IS NULL AND last_beat >= ? AND id <> ?", Long.class, Sql.ts(freshAfter), except);
  }

  /** Claims the handling of a dead peer's outage; exactly one instance wins. */
  boolean declareDead(String id, String by, Instant now) {
    return jdbc.update("UPDATE lo_engine_instance SET declared_dead_at = ?, declared_dead_by = ? "
        + "WHERE id = ? AND declared_dead_at IS NULL AND stopped_at IS NULL", Sql.ts(now), by, id) == 1;
  }

  private static InstanceRecord map(ResultSet rs, int row) throws SQLException {
    return new InstanceRecord(rs.getString("id"), Sql.instant(rs, "started_at"), Sql.instant(rs, "last_beat"),
        Sql.instant(rs, "stopped_at"), Sql.instant(rs, "declared_dead_at"));
  }

}
