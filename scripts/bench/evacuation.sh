#!/usr/bin/env bash
# Runs the evacuation benchmark of BENCHMARKS.md and prints the figures (also written to
# target/benchmarks/evacuation.md): one host with 100 instances evacuated per max-parallel setting.
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth).
#
# usage: scripts/bench/evacuation.sh
# Options as Java system properties in BENCH_OPTS, e.g. BENCH_OPTS='-Dbench.parallel=8 -Dbench.runs=5'
# Set BENCH_SKIP_BUILD=1 to reuse the jar and test classes already built.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/bench/lib.sh
source scripts/bench/lib.sh
run_benchmark io.lightsout.bench.EvacuationBenchmark "$@"
