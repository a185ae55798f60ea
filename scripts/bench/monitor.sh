#!/usr/bin/env bash
# Issue 12, target 5: the power monitor watching 10,000 sim nodes at its default interval (5 minutes) on one
# Lights-Out and a fresh database; app and PostgreSQL CPU (% of one core) and the app's RSS over at least one full
# interval, every node's new reading checked in the database. Targets: < 10 % of one core, RSS < 768 MB. Takes about
# 12 minutes. Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth). Figures printed and written to
# target/benchmarks/monitor.md.
#
# usage: scripts/bench/monitor.sh
# Options as Java system properties in BENCH_OPTS: bench.monitor-nodes (10000), bench.monitor-interval (ISO-8601,
# PT5M), bench.monitor-settle (PT30S), bench.clients (16, for the registrations), bench.app-args, bench.out; e.g. a
# quick try: BENCH_OPTS='-Dbench.monitor-nodes=1000 -Dbench.monitor-interval=PT1M'.
# Set BENCH_SKIP_BUILD=1 to reuse the jar and test classes already built.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/bench/lib.sh
source scripts/bench/lib.sh
run_benchmark io.lightsout.bench.MonitorBenchmark "$@"
