#!/usr/bin/env bash
# Accept under an open-loop load (issue 12, target 2): A, accept latency at half the end-to-end capacity while
# requests execute; B, the highest sustained accept rate with every node held against bare engine-rest starts of
# bench-noop (its instances executing, then its job definition suspended). 1,000 sim nodes; figures printed and
# written to target/benchmarks/accept.md. Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth).
#
# usage: scripts/bench/accept.sh
# Options as Java system properties in BENCH_OPTS, e.g. BENCH_OPTS='-Dbench.capacity=40 -Dbench.step-seconds=20'
# (see the Javadoc of AcceptBenchmark). Set BENCH_SKIP_BUILD=1 to reuse the jar and test classes already built.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/bench/lib.sh
source scripts/bench/lib.sh
run_benchmark io.lightsout.bench.AcceptBenchmark "$@"
