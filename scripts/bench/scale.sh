#!/usr/bin/env bash
# Issue 12, target 4 at scale: one cycle to each of 1,000 ipmi_sim BMCs through Lights-Out (driver ipmi) against an
# `xargs -P 32` loop of ipmitool (power off, then power on), at min-command-interval 0 and the default 1 s in one
# run: the `ipmi` part of scripts/bench/power.sh with 1,000 BMCs, 1 unmeasured and 3 measured rounds per interval.
# Targets: Lights-Out <= 1.0x the loop at interval 0, <= 1.2x at the default. Needs PostgreSQL on 127.0.0.1:5432
# (user postgres, trust auth) and the Debian packages openipmi and ipmitool. On 2 cores starting the 1,000 BMCs takes
# 1 to 2 minutes, a round 1 to 2 minutes per side, the whole run about 25. Figures printed and written to
# target/benchmarks/scale.md.
#
# usage: scripts/bench/scale.sh
# BENCH_OPTS adds or overrides options, e.g. BENCH_OPTS='-Dbench.bmcs=200 -Dbench.rounds=1' for a quick try.
# Set BENCH_SKIP_BUILD=1 to reuse the jar and test classes already built.
set -euo pipefail
BENCH_OPTS="-Dbench.bmcs=1000 -Dbench.warm-rounds=1 -Dbench.rounds=3 -Dbench.intervals=0,default \
-Dbench.out=target/benchmarks/scale.md ${BENCH_OPTS:-}" exec "$(dirname "$0")/power.sh" ipmi "$@"
