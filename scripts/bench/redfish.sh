#!/usr/bin/env bash
# The Redfish benchmark of issue 9 (BENCHMARKS.md): one cycle to each of 100 simulated Redfish BMCs over HTTPS
# through Lights-Out (driver redfish), against `xargs -P 32` curl with Basic authentication doing ForceOff, then On,
# per min-command-interval (BENCH_OPTS='-Dbench.intervals=0,default' by default). Needs PostgreSQL on 127.0.0.1:5432,
# /usr/bin/python3, openssl and curl. Figures printed and written to target/benchmarks/power.md.
exec "$(dirname "$0")/power.sh" redfish "$@"
