#!/usr/bin/env bash
# Footprint of psistats-agent next to collectd, side by side on one private RabbitMQ node.
#
# Usage: bench/agent-footprint.sh        (as root the first time: installs collectd-core)
#
# Starts, at the same time:
#   - the published agent (self-contained, trimmed, single file) with cpu, mem, uptime, ipaddr,
#     load, net, diskio and hddspace every 1 s (every other reporter disabled);
#   - collectd (Debian collectd-core) with the cpu, memory, uptime, interface, load, disk and df
#     plugins every 1 s (Interval 1), publishing JSON through its amqp plugin;
# both to a private broker (scripts/broker.sh, its own port and directory, stopped at exit).
# After WARMUP seconds it measures each process over WINDOW seconds:
#   CPU  utime+stime from /proc/PID/stat (clock ticks, getconf CLK_TCK), as % of one core;
#   RSS  VmRSS from /proc/PID/status, sampled every second: average and maximum, MiB;
#   sent the messages that reached a queue bound to each exchange during the window
#        (per reporter for the agent).
# Prints a table (ours, collectd, ours/collectd) and the versions. Exits 1 when a process
# died, sent nothing, or (unless ALLOW_MISSING=1) one of the agent's reporters sent nothing;
# a missed footprint goal is reported, not a failure.
#
# Environment:
#   WARMUP=60 WINDOW=120     seconds (shorter values for trial runs only: the numbers get noisy)
#   PSISTATS_AMQP_PORT=5690  port of the private broker (it also uses PORT+10000 and PORT+20000)
#   AGENT=PATH               a published psistats-agent to measure (default: publish this checkout
#                            with dotnet publish -c Release -r linux-x64 into the work directory)
#   AGENT_ENV="VAR=v ..."    extra environment for the agent only, e.g. DOTNET_TieredCompilation=1
#   REPORTERS="cpu mem ..."  the agent's reporters (default the eight above)
#   AGENT_ONLY=1             measure the agent alone (no collectd, no ratio): for experiments
#   ALLOW_MISSING=1          a reporter that sent nothing is a warning, not a failure
#   BENCH_DIR=DIR            work directory (default a new /tmp/psistats-bench.XXXXXX); kept, with
#                            the logs, the generated configurations and the samples
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BROKER="$ROOT/scripts/broker.sh"

WARMUP=${WARMUP:-60}
WINDOW=${WINDOW:-120}
PORT=${PSISTATS_AMQP_PORT:-5690}
REPORTERS=${REPORTERS:-cpu mem uptime ipaddr load net diskio hddspace}
AGENT_ONLY=${AGENT_ONLY:-0}
ALLOW_MISSING=${ALLOW_MISSING:-0}
AGENT_ENV=${AGENT_ENV:-}
COLLECTD_PACKAGES="collectd-core libyajl2 librabbitmq4"
# The goal of issue 3: CPU no higher than collectd's, RSS at most 20 MiB.
RSS_GOAL_MIB=20

say() { echo "footprint: $*" || true; }
die() { echo "footprint: ERROR: $*" >&2 || true; exit 1; }

for v in WARMUP WINDOW PORT; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number (got '${!v}')"
done
((WINDOW >= 5)) || die "WINDOW must be at least 5 s"
[[ -r /proc/self/stat ]] || die "needs Linux /proc"

BENCH_DIR=${BENCH_DIR:-$(mktemp -d /tmp/psistats-bench.XXXXXX)}
mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
export PSISTATS_AMQP_PORT=$PORT PSISTATS_RUN_DIR="$BENCH_DIR/run"
AMQP_URL="amqp://guest:guest@127.0.0.1:$PORT"
AGENT_EXCHANGE=psistats
AGENT_PREFIX=psistats
COLLECTD_EXCHANGE=collectd
COUNT_PREFIX=footprint

# --- clean-up ---------------------------------------------------------------------------
AGENT_PID=""
COLLECTD_PID=""
COUNTER_PIDS=()
BROKER_STARTED=0
# shellcheck disable=SC2317  # run from the EXIT trap
stop_pid() { # PID NAME
    local pid=$1 deadline
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
        echo "footprint: $2 (pid $pid) did not stop within 10 s: killing it" >&2 || true
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}
# shellcheck disable=SC2317  # run from the EXIT trap
cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    trap '' PIPE
    set +e
    stop_pid "$AGENT_PID" psistats-agent
    stop_pid "$COLLECTD_PID" collectd
    local pid
    for pid in "${COUNTER_PIDS[@]}"; do
        kill -TERM -- "-$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    if ((BROKER_STARTED)); then "$BROKER" stop >/dev/null 2>&1; fi
    say "work directory (logs, configurations, samples): $BENCH_DIR"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# --- what is needed -----------------------------------------------------------------------
"$ROOT/scripts/setup.sh"   # rabbitmq-server, amqp-tools (and the .NET SDK check)
if ((!AGENT_ONLY)); then
    missing=()
    for pkg in $COLLECTD_PACKAGES; do
        [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true) == "install ok installed" ]] || missing+=("$pkg")
    done
    if ((${#missing[@]} > 0)); then
        (($(id -u) == 0)) || die "missing Debian packages: ${missing[*]} (run as root, or install them)"
        say "installing ${missing[*]}"
        # collectd-core's service must not start: policy-rc.d blocks it here; on other machines
        # the package starts a system collectd, which this benchmark neither needs nor stops.
        { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; } \
            >"$BENCH_DIR/apt.log" 2>&1 || { tail -n 20 "$BENCH_DIR/apt.log" >&2; die "apt-get failed"; }
    fi
    command -v collectd >/dev/null || die "collectd not found after installing collectd-core"
fi

if [[ -z ${AGENT:-} ]]; then
    say "publishing the agent (dotnet publish -c Release -r linux-x64) into $BENCH_DIR/agent"
    dotnet publish "$ROOT/Agent/Psistats.Agent.csproj" -c Release -r linux-x64 \
        --artifacts-path "$BENCH_DIR/artifacts" -o "$BENCH_DIR/agent" >"$BENCH_DIR/publish.log" 2>&1 ||
        { tail -n 30 "$BENCH_DIR/publish.log" >&2; die "dotnet publish failed"; }
    AGENT="$BENCH_DIR/agent/psistats-agent"
fi
[[ -x $AGENT ]] || die "AGENT=$AGENT is not an executable"

# --- configurations -------------------------------------------------------------------------
AGENT_INI="$BENCH_DIR/psistats.ini"
# The shipped psistats.ini with the broker URL replaced, the wanted reporters enabled every
# 1 s and every other reporter section disabled (a section with an `enabled` key is a reporter).
awk -v url="$AMQP_URL/%2f" -v want="$REPORTERS" '
    BEGIN { n = split(want, w, " "); for (i = 1; i <= n; i++) wanted[w[i]] = 1 }
    /^\[/ { section = substr($0, 2, index($0, "]") - 2); if (section in wanted) found[section] = 1 }
    section == "server" && /^url[ \t]*=/ { print "url = " url; next }
    /^enabled[ \t]*=/ { print "enabled = " ((section in wanted) ? "yes" : "no"); next }
    (section in wanted) && /^interval[ \t]*=/ { print "interval = 1"; next }
    { print }
    END { for (r in wanted) if (!(r in found)) { print "no section [" r "] in psistats.ini" > "/dev/stderr"; exit 1 } }
' "$ROOT/psistats.ini" >"$AGENT_INI" || die "cannot write $AGENT_INI"
"$AGENT" --check-config --config "$AGENT_INI" >"$BENCH_DIR/check-config.log" 2>&1 ||
    { cat "$BENCH_DIR/check-config.log" >&2; die "the agent rejects $AGENT_INI"; }

COLLECTD_DIR="$BENCH_DIR/collectd"
COLLECTD_CONF="$COLLECTD_DIR/collectd.conf"
mkdir -p "$COLLECTD_DIR"
cat >"$COLLECTD_CONF" <<EOF
# generated by bench/agent-footprint.sh
Hostname "footprint-bench"
FQDNLookup false
BaseDir "$COLLECTD_DIR"
PIDFile "$COLLECTD_DIR/collectd.pid"
PluginDir "/usr/lib/collectd"
TypesDB "/usr/share/collectd/types.db"
Interval 1

LoadPlugin logfile
<Plugin logfile>
  LogLevel info
  File STDERR
  Timestamp true
</Plugin>

LoadPlugin cpu
LoadPlugin memory
LoadPlugin uptime
LoadPlugin interface
LoadPlugin load
LoadPlugin disk
LoadPlugin df
LoadPlugin amqp

# Percent per core and state, as the agent's cpu reporter sends percentages.
<Plugin cpu>
  ReportByCpu true
  ReportByState true
  ValuesPercentage true
</Plugin>
# The agent's diskio skips loop and ram devices.
<Plugin disk>
  Disk "/^(loop|ram)[0-9]+\$/"
  IgnoreSelected true
</Plugin>
# Real filesystems only, bytes, percent and inodes, as the agent's hddspace.
<Plugin df>
  FSType "proc"
  FSType "sysfs"
  FSType "devtmpfs"
  FSType "tmpfs"
  FSType "devpts"
  FSType "cgroup"
  FSType "cgroup2"
  FSType "overlay"
  FSType "squashfs"
  IgnoreSelected true
  ReportInodes true
  ValuesAbsolute true
  ValuesPercentage true
</Plugin>
# Rates, as the agent sends rates.
<Plugin amqp>
  <Publish "footprint">
    Host "127.0.0.1"
    Port "$PORT"
    VHost "/"
    User "guest"
    Password "guest"
    Exchange "$COLLECTD_EXCHANGE"
    ExchangeType "topic"
    Persistent false
    Format "JSON"
    StoreRates true
  </Publish>
</Plugin>
EOF
if ((!AGENT_ONLY)); then
    collectd -t -C "$COLLECTD_CONF" >"$COLLECTD_DIR/config-test.log" 2>&1 ||
        { cat "$COLLECTD_DIR/config-test.log" >&2; die "collectd rejects $COLLECTD_CONF"; }
fi

# --- versions and machine ---------------------------------------------------------------------
AGENT_VERSION=$("$AGENT" --version 2>&1 | head -n 1)
AGENT_RUNTIME=$(grep -a -o -m 1 '"runtimepack.Microsoft.NETCore.App.Runtime.linux-x64": *"[^"]*"' "$AGENT" |
    sed 's/.*: *"\(.*\)"/.NET runtime \1 (self-contained)/' || true)
AGENT_SIZE=$(stat -c %s "$AGENT")
COLLECTD_VERSION=$( ((AGENT_ONLY)) || collectd -h 2>&1 | grep -m 1 '^collectd ' | cut -d, -f1)
RABBIT_VERSION=$(dpkg-query -W -f='rabbitmq-server ${Version}' rabbitmq-server 2>/dev/null || true)
CPU_MODEL=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
HZ=$(getconf CLK_TCK)

# --- helpers over /proc -------------------------------------------------------------------------
cpu_ticks() { # PID -> utime+stime of the whole process (all threads), clock ticks
    local line rest
    read -r line <"/proc/$1/stat" || return 1
    rest=${line##*) }   # after "pid (comm) "; the comm may contain spaces
    local -a f
    read -ra f <<<"$rest"
    echo $((f[11] + f[12]))
}
status_kib() { # PID KEY -> value of KEY (kB) in /proc/PID/status
    local k v _
    while read -r k v _; do
        if [[ $k == "$2:" ]]; then
            echo "$v"
            return 0
        fi
    done <"/proc/$1/status"
    echo 0
}
machine_ticks() { # -> "busy total" over all CPUs, from the cpu line of /proc/stat
    local _ user nice system idle iowait irq softirq steal
    read -r _ user nice system idle iowait irq softirq steal _ </proc/stat
    echo "$((user + nice + system + irq + softirq + steal)) $((user + nice + system + idle + iowait + irq + softirq + steal))"
}
alive() { # PID COMM: the process still runs and is what we started
    [[ -n $1 && -r /proc/$1/comm && $(<"/proc/$1/comm") == "$2"* ]]
}
check_alive() {
    alive "$AGENT_PID" psistats-agent || { tail -n 20 "$BENCH_DIR/agent.log" >&2; die "psistats-agent (pid $AGENT_PID) died; log: $BENCH_DIR/agent.log"; }
    if ((!AGENT_ONLY)); then
        alive "$COLLECTD_PID" collectd || { tail -n 20 "$COLLECTD_DIR/collectd.log" >&2; die "collectd (pid $COLLECTD_PID) died; log: $COLLECTD_DIR/collectd.log"; }
    fi
}
queue_counts() { # -> "name messages" lines of our counting queues
    "$BROKER" ctl list_queues --quiet --no-table-headers name messages 2>/dev/null | awk -v p="$COUNT_PREFIX." 'index($1, p) == 1 { print $1, $2 }'
}
bind_counter() { # QUEUE EXCHANGE ROUTING_KEY: a queue that keeps what the exchange routes to it
    # amqp-consume declares the queue auto-delete: it lives while its consumer is connected. The
    # consumer takes one message (prefetch 1) and then sleeps on it unacknowledged, so every message
    # stays counted in the queue's length. Own session: cleanup stops the consumer and its sleep.
    local deadline=$((SECONDS + 60)) pid
    while ((SECONDS < deadline)); do
        setsid amqp-consume --url "$AMQP_URL" -q "$1" -e "$2" -r "$3" -p 1 -c 1 sleep 86400 \
            >>"$BENCH_DIR/counters.log" 2>&1 </dev/null &
        pid=$!
        COUNTER_PIDS+=("$pid")
        sleep 2
        if kill -0 "$pid" 2>/dev/null; then
            return 0
        fi
        unset 'COUNTER_PIDS[-1]'
        wait "$pid" 2>/dev/null || true   # the exchange does not exist yet: its publisher has not connected
    done
    die "exchange '$2' never appeared on the broker: its publisher did not connect (see $BENCH_DIR/counters.log)"
}
sleep_until() { # EPOCHREALTIME-like deadline
    local left
    left=$(awk -v d="$1" -v n="$EPOCHREALTIME" 'BEGIN { s = d - n; if (s > 0) printf "%.3f", s; else print 0 }')
    [[ $left == 0 ]] || sleep "$left"
}

# --- run ----------------------------------------------------------------------------------------
BROKER_STARTED=1
"$BROKER" start >"$BENCH_DIR/broker.log" 2>&1 || { cat "$BENCH_DIR/broker.log" >&2; die "the broker did not start"; }

say "agent: $AGENT ($AGENT_VERSION), reporters every 1 s: $REPORTERS${AGENT_ENV:+, environment: $AGENT_ENV}"
# shellcheck disable=SC2086  # AGENT_ENV is a list of VAR=value words
env $AGENT_ENV "$AGENT" --config "$AGENT_INI" >"$BENCH_DIR/agent.log" 2>&1 </dev/null &
AGENT_PID=$!
if ((!AGENT_ONLY)); then
    say "collectd: $COLLECTD_CONF"
    collectd -f -C "$COLLECTD_CONF" >"$COLLECTD_DIR/collectd.log" 2>&1 </dev/null &
    COLLECTD_PID=$!
fi
sleep 1
check_alive

for r in $REPORTERS; do bind_counter "$COUNT_PREFIX.psistats.$r" "$AGENT_EXCHANGE" "$AGENT_PREFIX.*.$r"; done
((AGENT_ONLY)) || bind_counter "$COUNT_PREFIX.collectd" "$COLLECTD_EXCHANGE" "#"

say "warming up for ${WARMUP} s, then measuring for ${WINDOW} s"
deadline=$(awk -v n="$EPOCHREALTIME" -v w="$WARMUP" 'BEGIN { printf "%.6f", n + w }')
while awk -v d="$deadline" -v n="$EPOCHREALTIME" 'BEGIN { exit !(n < d) }'; do
    check_alive
    sleep 1
done

queue_counts >"$BENCH_DIR/counts-start.txt"
read -r m_busy0 m_total0 < <(machine_ticks)
t0=$EPOCHREALTIME
a_cpu0=$(cpu_ticks "$AGENT_PID")
((AGENT_ONLY)) || c_cpu0=$(cpu_ticks "$COLLECTD_PID")
: >"$BENCH_DIR/rss-samples.txt"   # t agent_kib collectd_kib
for ((i = 1; i <= WINDOW; i++)); do
    sleep_until "$(awk -v t="$t0" -v i="$i" 'BEGIN { printf "%.6f", t + i }')"
    check_alive
    c_rss=0
    ((AGENT_ONLY)) || c_rss=$(status_kib "$COLLECTD_PID" VmRSS)
    echo "$i $(status_kib "$AGENT_PID" VmRSS) $c_rss" >>"$BENCH_DIR/rss-samples.txt"
done
a_cpu1=$(cpu_ticks "$AGENT_PID")
((AGENT_ONLY)) || c_cpu1=$(cpu_ticks "$COLLECTD_PID")
t1=$EPOCHREALTIME
read -r m_busy1 m_total1 < <(machine_ticks)
queue_counts >"$BENCH_DIR/counts-end.txt"

details() { # PID -> "threads rss_anon_kib rss_file_kib rss_shmem_kib hwm_kib"
    echo "$(status_kib "$1" Threads) $(status_kib "$1" RssAnon) $(status_kib "$1" RssFile) $(status_kib "$1" RssShmem) $(status_kib "$1" VmHWM)"
}
read -r a_threads a_anon a_file a_shmem a_hwm < <(details "$AGENT_PID")
if ((!AGENT_ONLY)); then read -r c_threads c_anon c_file c_shmem c_hwm < <(details "$COLLECTD_PID"); fi

# --- results -------------------------------------------------------------------------------------
sent() { # QUEUE -> messages that reached it during the window
    awk -v q="$1" '
        FILENAME == ARGV[1] { if ($1 == q) start = $2; next }
        $1 == q { print $2 - start; found = 1 }
        END { if (!found) print -1 }' "$BENCH_DIR/counts-start.txt" "$BENCH_DIR/counts-end.txt"
}
a_sent=0
missing_reporters=()
per_reporter=""
for r in $REPORTERS; do
    n=$(sent "$COUNT_PREFIX.psistats.$r")
    ((n >= 0)) || die "cannot read the message count of queue $COUNT_PREFIX.psistats.$r"
    a_sent=$((a_sent + n))
    per_reporter+=" $r=$n"
    ((n > 0)) || missing_reporters+=("$r")
done
c_sent=0
((AGENT_ONLY)) || c_sent=$(sent "$COUNT_PREFIX.collectd")

awk -v hz="$HZ" -v t0="$t0" -v t1="$t1" -v nproc="$(nproc)" \
    -v a0="$a_cpu0" -v a1="$a_cpu1" -v c0="${c_cpu0:-0}" -v c1="${c_cpu1:-0}" \
    -v asent="$a_sent" -v csent="$c_sent" -v only="$AGENT_ONLY" -v goal="$RSS_GOAL_MIB" \
    -v mb0="$m_busy0" -v mb1="$m_busy1" -v mt0="$m_total0" -v mt1="$m_total1" \
    -v aname="psistats-agent ${AGENT_VERSION##* }" -v cname="$COLLECTD_VERSION" \
    -v athr="$a_threads" -v aanon="$a_anon" -v afile="$a_file" -v ashm="$a_shmem" -v ahwm="$a_hwm" \
    -v cthr="${c_threads:-0}" -v canon="${c_anon:-0}" -v cfile="${c_file:-0}" -v cshm="${c_shmem:-0}" -v chwm="${c_hwm:-0}" '
    { n++; as += $2; cs += $3; if ($2 > am) am = $2; if ($3 > cm) cm = $3 }
    END {
        dt = t1 - t0
        acpu = 100 * (a1 - a0) / hz / dt; ccpu = 100 * (c1 - c0) / hz / dt
        aavg = as / n / 1024; amax = am / 1024; cavg = cs / n / 1024; cmax = cm / 1024
        others = 100 * (mb1 - mb0) / (mt1 - mt0) * nproc
        printf "\nwindow %.1f s, %d RSS samples; whole machine busy %.1f %% of one core on average (all processes, %d cores)\n\n", dt, n, others, nproc
        printf "%-28s %12s %12s %12s %10s %9s %8s\n", "", "CPU % core", "RSS avg MiB", "RSS max MiB", "messages", "msg/s", "threads"
        printf "%-28s %12.3f %12.2f %12.2f %10d %9.1f %8d\n", aname, acpu, aavg, amax, asent, asent / dt, athr
        if (!only) {
            printf "%-28s %12.3f %12.2f %12.2f %10d %9.1f %8d\n", cname, ccpu, cavg, cmax, csent, csent / dt, cthr
            printf "%-28s %12s %12s %12s\n", "ratio ours/collectd", (ccpu > 0 ? sprintf("%.2f", acpu / ccpu) : "n/a"), sprintf("%.2f", aavg / cavg), sprintf("%.2f", amax / cmax)
        }
        printf "\nRSS at the end (MiB): %-16s anon %6.2f  file %6.2f  shmem %6.2f; peak since start (VmHWM) %6.2f\n", "psistats-agent", aanon / 1024, afile / 1024, ashm / 1024, ahwm / 1024
        if (!only) printf "                      %-16s anon %6.2f  file %6.2f  shmem %6.2f; peak since start (VmHWM) %6.2f\n", "collectd", canon / 1024, cfile / 1024, cshm / 1024, chwm / 1024
        printf "\ngoal RSS <= %d MiB: %s (max %.2f MiB)\n", goal, (amax <= goal ? "met" : sprintf("MISSED by %.2f MiB", amax - goal)), amax
        if (!only) printf "goal CPU <= collectd: %s (%.3f vs %.3f %% of a core)\n", (acpu <= ccpu ? "met" : sprintf("MISSED by %.3f points (x%.2f)", acpu - ccpu, (ccpu > 0 ? acpu / ccpu : 0))), acpu, ccpu
        if (others - acpu - ccpu > 25) printf "NOTE: other processes kept the machine busy (%.0f %% of a core besides these two): the CPU numbers are noisy\n", others - acpu - ccpu
        printf "RESULT agent_cpu_pct=%.3f agent_rss_avg_mib=%.2f agent_rss_max_mib=%.2f agent_msgs=%d collectd_cpu_pct=%.3f collectd_rss_avg_mib=%.2f collectd_rss_max_mib=%.2f collectd_msgs=%d window_s=%.1f machine_busy_pct=%.1f\n", acpu, aavg, amax, asent, ccpu, cavg, cmax, csent, dt, others
    }' "$BENCH_DIR/rss-samples.txt"
echo
echo "agent messages per reporter:$per_reporter"
echo "versions: $AGENT_VERSION, ${AGENT_RUNTIME:-.NET runtime unknown}, binary $AGENT_SIZE bytes; ${COLLECTD_VERSION:-collectd not run}; $RABBIT_VERSION"
echo "machine: $(nproc) x $CPU_MODEL, Linux $(uname -r), CLK_TCK $HZ; warm-up ${WARMUP} s"

status=0
if ((a_sent == 0)); then
    echo "footprint: FAILED: psistats-agent sent nothing during the window (log: $BENCH_DIR/agent.log)" >&2
    status=1
fi
if ((!AGENT_ONLY && c_sent == 0)); then
    echo "footprint: FAILED: collectd sent nothing during the window (log: $COLLECTD_DIR/collectd.log)" >&2
    status=1
fi
if ((${#missing_reporters[@]} > 0)); then
    if ((ALLOW_MISSING)); then
        echo "footprint: WARNING: these reporters sent nothing: ${missing_reporters[*]} (ALLOW_MISSING=1)" >&2
    else
        echo "footprint: FAILED: these reporters sent nothing: ${missing_reporters[*]} (see $BENCH_DIR/agent.log; ALLOW_MISSING=1 to accept)" >&2
        status=1
    fi
fi
exit "$status"
