package io.lightsout.outage;

import io.lightsout.power.Sql;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code lo_review} tables: which reviews are open, for which nodes, and how they were decided. */
@Repository
class ReviewRepository {

  private final JdbcTemplate jdbc;

  ReviewRepository(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  record Review(String id, String kind, String reason, Instant openedAt, Instant closedAt, String processInstanceId) {}

  void insert(String id, String kind, String reason, Instant now, List<String> nodeIds) {
    jdbc.update("INSERT INTO lo_review (id, kind, reason, opened_at) VALUES (?, ?, ?, ?)", id, kind, reason, Sql.ts(now));
    nodeIds.forEach(node -> jdbc.update("INSERT INTO lo_review_node (review_id, node_id) VALUES (?, ?)", id, node));
  }

  void setProcessInstance(String id, String processInstanceId) {
    jdbc.update("UPDATE lo_review SET process_instance_id = ? WHERE id = ?", processInstanceId, id);
  }

  Optional<Review> find(String id) {
    return jdbc.query("SELECT * FROM lo_review WHERE id = ?", (rs, n) -> new Review(rs.getString("id"),
        rs.getString("kind"), rs.getString("reason"), Sql.instant(rs, "opened_at"), Sql.instant(rs, "closed_at"),
        rs.getString("process_instance_id")), id).stream().findFirst();
  }

  List<String> nodesOf(String reviewId) {
    return jdbc.queryForList("SELECT node_id FROM lo_review_node WHERE review_id = ? ORDER BY node_id", String.class,
        reviewId);
  }

  List<String> openReviewsOf(String nodeId) {
    return jdbc.queryForList("SELECT r.id FROM lo_review r JOIN lo_review_node n ON n.review_id = r.id "
        + "WHERE n.node_id = ? AND r.closed_at IS NULL ORDER BY r.opened_at", String.class, nodeId);
  }

  /** Closes an open review; false when it was closed already. */
  boolean close(String id, String by, String decision, Instant now) {
    return jdbc.update("UPDATE lo_review SET closed_at = ?, closed_by = ?, decision = ? WHERE id = ? AND closed_at IS NULL",
        Sql.ts(now), by, decision, id) == 1;
  }

  long countHeldNodesOf(String reviewId) {
    return jdbc.queryForObject("SELECT COUNT(*) FROM lo_review_node rn JOIN lo_node n ON n.id = rn.node_id "
        + "WHERE rn.review_id = ? AND n.hold_kind IS NOT NULL", Long.class, reviewId);
  }
}
