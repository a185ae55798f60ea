-- Heartbeats of the engine instances sharing this database (DESIGN §5, outage).
CREATE TABLE lo_engine_instance (
  id               VARCHAR(128) NOT NULL PRIMARY KEY,
  started_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  last_beat        TIMESTAMP WITH TIME ZONE NOT NULL,
  stopped_at       TIMESTAMP WITH TIME ZONE,            -- set by a clean shutdown only
  declared_dead_at TIMESTAMP WITH TIME ZONE,            -- set once, by whoever handled its outage
  declared_dead_by VARCHAR(128)
);

-- Reviews of held queues: one per outage, or one per node whose BMC stopped answering.
CREATE TABLE lo_review (
  id                  VARCHAR(64)   NOT NULL PRIMARY KEY,
  kind                VARCHAR(32)   NOT NULL,            -- outage | bmc-unreachable
  reason              VARCHAR(2000) NOT NULL,
  opened_at           TIMESTAMP WITH TIME ZONE NOT NULL,
  closed_at           TIMESTAMP WITH TIME ZONE,
  closed_by           VARCHAR(128),
  decision            VARCHAR(4000),                     -- what was decided, for people
  process_instance_id VARCHAR(64)
);

CREATE TABLE lo_review_node (
  review_id VARCHAR(64) NOT NULL REFERENCES lo_review (id) ON DELETE CASCADE,
  node_id   VARCHAR(63) NOT NULL,
  PRIMARY KEY (review_id, node_id)
);
