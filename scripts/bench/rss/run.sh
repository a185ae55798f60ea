#!/usr/bin/env bash
# Issue 12, target 5: RSS of one Lights-Out instance with 10,000 requests queued on 1,000 held sim nodes, after 10,000
# executed (the load of PowerBenchmark's sim part, 50 clients), with a native-memory breakdown (NMT, about 9 MB of
# its own), then again 20 s later and after an explicit glibc trim (jcmd System.trim_native_heap): how much of the
# RSS is memory the JVM freed and glibc kept. Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth), python3,
# the jar (mvn -DskipTests package). About 6 minutes.
#
# usage: scripts/bench/rss/run.sh ['extra JVM options, e.g. -XX:TrimNativeHeapInterval=0 to see the RSS without it']
set -u
repo=$(cd "$(dirname "$0")/../../.." && pwd)
work=$(mktemp -d "$repo/target/bench-rss-XXXX")
cd "$work"
db=rss_$(date +%H%M%S)
psql -h 127.0.0.1 -U postgres -d postgres -qc "create database $db" 
MALLOC_ARENA_MAX=2 LIGHTSOUT_DB_URL=jdbc:postgresql://127.0.0.1:5432/$db LIGHTSOUT_DB_USER=postgres LIGHTSOUT_DB_PASSWORD= \
 LIGHTSOUT_ADMIN_PASSWORD=rss-admin-Pw9 java @$repo/src/main/jvm/lightsout.jvm.options -XX:NativeMemoryTracking=summary ${1:-} \
 -jar $(ls "$repo"/target/lightsout-*.jar | head -1) --lightsout.monitor.enabled=false --lightsout.bmc.min-command-interval=0 \
 --server.port=18080 --lightsout.secrets.key-file=$work/secret.key --lightsout.instance-id=rss > app.log 2>&1 &
pid=$!
load() { python3 "$repo/scripts/bench/rss/load.py" 18080 "$@"; }
fail() {
  echo "$1, see $work/app.log" >&2
  kill $pid 2>/dev/null
  psql -h 127.0.0.1 -U postgres -d postgres -qc "drop database $db with (force)"
  exit 1
}
for _ in $(seq 90); do
  curl -sf -o /dev/null http://127.0.0.1:18080/actuator/health && break
  kill -0 $pid 2>/dev/null || fail "Lights-Out did not start"
  sleep 2
done
curl -sf -o /dev/null http://127.0.0.1:18080/actuator/health || fail "Lights-Out not healthy after 180 s"
rss() { grep -E "VmRSS|VmHWM" /proc/$pid/status | tr -s ' ' | tr '\n' ' '; echo; }
echo "started: $(rss)"
load nodes 1000 1000
load e2e 10000 1000
until [ "$(psql -h 127.0.0.1 -U postgres -d $db -Atc "select count(*) from lo_power_request where status in ('queued','running')")" = 0 ]; do sleep 5; done
psql -h 127.0.0.1 -U postgres -d $db -Atc "analyze" >/dev/null
echo "after e2e: $(rss)"
load hold 1000 1000
load queue 10000 1000
sleep 2
echo "queued (+2 s): $(rss)"
jcmd $pid GC.heap_info | head -8
jcmd $pid VM.native_memory summary | grep -E "^-|committed=" | grep -E "Total|^-" | head -30
sleep 20
echo "queued (+22 s): $(rss)"
jcmd $pid System.trim_native_heap
echo "after trim: $(rss)"
kill $pid; wait $pid 2>/dev/null
psql -h 127.0.0.1 -U postgres -d postgres -qc "drop database $db"
