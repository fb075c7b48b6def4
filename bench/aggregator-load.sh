#!/usr/bin/env bash
# Throughput and memory of psistats-aggregator under 10,000 simulated hosts, side by side with a bare consumer that only
# acknowledges, in one run on one private RabbitMQ node (scripts/broker.sh, its own port and directory, stopped at exit).
#
# Usage: bench/aggregator-load.sh
#
# Steps (each frame is one of the fixture frames of bench/Shared, stamped with a host name host00001..hostNNNNN):
#   1. builds the aggregator and bench/Psistats.LoadGen (Release), writes the aggregator's psistats.ini: the shipped file
#      plus every built-in on (thresholds for the 13 Diskmonitor rules) and 100 user rules (psistats-loadgen rules);
#      state_dir in the work directory, email off (the shipped default);
#   2. warm-up: step 3 once, untimed (no timed drain is the node's first);
#   3. bare (1/2): declares bench.bare, a twin of the aggregator's queue (same arguments, same binding), publishes into
#      the exchange, with publisher confirms, the fleet's first round (one frame of every reporter of every host) and
#      then FRAMES frames in the fleet's sending order; a consumer that only acks (RabbitMQ.Client 7.1.2, the
#      aggregator's connection factory and prefetch, manual acks) drains it, timed over the FRAMES frames after the first
#      round; the queue is deleted;
#   4. idle: starts the aggregator (Release, the ini of step 1) with an empty queue, reads its RSS after SETTLE seconds
#      (no host), stops it;
#   5. aggregator: publishes the same frames into its queue, starts it on an empty state_dir, times the same FRAMES
#      frames through /healthz frames_accepted (polled every 100 ms), reads its RSS after SETTLE seconds, stops it,
#      deletes its queue;
#   6. bare: step 3 again; steps 5 and 6 are repeated ROUNDS times, so the drains alternate and the bare ones bracket
#      the aggregator's.
# Each drain runs with its queue the only one holding frames on the node.
# Every timing also gives the CPU each process (consumer, broker) spent per frame.
# Prints every drain, the medians of each side, their ratio aggregator/bare (goal >= 0.9) and a RESULT line. Exits 1 when something
# failed (a process died, a frame was rejected, a drain stalled); a missed goal is reported, not a failure.
#
# The queue is replayed as fast as the consumers go, not in real time: [aggregator] down_after and stale_factor are
# raised (86400 s, 1000) so that the replay's compressed or stretched time raises no DOWN and no staleness alerts; both
# checks still run every second. queue_max_length is raised so that no frame is dropped.
#
# Environment:
#   HOSTS=10000 FRAMES=200000 measured frames (after the first round, about 9.9 frames per host)
#   ROUNDS=3                  aggregator drains (and ROUNDS + 1 bare drains around them)
#   SETTLE=5                  seconds before reading an RSS
#   BARE_ACK_BATCH=50         deliveries per basic.ack (multiple) of the bare consumer: 50 acks as the aggregator does
#                             with its default prefetch 200 (AckBatcher: a quarter of the prefetch), 1 acks one by one
#   PSISTATS_AMQP_PORT=5711   port of the private broker (it also uses PORT+10000 and PORT+20000)
#   HTTP_PORT=18711           the aggregator's API port
#   AGGREGATOR_ENV="VAR=v ..." extra environment for the aggregator only, e.g. DOTNET_gcServer=0
#   BARE_ENV="VAR=v ..."      extra environment for the bare consumer only, e.g. DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0
#                             (the aggregator's own runtimeconfig setting)
#   PERF=1                    record the aggregator's timed frames (after the first round) with perf record -g into
#                             BENCH_DIR/perf.data (JIT frames named through DOTNET_PerfMapEnabled=1, with
#                             DOTNET_EnableWriteXorExecute=0 so that perf sees the code); perf report -i it
#   ARTIFACTS=DIR             a build made with dotnet build --artifacts-path DIR -c Release (default: build into
#                             the work directory)
#   BENCH_DIR=DIR             work directory (default a new /tmp/psistats-load.XXXXXX); kept, with the logs, the ini,
#                             the healthz samples
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BROKER="$ROOT/scripts/broker.sh"

HOSTS=${HOSTS:-10000}
FRAMES=${FRAMES:-200000}
SETTLE=${SETTLE:-5}
BARE_ACK_BATCH=${BARE_ACK_BATCH:-50}
ROUNDS=${ROUNDS:-3}
PORT=${PSISTATS_AMQP_PORT:-5711}
HTTP_PORT=${HTTP_PORT:-18711}
GOAL=0.9
AGGREGATOR_ENV=${AGGREGATOR_ENV:-}
BARE_ENV=${BARE_ENV:-}
PERF=${PERF:-0}
BARE_QUEUE=bench.bare
AGG_QUEUE=psistats.aggregator   # the shipped [aggregator] queue (empty: <prefix>.aggregator)

say() { echo "load: $*" || true; }
die() { echo "load: ERROR: $*" >&2 || true; exit 1; }

for v in HOSTS FRAMES SETTLE PORT HTTP_PORT BARE_ACK_BATCH ROUNDS; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number (got '${!v}')"
done
((HOSTS >= 1 && HOSTS <= 99999)) || die "HOSTS must be from 1 to 99999"
((FRAMES >= 1000)) || die "FRAMES must be at least 1000"
((ROUNDS >= 1 && ROUNDS <= 20)) || die "ROUNDS must be from 1 to 20"
command -v curl >/dev/null || die "curl is needed"

BENCH_DIR=${BENCH_DIR:-$(mktemp -d /tmp/psistats-load.XXXXXX)}
mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
export PSISTATS_AMQP_PORT=$PORT PSISTATS_RUN_DIR="$BENCH_DIR/run"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
HEALTHZ="http://127.0.0.1:$HTTP_PORT/healthz"

# --- clean-up ---------------------------------------------------------------------------------
AGGREGATOR_PID=""
BROKER_STARTED=0
stop_aggregator() {
    local pid=$AGGREGATOR_PID deadline
    AGGREGATOR_PID=""
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 20))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
        echo "load: the aggregator (pid $pid) did not stop within 20 s: killing it" >&2 || true
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}
# shellcheck disable=SC2317  # run from the EXIT trap
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    stop_aggregator
    if ((BROKER_STARTED)); then "$BROKER" stop >>"$BENCH_DIR/broker.log" 2>&1; fi
    say "work directory (logs, ini, samples): $BENCH_DIR"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- build ------------------------------------------------------------------------------------
if [[ -z ${ARTIFACTS:-} ]]; then
    ARTIFACTS="$BENCH_DIR/artifacts"
    say "building the aggregator and the load tool (Release) into $ARTIFACTS"
    for project in Aggregator/Psistats.Aggregator.csproj bench/Psistats.LoadGen/Psistats.LoadGen.csproj; do
        dotnet build "$ROOT/$project" -c Release --artifacts-path "$ARTIFACTS" >>"$BENCH_DIR/build.log" 2>&1 ||
            { tail -n 30 "$BENCH_DIR/build.log" >&2; die "dotnet build $project failed"; }
    done
fi
AGGREGATOR_DLL="$ARTIFACTS/bin/Psistats.Aggregator/release/psistats-aggregator.dll"
LOADGEN_DLL="$ARTIFACTS/bin/Psistats.LoadGen/release/psistats-loadgen.dll"
for f in "$AGGREGATOR_DLL" "$LOADGEN_DLL"; do [[ -f $f ]] || die "missing $f (build with -c Release --artifacts-path $ARTIFACTS)"; done
loadgen() { dotnet "$LOADGEN_DLL" "$@" </dev/null; }

# --- configuration: the shipped file, every built-in on, 100 user rules --------------------------
INI="$BENCH_DIR/psistats.ini"
{ cat "$ROOT/psistats.ini"; echo; loadgen rules; } >"$INI" || die "cannot write $INI"
# The aggregator and the load tool read the same overrides (the environment wins over the file).
export PSISTATS_server__url="amqp://guest:guest@127.0.0.1:$PORT/"
export PSISTATS_aggregator__listen="http://127.0.0.1:$HTTP_PORT"
export PSISTATS_aggregator__state_dir="$BENCH_DIR/state"
export PSISTATS_aggregator__console=log
export PSISTATS_aggregator__queue_max_length=$((HOSTS * 20 + FRAMES * 2))
export PSISTATS_aggregator__down_after=86400
export PSISTATS_aggregator__stale_factor=1000
export PSISTATS_aggregator__max_hosts=$((HOSTS + 1000))
export PSISTATS_aggregator__new_hosts_per_minute=$((HOSTS * 10))
export PSISTATS_email__enabled=no
dotnet "$AGGREGATOR_DLL" --check-config --config "$INI" >"$BENCH_DIR/check-config.log" 2>&1 ||
    { cat "$BENCH_DIR/check-config.log" >&2; die "the aggregator rejects $INI"; }
RULES=$(grep -c '^\[rule:' "$INI")

# --- helpers ----------------------------------------------------------------------------------
status_kib() { # PID KEY -> value of KEY (kB) in /proc/PID/status
    local k v _
    while read -r k v _; do
        if [[ $k == "$2:" ]]; then echo "$v"; return 0; fi
    done <"/proc/$1/status"
    echo 0
}
check_aggregator() {
    if [[ -z $AGGREGATOR_PID ]] || ! kill -0 "$AGGREGATOR_PID" 2>/dev/null; then
        tail -n 20 "$BENCH_DIR/aggregator.log" >&2
        die "the aggregator died; log: $BENCH_DIR/aggregator.log"
    fi
}
start_aggregator() {
    local extra=$AGGREGATOR_ENV
    ((PERF)) && extra+=" DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0"
    # shellcheck disable=SC2086  # AGGREGATOR_ENV is a list of VAR=value words
    env $extra dotnet "$AGGREGATOR_DLL" --config "$INI" >>"$BENCH_DIR/aggregator.log" 2>&1 </dev/null &
    AGGREGATOR_PID=$!
}
wait_healthy() {
    local deadline=$((SECONDS + 60))
    until curl -fsS -o /dev/null --max-time 2 "$HEALTHZ" 2>/dev/null; do
        check_aggregator
        ((SECONDS < deadline)) || die "the aggregator did not answer $HEALTHZ with 200 within 60 s"
        sleep 0.2
    done
}
field() { # LINE KEY -> value of KEY=value in LINE
    sed -n "s/.*\b$2=\([^ ]*\).*/\1/p" <<<"$1"
}
queue_lengths() {
    "$BROKER" ctl list_queues --quiet --no-table-headers name messages 2>/dev/null | sort
}

# --- run --------------------------------------------------------------------------------------
BROKER_STARTED=1
"$BROKER" start >>"$BENCH_DIR/broker.log" 2>&1 || { cat "$BENCH_DIR/broker.log" >&2; die "the broker did not start"; }
BEAM_PID=$(tr -dc '0-9' <"$BENCH_DIR/run/broker-$PORT/rabbit.pid")
say "broker on port $PORT (beam pid $BEAM_PID); $RULES [rule:*] sections in $INI"

broker_ticks() { awk '{ print $14 + $15 }' "/proc/$BEAM_PID/stat"; }
wait_broker_quiet() { # the broker settles after a publish (under 10 % of a core over a second; at most 30 s)
    local deadline=$((SECONDS + 30)) a b
    while ((SECONDS < deadline)); do
        a=$(broker_ticks)
        sleep 1
        b=$(broker_ticks)
        ((b - a < 10)) && return 0
    done
}
# Publishes the fleet's frames into the exchange; the one queue bound to it must then hold them all. Sets FIRST.
publish_into() { # QUEUE
    local out n
    out=$(loadgen publish --config "$INI" --hosts "$HOSTS" --frames "$FRAMES" 2>>"$BENCH_DIR/loadgen.log") ||
        { tail -n 5 "$BENCH_DIR/loadgen.log" >&2; die "publishing failed"; }
    echo "$out" >>"$BENCH_DIR/loadgen.log"
    FIRST=$(field "$out" first_round)
    queue_lengths >"$BENCH_DIR/queues-$1.txt"
    n=$(awk -v q="$1" '$1 == q { print $2 }' "$BENCH_DIR/queues-$1.txt")
    [[ $n == "$((FIRST + FRAMES))" ]] || die "queue $1 holds ${n:-nothing} frames, not $((FIRST + FRAMES)) (see $BENCH_DIR/queues-$1.txt)"
    PUBLISH_RATE=$(field "$out" frames_per_s)
    wait_broker_quiet
}
# The bare consumer on a fresh twin queue, the only queue bound: publish, drain, delete. Sets BARE_OUT (its result line).
bare_run() {
    local out
    loadgen declare --config "$INI" --queue "$BARE_QUEUE" >>"$BENCH_DIR/loadgen.log" 2>&1 ||
        { tail -n 5 "$BENCH_DIR/loadgen.log" >&2; die "cannot declare $BARE_QUEUE"; }
    publish_into "$BARE_QUEUE"
    # shellcheck disable=SC2086  # BARE_ENV is a list of VAR=value words
    out=$(env $BARE_ENV dotnet "$LOADGEN_DLL" bare --config "$INI" --queue "$BARE_QUEUE" --skip "$FIRST" --count "$FRAMES" --ack-batch "$BARE_ACK_BATCH" --cpu "bare=self,broker=$BEAM_PID" \
        </dev/null 2>>"$BENCH_DIR/loadgen.log") || { tail -n 5 "$BENCH_DIR/loadgen.log" >&2; die "the bare consumer failed"; }
    echo "$out" >>"$BENCH_DIR/loadgen.log"
    loadgen delete --config "$INI" --queue "$BARE_QUEUE" >>"$BENCH_DIR/loadgen.log" 2>&1 || die "cannot delete $BARE_QUEUE"
    BARE_OUT=$out
}

# Each drain runs with its queue the only one bound and holding frames (a second full queue on the node slows the
# node's deliveries by a quarter here).
# One untimed warm-up drain, so that no timed drain is the node's first (its first allocation of the memory for a full
# queue).
# Then ROUNDS rounds of (aggregator, bare) after a first bare drain: bare, aggregator, bare, aggregator, ... bare. The
# node serves some drains at about half the CPU per frame of the others (a drain's broker CPU per frame is either about
# 17 or about 30 us here, at random, whichever the consumer): one drain of each side is a coin toss, so the ratio is that
# of the medians, and every drain is printed with its broker CPU per frame.
say "warm-up: one publish and drain through the bare consumer, not counted"
bare_run
BARES=()
AGGS=()
say "bare consumer 1/$((ROUNDS + 1)): publishing $FRAMES frames after a first round of $HOSTS hosts, draining"
bare_run
BARES+=("$BARE_OUT")
say "  $(field "$BARE_OUT" frames_per_s) frames/s (frames published at $PUBLISH_RATE frames/s)"

say "idle: the aggregator without hosts"
rm -rf "$BENCH_DIR/state"
start_aggregator
wait_healthy
sleep "$SETTLE"
check_aggregator
IDLE_RSS=$(status_kib "$AGGREGATOR_PID" VmRSS)
IDLE_ANON=$(status_kib "$AGGREGATOR_PID" RssAnon)
stop_aggregator

# One aggregator drain from an empty state_dir; sets AGG_OUT and, after the drain and SETTLE seconds, END_* and ALERTS.
aggregator_run() {
    local deadline health accepted
    # Declared as the aggregator declares it (the idle aggregator did it for the first round; each round deletes it).
    loadgen declare --config "$INI" --queue "$AGG_QUEUE" >>"$BENCH_DIR/loadgen.log" 2>&1 ||
        { tail -n 5 "$BENCH_DIR/loadgen.log" >&2; die "cannot declare $AGG_QUEUE"; }
    publish_into "$AGG_QUEUE"
    rm -rf "$BENCH_DIR/state"
    TOTAL=$((FIRST + FRAMES))
    start_aggregator
    PERF_PID=""
    if ((PERF)) && [[ ! -f $BENCH_DIR/perf.data ]]; then
        # From the end of the first round (first sight of every host is not the steady state) to the end of the drain.
        (
            until [[ $(curl -fsS --max-time 2 "$HEALTHZ" 2>/dev/null | sed -n 's/.*"frames_accepted":\([0-9]*\).*/\1/p') -ge $FIRST ]]; do
                sleep 0.05
            done
            exec perf record -F 499 -g -o "$BENCH_DIR/perf.data" -p "$AGGREGATOR_PID"
        ) >"$BENCH_DIR/perf.log" 2>&1 &
        PERF_PID=$!
    fi
    AGG_OUT=$(loadgen watch --healthz "$HEALTHZ" --skip "$FIRST" --count "$FRAMES" --samples "$BENCH_DIR/healthz-samples.txt" \
        --cpu "aggregator=$AGGREGATOR_PID,broker=$BEAM_PID" 2>>"$BENCH_DIR/loadgen.log") ||
        { check_aggregator; tail -n 5 "$BENCH_DIR/loadgen.log" >&2; die "timing the aggregator failed"; }
    echo "$AGG_OUT" >>"$BENCH_DIR/loadgen.log"
    if [[ -n $PERF_PID ]]; then
        kill -INT "$PERF_PID" 2>/dev/null || true
        wait "$PERF_PID" 2>/dev/null || true
    fi
    deadline=$((SECONDS + 120))
    while :; do
        health=$(curl -fsS --max-time 2 "$HEALTHZ" 2>/dev/null || true)
        accepted=$(sed -n 's/.*"frames_accepted":\([0-9]*\).*/\1/p' <<<"$health")
        [[ ${accepted:-0} -ge $TOTAL ]] && break
        check_aggregator
        ((SECONDS < deadline)) || die "the aggregator accepted ${accepted:-?} of $TOTAL frames"
        sleep 0.5
    done
    sleep "$SETTLE"
    check_aggregator
    END_RSS=$(status_kib "$AGGREGATOR_PID" VmRSS)
    END_ANON=$(status_kib "$AGGREGATOR_PID" RssAnon)
    END_HWM=$(status_kib "$AGGREGATOR_PID" VmHWM)
    THREADS=$(status_kib "$AGGREGATOR_PID" Threads)
    HEALTH=$(curl -fsS --max-time 2 "$HEALTHZ")
    ALERTS=$(curl -fsS --max-time 10 "http://127.0.0.1:$HTTP_PORT/api/alerts" | grep -o '"rule":' | wc -l)
    stop_aggregator
    loadgen delete --config "$INI" --queue "$AGG_QUEUE" >>"$BENCH_DIR/loadgen.log" 2>&1 || die "cannot delete $AGG_QUEUE"
    grep -q '"frames_rejected":{}' <<<"$HEALTH" || die "the aggregator rejected frames: $HEALTH"
}

for ((round = 1; round <= ROUNDS; round++)); do
    say "aggregator $round/$ROUNDS: publishing the same frames into its queue, draining"
    aggregator_run
    AGGS+=("$AGG_OUT")
    say "  $(field "$AGG_OUT" frames_per_s) frames/s"
    say "bare consumer $((round + 1))/$((ROUNDS + 1)): publishing, draining"
    bare_run
    BARES+=("$BARE_OUT")
    say "  $(field "$BARE_OUT" frames_per_s) frames/s"
done

# --- results ----------------------------------------------------------------------------------
drains() { # KIND CPU-NAME LINE... -> "fps consumer_us broker_us" per line
    local kind=$1 cpu=$2 line
    shift 2
    for line in "$@"; do
        echo "$kind $(field "$line" frames_per_s) $(field "$line" "cpu_${cpu}_us_per_frame") $(field "$line" cpu_broker_us_per_frame)"
    done
}
health=$HEALTH
echo
{ drains bare bare "${BARES[@]}"; drains aggregator aggregator "${AGGS[@]}"; } | awk -v hosts="$HOSTS" -v frames="$FRAMES" \
    -v first="$FIRST" -v rules="$RULES" -v idle="$IDLE_RSS" -v idleanon="$IDLE_ANON" -v end="$END_RSS" -v endanon="$END_ANON" \
    -v hwm="$END_HWM" -v goal="$GOAL" -v ackbatch="$BARE_ACK_BATCH" -v alerts="$ALERTS" -v threads="$THREADS" '
function median(a, n,    i, j, t, b) {
    for (i = 1; i <= n; i++) b[i] = a[i]
    for (i = 2; i <= n; i++) for (j = i; j > 1 && b[j - 1] > b[j]; j--) { t = b[j]; b[j] = b[j - 1]; b[j - 1] = t }
    return n % 2 ? b[(n + 1) / 2] : (b[n / 2] + b[n / 2 + 1]) / 2
}
{
    if ($1 == "bare") { nb++; bf[nb] = $2; bc[nb] = $3; bb[nb] = $4; bl = bl sprintf(" %d (%.1f/%.1f)", $2, $3, $4) }
    else { na++; af[na] = $2; ac[na] = $3; ab[na] = $4; al = al sprintf(" %d (%.1f/%.1f)", $2, $3, $4) }
}
END {
    bare = median(bf, nb); agg = median(af, na); ratio = agg / bare
    per_host = (end - idle) * 1024 / hosts
    printf "drains, frames/s (CPU per frame, us: consumer/broker), in time order:\n"
    printf "  bare consumer (%d deliveries per basic.ack):%s\n", ackbatch, bl
    printf "  psistats-aggregator (%d rules):%s\n", rules, al
    printf "bare consumer (acks only):     %8d frames/s  median of %d drains of %d frames; CPU per frame: consumer %.1f us, broker %.1f us (medians)\n", bare, nb, frames, median(bc, nb), median(bb, nb)
    printf "psistats-aggregator (%d rules): %6d frames/s  median of %d drains; CPU per frame: aggregator %.1f us, broker %.1f us (medians)\n", rules, agg, na, median(ac, na), median(ab, na)
    printf "ratio aggregator/bare:         %8.3f  (medians; goal >= %.1f: %s)\n", ratio, goal, (ratio >= goal ? "met" : "MISSED")
    printf "aggregator RSS: %.1f MiB idle without hosts (anon %.1f), %.1f MiB with %d hosts after the last drain (anon %.1f, peak %.1f), %d threads\n", idle / 1024, idleanon / 1024, end / 1024, hosts, endanon / 1024, hwm / 1024, threads
    printf "memory per host:               %8.1f KiB  ((RSS with hosts - RSS idle) / %d hosts; anon: %.1f KiB)\n", per_host / 1024, hosts, (endanon - idleanon) / hosts
    printf "pending or firing alerts: %d (the full disks and sick miners); first round %d frames (not timed)\n", alerts, first
    printf "RESULT bare_ack_batch=%d bare_fps=%d aggregator_fps=%d ratio=%.3f bare_drains=%d aggregator_drains=%d rss_idle_mib=%.1f rss_hosts_mib=%.1f kib_per_host=%.1f hosts=%d frames=%d aggregator_us_per_frame=%.1f aggregator_broker_us_per_frame=%.1f bare_us_per_frame=%.1f bare_broker_us_per_frame=%.1f\n", ackbatch, bare, agg, ratio, nb, na, idle / 1024, end / 1024, per_host / 1024, hosts, frames, median(ac, na), median(ab, na), median(bc, nb), median(bb, nb)
}'
echo "healthz: $health"
echo "machine: $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), load average $(cut -d' ' -f1-3 /proc/loadavg); $(dpkg-query -W -f='rabbitmq-server ${Version}' rabbitmq-server 2>/dev/null || true)"
