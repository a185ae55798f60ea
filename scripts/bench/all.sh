#!/usr/bin/env bash
# Every benchmark of issue 12's table (BENCHMARKS.md), one after the other in one run, on a machine with nothing else
# running: target 2 (accept.sh), targets 1, 2 closed loop and 5 queued RSS with the Redfish comparison of issue 9
# (power.sh sim redfish), target 1 with one request per node (power.sh sim over 10,000 nodes), target 3 (batch.sh),
# target 5's monitor (monitor.sh) and, with --with-scale, target 4 (scale.sh: 1,000 ipmi_sim BMCs, 12-25 minutes on a
# 2-core VM). Builds once; each benchmark writes its report to target/benchmarks/ (accept.md, power.md,
# power-nowait.md, monitor.md, scale.md; batch.sh prints its own) and its output goes to
# target/benchmarks/all-<name>.out as well.
# Needs what each script needs (PostgreSQL on 127.0.0.1:5432; openipmi and ipmitool for scale; /usr/bin/python3,
# openssl and curl for redfish).
#
# usage: scripts/bench/all.sh [--with-scale]
set -euo pipefail
cd "$(dirname "$0")/../.."
with_scale=0
for arg in "$@"; do
  case $arg in
    --with-scale) with_scale=1 ;;
    *) echo "usage: scripts/bench/all.sh [--with-scale]" >&2; exit 2 ;;
  esac
done
# shellcheck source=scripts/bench/lib.sh
source scripts/bench/lib.sh
build_benchmarks
export BENCH_SKIP_BUILD=1
mkdir -p target/benchmarks
started=$(date -u +%FT%TZ)
step() {
  local name=$1
  shift
  echo "== $(date -u +%T) $*"
  "$@" 2>&1 | tee "target/benchmarks/all-$name.out"
}
step accept scripts/bench/accept.sh
step power scripts/bench/power.sh sim redfish
# target 1 when no request ever waits for its turn (one request per node, 10,000 nodes): what the queue costs without
# the wait in the engine, the most that starting an instance only when its turn comes could reach
step power-nowait env BENCH_OPTS="${BENCH_OPTS:-} -Dbench.nodes=10000 -Dbench.out=target/benchmarks/power-nowait.md" \
  scripts/bench/power.sh sim
step batch scripts/bench/batch.sh
step monitor scripts/bench/monitor.sh
if [[ $with_scale == 1 ]]; then
  step scale scripts/bench/scale.sh
fi
echo "== all done: run from $started to $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD)"
ls -l target/benchmarks/*.md
