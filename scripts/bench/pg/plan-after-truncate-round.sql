-- One round of plan-after-truncate.sql; :storage is the child table's storage clause.
CREATE TABLE plan_repro_child (id text PRIMARY KEY, parent text) :storage;
CREATE INDEX ON plan_repro_child (parent);
INSERT INTO plan_repro_child SELECT 'c' || g, 'p' || g FROM generate_series(1, 20000) g;
DELETE FROM plan_repro_child;
VACUUM ANALYZE plan_repro_child;
SELECT relpages AS pages_after_vacuum FROM pg_class WHERE relname = 'plan_repro_child';
PREPARE check_child(text) AS SELECT 1 FROM ONLY plan_repro_child x WHERE parent = $1 FOR KEY SHARE OF x;
EXECUTE check_child('p1');
-- the queues fill again; the connection keeps the plan it made on the empty table
INSERT INTO plan_repro_child SELECT 'd' || g, 'p' || g FROM generate_series(1, 20000) g;
EXPLAIN (ANALYZE, COSTS OFF) EXECUTE check_child('p1');
DEALLOCATE check_child;
DROP TABLE plan_repro_child;
