#!/usr/bin/env bash
# Issue 11's benchmark: kill -9 of an instance -> its peer's hold, default heartbeat, median of
# BENCH_OPTS='-Dbench.runs=5' runs (see BENCHMARKS.md). Builds and runs like scripts/bench/power.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/bench/lib.sh
source scripts/bench/lib.sh
run_benchmark io.lightsout.bench.PeerOutageBenchmark "$@"
