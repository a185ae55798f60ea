#!/usr/bin/env bash
# Runs the power benchmarks of BENCHMARKS.md in one JVM run and prints the figures (also written to
# target/benchmarks/power.md). Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth) and, for the
# `ipmi` part, the Debian packages openipmi and ipmitool; for the `redfish` part, /usr/bin/python3, openssl and curl.
#
# usage: scripts/bench/power.sh [sim] [ipmi] [redfish] [cluster]   (default: sim, ipmi and redfish; cluster: one
# instance, then two on one database, issue 11)
# Options as Java system properties in BENCH_OPTS, e.g.
#   BENCH_OPTS='-Dbench.requests=2000 -Dbench.app-args=--camunda.bpm.job-execution.max-pool-size=16'
# Set BENCH_SKIP_BUILD=1 to reuse the jar and test classes already built.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/bench/lib.sh
source scripts/bench/lib.sh
run_benchmark io.lightsout.bench.PowerBenchmark "$@"
