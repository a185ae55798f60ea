#!/usr/bin/env bash
# Runs the power benchmarks of BENCHMARKS.md in one JVM run and prints the figures (also written to
# target/benchmarks/power.md). Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth) and, for the
# `ipmi` part, the Debian packages openipmi and ipmitool.
#
# usage: scripts/bench/power.sh [sim] [ipmi]        (default: both)
# Options as Java system properties in BENCH_OPTS, e.g.
#   BENCH_OPTS='-Dbench.requests=2000 -Dbench.app-args=--camunda.bpm.job-execution.max-pool-size=16'
# Set BENCH_SKIP_BUILD=1 to reuse the jar and test classes already built.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
  mvn -q -DskipTests package
  mvn -q test-compile
  mvn -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt > /dev/null
fi
jar=$(ls target/lightsout-*.jar | grep -v original | head -1)
# shellcheck disable=SC2086
exec java ${BENCH_OPTS:-} -Dlightsout.jar="$jar" \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" io.lightsout.bench.PowerBenchmark "$@"
