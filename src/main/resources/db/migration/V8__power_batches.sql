-- Batches of power requests (DESIGN §4): one row per batch, one row per item with the answer it got.
-- Each item is committed on its own (its request and power-change instance in one transaction, as a
-- single request would be); the item row records the answer. A batch cut short by a crash is finished
-- by replaying it with the same Idempotency-Key: the items already accepted come back, the rest are
-- submitted then.

CREATE TABLE lo_power_batch (
  id              VARCHAR(36)   NOT NULL PRIMARY KEY,
  requested_by    VARCHAR(128)  NOT NULL,
  requested_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  item_count      INTEGER       NOT NULL,
  idempotency_key VARCHAR(200),
  body_hash       VARCHAR(64)   NOT NULL,   -- SHA-256 of the items, to refuse the same key with another body
  CONSTRAINT uq_power_batch_idempotency UNIQUE (requested_by, idempotency_key)
);

CREATE TABLE lo_power_batch_item (
  batch_id    VARCHAR(36)   NOT NULL REFERENCES lo_power_batch (id) ON DELETE CASCADE,
  item_index  INTEGER       NOT NULL,
  http_status INTEGER       NOT NULL,   -- 202 accepted or merged, else the item's problem status
  request_id  VARCHAR(36),              -- the request it became, when accepted
  problem     VARCHAR(2000),            -- why it was refused, when refused
  retry_after BIGINT,                   -- seconds, with a 503
  PRIMARY KEY (batch_id, item_index)
);
