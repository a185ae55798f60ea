# Shared by start, stop and fault: one OpenIPMI ipmi_sim process per simulated BMC.
# Layout of one BMC: DIR/bmc-<i>/{lan.conf,bmc.emu,chassis,port,pid,power,mode,events.log,chassis.log,sim.log}

readonly SIM_PASSWORD="${BMC_SIM_PASSWORD:-lightsout-sim-pw}"
readonly SIM_USER=admin

bmc_dir() { printf '%s/bmc-%s' "$1" "$2"; }

# True when the pid names a live (not zombie) ipmi_sim process.
sim_alive() {
  local pid=$1 state
  [[ -r /proc/$pid/stat && "$(cat "/proc/$pid/comm" 2>/dev/null)" == ipmi_sim ]] || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
  [[ $state != Z ]]
}

# True while process PID runs (not a zombie), whatever its name: a BMC just started may not have exec'd ipmi_sim yet.
process_alive() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $state && $state != Z ]]
}

recorded_pid() {
  local f="$1/pid"
  [[ -s $f ]] && cat "$f"
}

# Writes the chassis program ipmi_sim calls as: chassis get power | chassis set power 0|1 | set reset 1 | set shutdown 1 | ...
# It keeps the power state in ./power (0/1), reads its fault mode from ./mode (normal | slow <s> | failing |
# lose <n> <s>: the next n set commands are carried out, then answered s seconds late),
# appends every set command to ./events.log as "<epoch-ms> <command>", and every call to ./chassis.log as
# "<begin-ms> <end-ms> <exit> <command>". A soft shutdown turns power off after ./soft-off-delay-ms (default 0).
write_chassis_program() {
  cat > "$1/chassis" <<'CHASSIS'
#!/bin/bash
set -uo pipefail
d=${0%/*}
now_ms() { local t=${EPOCHREALTIME/./}; echo "${t:0:13}"; }
begin=$(now_ms)
while (($# > 0)) && [[ $1 != get && $1 != set ]]; do shift; done
command="$*"
mode=normal arg=
[[ -s $d/mode ]] && read -r mode arg < "$d/mode"
[[ $mode == slow ]] && sleep "${arg:-5}"
rc=0
power=0
[[ -s $d/power ]] && read -r power < "$d/power"
if [[ -s $d/off-at ]]; then
  read -r off_at < "$d/off-at"
  if (($(now_ms) >= off_at)); then power=0; echo 0 > "$d/power"; rm -f "$d/off-at"; fi
fi
case "${1:-} ${2:-}" in
  "get "*)
    shift
    for item in "$@"; do [[ $item == power ]] && echo "power:$power"; done ;;
  "set "*)
    echo "$begin $command" >> "$d/events.log"
    if [[ $mode == failing ]]; then
      rc=1
    else
      case "$2 ${3:-}" in
        "power 0"|"power 1") echo "$3" > "$d/power"; rm -f "$d/off-at" ;;
        "shutdown 1")
          delay=0
          [[ -s $d/soft-off-delay-ms ]] && read -r delay < "$d/soft-off-delay-ms"
          if ((delay > 0)); then echo $(( $(now_ms) + delay )) > "$d/off-at"; else echo 0 > "$d/power"; fi ;;
      esac
    fi
    if [[ $mode == lose ]]; then
      read -r count seconds <<< "$arg"
      if ((count > 1)); then echo "lose $((count - 1)) $seconds" > "$d/mode"; else echo normal > "$d/mode"; fi
      sleep "$seconds"
    fi ;;
  *) rc=1 ;;
esac
echo "$begin $(now_ms) $rc $command" >> "$d/chassis.log"
exit $rc
CHASSIS
  chmod 700 "$1/chassis"
}

write_config() {
  local dir=$1 i=$2 port=$3
  (umask 077
  cat > "$dir/lan.conf" <<CONF
name "bmc-$i"
set_working_mc 0x20
  startlan 1
    addr 127.0.0.1 $port
    priv_limit admin
    allowed_auths_callback md5
    allowed_auths_user md5
    allowed_auths_operator md5
    allowed_auths_admin md5
    guid $(printf 'a1b2c3d4e5f60718293a4b5c%08x' "$port")
  endlan
  chassis_control "$dir/chassis"
  user 2 true "$SIM_USER" "$SIM_PASSWORD" admin 10 md5
CONF
  cat > "$dir/bmc.emu" <<EMU
mc_setbmc 0x20
mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
sel_enable 0x20 1000 0x0a
mc_enable 0x20
EMU
  )
  echo "$port" > "$dir/port"
  [[ -s $dir/power ]] || echo 0 > "$dir/power"
  [[ -s $dir/mode ]] || echo normal > "$dir/mode"
  touch "$dir/events.log" "$dir/chassis.log"
  write_chassis_program "$dir"
}

# Starts the BMC in its own session unless it already runs. With BMC_SIM_DEBUG=1, ipmi_sim logs every packet and
# every session start and close to sim.log (its console then reads a FIFO nobody writes to).
start_one() {
  local dir=$1 pid tries=0
  pid=$(recorded_pid "$dir") && sim_alive "$pid" && return 0
  # a BMC killed a moment ago may still hold its UDP port: wait for the port to be free
  while port_bound "$(cat "$dir/port")" && ((tries++ < 100)); do sleep 0.1; done
  mkdir -p "$dir/state"
  if [[ ${BMC_SIM_DEBUG:-0} == 1 ]]; then
    [[ -p $dir/console ]] || mkfifo -m 600 "$dir/console"
    setsid ipmi_sim -c "$dir/lan.conf" -f "$dir/bmc.emu" -s "$dir/state" -p -d 0<>"$dir/console" >> "$dir/sim.log" 2>&1 &
  else
    setsid ipmi_sim -c "$dir/lan.conf" -f "$dir/bmc.emu" -s "$dir/state" -p -n < /dev/null >> "$dir/sim.log" 2>&1 &
  fi
  echo $! > "$dir/pid"
}

port_bound() { ss -Hlun "sport = :$1" | grep -q .; }

# Waits until the BMC's UDP port is bound and it answers a power status over RMCP+.
wait_ready() {
  local dir=$1 port tries=0
  port=$(cat "$dir/port")
  until port_bound "$port"; do
    process_alive "$(recorded_pid "$dir")" || { echo "bmc-sim: $dir did not start, see $dir/sim.log" >&2; return 1; }
    ((++tries > 200)) && { echo "bmc-sim: $dir never bound UDP port $port" >&2; return 1; }
    sleep 0.05
  done
  tries=0
  until IPMI_PASSWORD=$SIM_PASSWORD ipmitool -I lanplus -C 3 -N 1 -R 1 -H 127.0.0.1 -p "$port" -U "$SIM_USER" -E \
      power status > /dev/null 2>&1; do
    ((++tries > 20)) && { echo "bmc-sim: $dir on port $port does not answer" >&2; return 1; }
    sleep 0.1
  done
}

# Sends a signal to the BMC's whole process group (ipmi_sim and any chassis program it is running).
signal_bmc() {
  local dir=$1 sig=$2 pid
  pid=$(recorded_pid "$dir") || return 0
  sim_alive "$pid" || return 0
  kill "-$sig" -- "-$pid" 2>/dev/null || true
}

# Kills the BMC and returns once it is gone (a busy machine may take a moment to deliver SIGKILL).
kill_bmc() {
  local dir=$1 pid tries=0
  signal_bmc "$dir" KILL
  pid=$(recorded_pid "$dir") || return 0
  while sim_alive "$pid" && ((tries++ < 100)); do sleep 0.1; done
}

# True while any process of the BMC's process group is alive (zombies, already dead, do not count).
group_alive() {
  local p
  for p in $(pgrep -g "$1" 2>/dev/null); do
    [[ $(awk '{print $3}' "/proc/$p/stat" 2>/dev/null) =~ ^[^Z]$ ]] && return 0
  done
  return 1
}

# Stops the given BMC directories together: TERM to every recorded group, then KILL what is left after 2 s.
stop_all() {
  local dir pid tries=0 pids=()
  for dir in "$@"; do
    if pid=$(recorded_pid "$dir") && sim_alive "$pid"; then
      kill -CONT -- "-$pid" 2>/dev/null || true
      kill -TERM -- "-$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
    rm -f "$dir/pid"
  done
  while ((${#pids[@]} > 0 && tries++ < 40)); do
    local alive=()
    for pid in "${pids[@]}"; do group_alive "$pid" && alive+=("$pid"); done
    pids=("${alive[@]}")
    ((${#pids[@]} > 0)) && sleep 0.05
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
}
