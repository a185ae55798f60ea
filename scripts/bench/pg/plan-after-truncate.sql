-- Why RuntimeTableStorage sets vacuum_truncate = false (BENCHMARKS.md, "VACUUM's truncation and cached plans").
-- Run against any scratch database: psql -h 127.0.0.1 -U postgres -d test -f scripts/bench/pg/plan-after-truncate.sql
-- A foreign-key check as PostgreSQL runs it (a prepared query, kept per connection), on a child table that VACUUM
-- found empty: once with the default (the table is truncated to no pages), once with vacuum_truncate = false.
\set ON_ERROR_STOP on
SET plan_cache_mode = force_generic_plan;  -- what a connection settles on after five executions of a cheap check

\echo '== default: VACUUM truncates the emptied table'
\set storage ''
\ir plan-after-truncate-round.sql

\echo '== vacuum_truncate = false: the table keeps its pages'
\set storage 'WITH (vacuum_truncate = false)'
\ir plan-after-truncate-round.sql
