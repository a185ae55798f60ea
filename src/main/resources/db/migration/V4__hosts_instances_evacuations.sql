-- Evacuation (DESIGN §9): compute hosts and their instances (the inventory driver's own records),
-- evacuations, and each evacuation's claims. Uniqueness that must hold only while something is
-- active uses a column that is NULL otherwise (UNIQUE allows many NULLs on PostgreSQL and H2 alike).

-- A fencing 'off' goes ahead of the node's queued requests: priority 0 runs before 1.
ALTER TABLE lo_power_request ADD COLUMN priority SMALLINT NOT NULL DEFAULT 1;
ALTER TABLE lo_power_request ADD COLUMN fence_for VARCHAR(36);   -- the evacuation this 'off' fences for

CREATE TABLE lo_host (
  id          VARCHAR(63)  NOT NULL PRIMARY KEY,
  node_id     VARCHAR(63)  NOT NULL REFERENCES lo_node (id),
  capacity    INTEGER      NOT NULL,
  state       VARCHAR(16)  NOT NULL DEFAULT 'up',   -- up | evacuating | down
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE lo_instance (
  id          VARCHAR(63)  NOT NULL PRIMARY KEY,
  host_id     VARCHAR(63)  NOT NULL REFERENCES lo_host (id),
  size        INTEGER      NOT NULL DEFAULT 1,
  state       VARCHAR(16)  NOT NULL DEFAULT 'active',
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX ix_instance_host ON lo_instance (host_id);

CREATE TABLE lo_evacuation (
  id                  VARCHAR(36)   NOT NULL PRIMARY KEY,
  host_id             VARCHAR(63)   NOT NULL,
  node_id             VARCHAR(63)   NOT NULL,
  active_host_id      VARCHAR(63)   UNIQUE,            -- = host_id while running or waiting: one per host
  status              VARCHAR(24)   NOT NULL,          -- running | waiting-for-operator | succeeded | failed
  reason              VARCHAR(1000),                   -- why it was asked for
  result              VARCHAR(2000),                   -- how it ended, for people
  requested_by        VARCHAR(128)  NOT NULL,
  requested_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  finished_at         TIMESTAMP WITH TIME ZONE,
  fence_request_id    VARCHAR(36),
  fencing_status      VARCHAR(24)   NOT NULL DEFAULT 'pending', -- pending | confirmed | unconfirmed | aborted
  fenced_by           VARCHAR(128),                    -- 'bmc' or the operator who confirmed
  fenced_at           TIMESTAMP WITH TIME ZONE,
  fencing_detail      VARCHAR(2000),
  process_instance_id VARCHAR(64)
);

CREATE INDEX ix_evacuation_host ON lo_evacuation (host_id, requested_at);

CREATE TABLE lo_evacuation_instance (
  evacuation_id       VARCHAR(36)   NOT NULL REFERENCES lo_evacuation (id) ON DELETE CASCADE,
  instance_id         VARCHAR(255)  NOT NULL,
  active_instance_id  VARCHAR(255)  UNIQUE,            -- = instance_id while this evacuation owns it
  from_host           VARCHAR(63)   NOT NULL,
  size                INTEGER       NOT NULL,
  target_host         VARCHAR(63),                     -- chosen once, at the claim; null: the compute service picks
  target_round        INTEGER       NOT NULL DEFAULT 1,-- 2, 3... when an operator asked for another host
  state               VARCHAR(24)   NOT NULL,          -- pending | rebuilding | placed | waiting-for-operator | given-up | skipped
  in_slot             BOOLEAN       NOT NULL DEFAULT FALSE,
  waiting_execution   VARCHAR(64),                     -- the process execution waiting for a slot, if any
  attempts            INTEGER       NOT NULL DEFAULT 0,
  last_error          VARCHAR(2000),
  placed_on           VARCHAR(255),
  claimed_at          TIMESTAMP WITH TIME ZONE NOT NULL,
  rebuild_started_at  TIMESTAMP WITH TIME ZONE,
  finished_at         TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (evacuation_id, instance_id)
);

CREATE INDEX ix_evacuation_instance_target ON lo_evacuation_instance (target_host, state);
