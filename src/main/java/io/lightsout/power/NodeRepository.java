package io.lightsout.power;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightsout.bmc.BmcSettings;
import io.lightsout.bmc.PowerState;
import io.lightsout.bmc.SealedSecret;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** The {@code lo_node} table. The sealed BMC password leaves it only inside {@link BmcSettings}. */
@Repository
public class NodeRepository {

  private static final TypeReference<Map<String, String>> OPTIONS = new TypeReference<>() {};
  private static final String COLUMNS = "id, name, bmc_driver, bmc_host, bmc_port, bmc_username, bmc_options, "
      + "power_state, power_observed_at, hold_kind, hold_reason, hold_since, bmc_error, bmc_error_at, created_at, updated_at";
  /** When the node's BMC was last read, well or not: the power monitor's clock. */
  private static final String LAST_READ = "COALESCE(GREATEST(power_observed_at, bmc_error_at), power_observed_at, bmc_error_at)";

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;
  private final RowMapper<Node> nodeMapper = this::mapNode;

  NodeRepository(JdbcTemplate jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** Everything needed to write a node; {@code password} null keeps the stored one on update. */
  public record NodeRecord(String id, String name, String driver, String host, Integer port, String username,
                           SealedSecret password, Map<String, String> options) {
    /** What the driver needs to reach the BMC, the password still sealed. */
    public BmcSettings settings() {
      return new BmcSettings(driver, host, port, username, password, options);
    }
  }

  public void insert(NodeRecord node, Instant now) {
    jdbc.update("INSERT INTO lo_node (id, name, bmc_driver, bmc_host, bmc_port, bmc_username, bmc_password_sealed, "
            + "bmc_options, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        node.id(), node.name(), node.driver(), node.host(), node.port(), node.username(),
        node.password() == null ? null : node.password().ciphertext(), write(node.options()), Sql.ts(now), Sql.ts(now));
  }

  public void update(NodeRecord node, Instant now) {
    jdbc.update("UPDATE lo_node SET name = ?, bmc_driver = ?, bmc_host = ?, bmc_port = ?, bmc_username = ?, "
            + "bmc_password_sealed = COALESCE(?, bmc_password_sealed), bmc_options = ?, updated_at = ? WHERE id = ?",
        node.name(), node.driver(), node.host(), node.port(), node.username(),
        node.password() == null ? null : node.password().ciphertext(), write(node.options()), Sql.ts(now), node.id());
  }

  /** Whether a compute host names this node as its BMC (then the node cannot be deleted). */
  public boolean isHostNode(String id) {
    return jdbc.queryForObject("SELECT COUNT(*) FROM lo_host WHERE node_id = ?", Integer.class, id) > 0;
  }

  public boolean delete(String id) {
    return jdbc.update("DELETE FROM lo_node WHERE id = ?", id) > 0;
  }

  public Optional<Node> find(String id) {
    return jdbc.query("SELECT " + COLUMNS + " FROM lo_node WHERE id = ?", nodeMapper, id).stream().findFirst();
  }

  /**
   * Locks the node's row until the transaction ends: the one lock that serializes every queue
   * operation of this node across all engine instances.
   */
  public Optional<Node> lock(String id) {
    return jdbc.query("SELECT " + COLUMNS + " FROM lo_node WHERE id = ? FOR UPDATE", nodeMapper, id)
        .stream().findFirst();
  }

  public List<Node> page(int page, int size) {
    return jdbc.query("SELECT " + COLUMNS + " FROM lo_node ORDER BY id LIMIT ? OFFSET ?", nodeMapper,
        size, (long) page * size);
  }

  public long count() {
    return jdbc.queryForObject("SELECT COUNT(*) FROM lo_node", Long.class);
  }

  public long countHeld() {
    return jdbc.queryForObject("SELECT COUNT(*) FROM lo_node WHERE hold_kind IS NOT NULL", Long.class);
  }

  public List<Node> held() {
    return jdbc.query("SELECT " + COLUMNS + " FROM lo_node WHERE hold_kind IS NOT NULL ORDER BY hold_since, id",
        nodeMapper);
  }

  /** Takes the node's next sequence number; call with the row locked. */
  public long takeSequence(String id) {
    Long seq = jdbc.queryForObject("SELECT next_seq FROM lo_node WHERE id = ?", Long.class, id);
    jdbc.update("UPDATE lo_node SET next_seq = next_seq + 1 WHERE id = ?", id);
    return seq;
  }

  public void hold(String id, Hold hold) {
    jdbc.update("UPDATE lo_node SET hold_kind = ?, hold_reason = ?, hold_since = ? WHERE id = ?",
        hold.kind().wireName(), hold.reason(), Sql.ts(hold.since()), id);
  }

  public void clearHold(String id) {
    jdbc.update("UPDATE lo_node SET hold_kind = NULL, hold_reason = NULL, hold_since = NULL WHERE id = ?", id);
  }

  /** A good read: the state and when it was seen; it clears the node's last BMC error. */
  public void recordPowerState(String id, PowerState state, Instant observedAt) {
    jdbc.update("UPDATE lo_node SET power_state = ?, power_observed_at = ?, bmc_error = NULL, bmc_error_at = NULL "
        + "WHERE id = ?", state.wireName(), Sql.ts(observedAt), id);
  }

  /** What the BMC did wrong and when; the last observed power state and its time stay as they were. */
  public void recordBmcError(String id, String message, Instant at) {
    jdbc.update("UPDATE lo_node SET bmc_error = ?, bmc_error_at = ? WHERE id = ?",
        message.length() > 2000 ? message.substring(0, 2000) : message, Sql.ts(at), id);
  }

  /** Ids of nodes whose BMC was last read (well or not) before {@code before}, or never, oldest first. */
  public List<String> observedBefore(Instant before, int limit) {
    return jdbc.queryForList("SELECT id FROM lo_node WHERE " + LAST_READ + " IS NULL OR " + LAST_READ + " < ? "
        + "ORDER BY " + LAST_READ + " NULLS FIRST, id LIMIT ?", String.class, Sql.ts(before), limit);
  }

  /** The BMC settings the driver needs, with the password still sealed. */
  public Optional<BmcSettings> bmcSettings(String id) {
    return jdbc.query("SELECT bmc_driver, bmc_host, bmc_port, bmc_username, bmc_password_sealed, bmc_options "
        + "FROM lo_node WHERE id = ?", (rs, n) -> new BmcSettings(
            rs.getString("bmc_driver"), rs.getString("bmc_host"), Sql.integer(rs, "bmc_port"),
            rs.getString("bmc_username"),
            rs.getString("bmc_password_sealed") == null ? null : SealedSecret.of(rs.getString("bmc_password_sealed")),
            read(rs.getString("bmc_options"))), id).stream().findFirst();
  }

  private Node mapNode(ResultSet rs, int row) throws SQLException {
    String holdKind = rs.getString("hold_kind");
    Hold hold = holdKind == null ? null
        : new Hold(Hold.Kind.fromWire(holdKind), rs.getString("hold_reason"), Sql.instant(rs, "hold_since"));
    String bmcError = rs.getString("bmc_error");
    return new Node(rs.getString("id"), rs.getString("name"), rs.getString("bmc_driver"), rs.getString("bmc_host"),
        Sql.integer(rs, "bmc_port"), rs.getString("bmc_username"), read(rs.getString("bmc_options")),
        PowerState.valueOf(rs.getString("power_state").toUpperCase(Locale.ROOT)),
        Sql.instant(rs, "power_observed_at"), hold,
        bmcError == null ? null : new Node.BmcError(bmcError, Sql.instant(rs, "bmc_error_at")),
        Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
  }

  private String write(Map<String, String> options) {
    try {
      return options == null || options.isEmpty() ? null : json.writeValueAsString(options);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("BMC options are not a JSON object of strings", e);
    }
  }

  private Map<String, String> read(String options) {
    try {
      return options == null ? Map.of() : json.readValue(options, OPTIONS);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored BMC options are not valid JSON", e);
    }
  }
}
