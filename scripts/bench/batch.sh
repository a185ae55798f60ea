#!/usr/bin/env bash
# Batches of power requests (issue 12, target 3): 10 batches of 1,000 requests over 1,000 sim nodes, posted by
# one client, with every node held (accept alone) and then free (accept while executing). Needs PostgreSQL on
# 127.0.0.1:5432 (user postgres, trust auth).
#
# usage: scripts/bench/batch.sh
# Options as Java system properties in BENCH_OPTS, e.g. BENCH_OPTS='-Dbench.nodes=500 -Dbench.batches=4'.
# Set BENCH_SKIP_BUILD=1 to reuse the jar and test classes already built.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/bench/lib.sh
source scripts/bench/lib.sh
run_benchmark io.lightsout.bench.BatchBenchmark "$@"
