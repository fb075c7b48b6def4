#!/usr/bin/env bash
# Psistats: one entry point for the demo and the tests.
#
#   ./run.sh demo            build, start a private broker, the aggregator, the agent and a simulated
#                            Cointerra miner it polls; run until Ctrl-C / SIGTERM stops them all
#   ./run.sh test [ARGS...]  build, start a private test broker, run dotnet test
#                            (ARGS go to dotnet test, e.g. --filter Category=Unit)
#   ./run.sh help
#
# Environment:
#   PSISTATS_AMQP_PORT       broker port for the demo (default 5672)
#   PSISTATS_HTTP_PORT       aggregator HTTP port for the demo (default 8080)
#   PSISTATS_TEST_AMQP_PORT  broker port for the tests (default 5673)
#   PSISTATS_RUN_DIR         state, logs and test results (default ./.run)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$(pwd)
SOLUTION="$ROOT/Psistats.sln"
CONFIGURATION=Release
BROKER="$ROOT/scripts/broker.sh"
RUN_DIR=${PSISTATS_RUN_DIR:-$ROOT/.run}
mkdir -p "$RUN_DIR"
RUN_DIR=$(cd "$RUN_DIR" && pwd)
export PSISTATS_RUN_DIR="$RUN_DIR"
LOG_DIR="$RUN_DIR/logs"

AGGREGATOR_DLL="$ROOT/Aggregator/bin/$CONFIGURATION/net10.0/psistats-aggregator.dll"
AGENT_DLL="$ROOT/Agent/bin/$CONFIGURATION/net10.0/psistats-agent.dll"
SIMULATOR_DLL="$ROOT/tests/CgminerSimulator/bin/$CONFIGURATION/net10.0/cgminer-simulator.dll"
CONFIG_FILE="$ROOT/psistats.ini"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { echo "run.sh: $*"; }
err() { echo "run.sh: ERROR: $*" >&2; }

usage() { sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

# ---------------------------------------------------------------------------
# Background processes started by this script: one list, stopped in reverse order.
BG_NAMES=()
BG_PIDS=()
BG_LOGS=()
BROKER_PORT=""      # set when this script started the broker, so cleanup stops it
FG_PID=""           # dotnet test, while it runs
DEMO_RUNNING=0      # 1 once the demo is up: Ctrl-C / SIGTERM then exit 0
DEMO_SSHD_DIR=""    # the demo's throwaway sshd, stopped by cleanup

# start_bg NAME CMD...   (set extra environment with: start_bg NAME env VAR=value CMD...)
# Runs CMD in its own session (so Ctrl-C reaches only this script, which then stops it
# cleanly), with stdout+stderr in $LOG_DIR/NAME.log.
start_bg() {
    local name=$1
    shift
    local logf="$LOG_DIR/$name.log"
    mkdir -p "$LOG_DIR"
    : >"$logf"
    setsid "$@" >>"$logf" 2>&1 </dev/null &
    local pid=$!
    BG_NAMES+=("$name")
    BG_PIDS+=("$pid")
    BG_LOGS+=("$logf")
    log "started $name (pid $pid), log: $logf"
}

show_log_tail() { # NAME LOGFILE
    echo "---- last lines of $2 ($1) ----" >&2
    tail -n 40 "$2" >&2 || true
    echo "----" >&2
}

# Fails (with the tail of its log) if a started process has exited.
check_bg_alive() {
    local i
    for i in "${!BG_PIDS[@]}"; do
        if ! kill -0 "${BG_PIDS[$i]}" 2>/dev/null; then
            local rc=0
            wait "${BG_PIDS[$i]}" 2>/dev/null || rc=$?
            err "${BG_NAMES[$i]} exited during start-up (exit code $rc)"
            show_log_tail "${BG_NAMES[$i]}" "${BG_LOGS[$i]}"
            return 1
        fi
    done
}

stop_bg_all() {
    local i pid
    ((${#BG_PIDS[@]} > 0)) || return 0
    # SIGTERM to each process group, newest first (the agent before the aggregator)
    for ((i = ${#BG_PIDS[@]} - 1; i >= 0; i--)); do
        pid=${BG_PIDS[$i]}
        if kill -0 "$pid" 2>/dev/null; then
            log "stopping ${BG_NAMES[$i]} (pid $pid)"
            kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
        fi
    done
    local deadline=$((SECONDS + 15))
    for ((i = ${#BG_PIDS[@]} - 1; i >= 0; i--)); do
        pid=${BG_PIDS[$i]}
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
        if kill -0 "$pid" 2>/dev/null; then
            err "${BG_NAMES[$i]} (pid $pid) did not stop within 15 s: killing it"
            kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    done
    BG_NAMES=()
    BG_PIDS=()
    BG_LOGS=()
}

# Waits for the cgminer simulator's ready line in LOGFILE ("cgminer-simulator NAME listening on
# 127.0.0.1:PORT, control on 127.0.0.1:CPORT") and sets MINER_API_PORT and MINER_CONTROL_PORT.
MINER_API_PORT=""
MINER_CONTROL_PORT=""
wait_for_simulator() { # LOGFILE
    local deadline=$((SECONDS + 30)) ports=""
    while [[ -z $ports ]]; do
        check_bg_alive || return 1
        if ((SECONDS >= deadline)); then
            err "the cgminer simulator did not say it was listening within 30 s"
            show_log_tail cointerra "$1"
            return 1
        fi
        sleep 0.2
        ports=$(sed -n 's/^cgminer-simulator .* listening on 127\.0\.0\.1:\([0-9]*\), control on 127\.0\.0\.1:\([0-9]*\)$/\1 \2/p' "$1")
    done
    read -r MINER_API_PORT MINER_CONTROL_PORT <<<"$ports"
}

start_broker() { # PORT [always-stop]
    # A broker that was already running (e.g. left by the user) is left running at exit,
    # unless always-stop. Set before starting: an interrupted start is cleaned up too.
    if [[ ${2:-} == always-stop ]] || ! PSISTATS_AMQP_PORT=$1 "$BROKER" status >/dev/null 2>&1; then
        BROKER_PORT=$1
    fi
    PSISTATS_AMQP_PORT=$1 "$BROKER" start
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    # Finish the clean-up even when the terminal or the pipe we print to is gone.
    trap '' PIPE
    set +e
    if [[ -n $FG_PID ]] && kill -0 "$FG_PID" 2>/dev/null; then
        log "stopping dotnet test (pid $FG_PID)"
        kill -TERM "$FG_PID" 2>/dev/null || true
        local deadline=$((SECONDS + 5))
        while kill -0 "$FG_PID" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
        kill -TERM -- "-$FG_PID" 2>/dev/null || true   # test hosts and build nodes left over
        sleep 0.5
        kill -KILL -- "-$FG_PID" 2>/dev/null || true
    fi
    stop_bg_all || true
    if [[ -n $DEMO_SSHD_DIR ]]; then
        "$ROOT/scripts/throwaway-sshd.sh" stop "$DEMO_SSHD_DIR" >/dev/null 2>&1 || true
    fi
    if [[ -n $BROKER_PORT ]]; then
        PSISTATS_AMQP_PORT=$BROKER_PORT "$BROKER" stop || true
    fi
    exit "$rc"
}

# The terminal is gone: log the clean-up to a file instead, then exit.
on_hup() {
    mkdir -p "$LOG_DIR"
    exec >>"$LOG_DIR/run.log" 2>&1
    echo "run.sh: hang-up received at $(date '+%F %T'): stopping"
    exit "$1"
}

free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# shellcheck disable=SC2016  # $1 is expanded by the inner bash
port_in_use() { timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null; }

build() {
    log "dotnet build $(basename "$SOLUTION") -c $CONFIGURATION"
    dotnet build "$SOLUTION" -c "$CONFIGURATION"
}

# ---------------------------------------------------------------------------
# Sums the results of the TRX files (one per test project) in DIR and prints
# "N passed, N failed, N skipped". Counts the outcome of each top-level
# UnitTestResult (the <Counters> element does not count xunit's skipped tests);
# falls back to <Counters> for a TRX without results.
trx_summary() { # DIR
    /usr/bin/python3 - "$1" <<'PY'
import glob, os, sys
import xml.etree.ElementTree as ET
NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
passed = failed = skipped = 0
failures = []  # (test name, first lines of its message and stack), printed before the counts
for path in sorted(glob.glob(os.path.join(sys.argv[1], "**", "*.trx"), recursive=True)):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        print(f"run.sh: cannot read {path}: {e}", file=sys.stderr)
        continue
    results = root.findall(f"{NS}Results/{NS}UnitTestResult")
    if results:
        for r in results:
            outcome = r.get("outcome", "")
            if outcome in ("Passed", "PassedButRunAborted"):
                passed += 1
            elif outcome in ("Failed", "Error", "Timeout", "Aborted"):
                failed += 1
                info = r.find(f"{NS}Output/{NS}ErrorInfo")
                text = ""
                if info is not None:
                    text = "\n".join(filter(None, ((info.findtext(f"{NS}Message") or "").strip(),
                                                   (info.findtext(f"{NS}StackTrace") or "").strip())))
                failures.append((r.get("testName", "?"), outcome, text))
            else:
                skipped += 1
        continue
    c = root.find(f"{NS}ResultSummary/{NS}Counters")
    if c is not None:
        n = lambda k: int(c.get(k, "0") or 0)
        passed += n("passed")
        failed += n("failed") + n("error") + n("timeout") + n("aborted")
        skipped += max(n("total") - n("executed"), 0)
for name, outcome, text in failures:
    print(f"{outcome.upper()}: {name}")
    for line in text.splitlines()[:25]:
        print(f"    {line}")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
}

cmd_test() {
    local port=${PSISTATS_TEST_AMQP_PORT:-5673}
    local results="$RUN_DIR/test-results"
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'on_hup 129' HUP

    "$ROOT/scripts/setup.sh"
    build

    # A node left on the test port by another checkout is ours to replace.
    PSISTATS_BROKER_TAKEOVER=1 start_broker "$port" always-stop
    export PSISTATS_AMQP_PORT="$port"
    export PSISTATS_TEST_AMQP_URL="amqp://guest:guest@127.0.0.1:$port/"
    export PSISTATS_TEST_BROKER_SCRIPT="$BROKER"

    rm -rf "$results"
    mkdir -p "$results"
    log "dotnet test $(basename "$SOLUTION") -c $CONFIGURATION $*"
    local rc=0
    # trx without LogFileName: a fixed name would be overwritten by each test project;
    # the default names are unique, one file per test project.
    # In its own process group, in the background: a SIGTERM/Ctrl-C to this script then
    # stops the whole test run (test hosts included) at once, in cleanup.
    setsid dotnet test "$SOLUTION" -c "$CONFIGURATION" --no-build \
        --logger "console;verbosity=normal" --logger "trx" \
        --results-directory "$results" "$@" </dev/null &
    FG_PID=$!
    wait "$FG_PID" || rc=$?
    FG_PID=""

    local summary
    summary=$(trx_summary "$results") || summary=""
    # stop the broker now, so that the summary is the last line printed
    PSISTATS_AMQP_PORT=$BROKER_PORT "$BROKER" stop || true
    BROKER_PORT=""
    if ((rc != 0)); then err "dotnet test exited with code $rc"; fi
    if [[ -n $summary ]]; then echo "$summary"; fi
    exit "$rc"
}

cmd_demo() {
    local port=${PSISTATS_AMQP_PORT:-5672}
    local http_port=${PSISTATS_HTTP_PORT:-8080}
    local amqp_url="amqp://guest:guest@127.0.0.1:$port/"
    local base_url="http://127.0.0.1:$http_port"
    trap cleanup EXIT
    trap 'if ((DEMO_RUNNING)); then exit 0; else exit 130; fi' INT
    trap 'if ((DEMO_RUNNING)); then exit 0; else exit 143; fi' TERM
    trap 'if ((DEMO_RUNNING)); then on_hup 0; else on_hup 129; fi' HUP

    "$ROOT/scripts/setup.sh"
    if port_in_use "$http_port"; then
        err "HTTP port $http_port on 127.0.0.1 is already in use; set PSISTATS_HTTP_PORT"
        exit 1
    fi
    build
    local f
    for f in "$AGGREGATOR_DLL" "$AGENT_DLL" "$SIMULATOR_DLL" "$CONFIG_FILE"; do
        [[ -f $f ]] || { err "missing $f"; exit 1; }
    done
    start_broker "$port"

    # A simulated Cointerra TerraMiner on free ports (privileged API commands on, so that cgminer can be
    # restarted; a cgminer-style log the remediation copies), and a throwaway sshd on loopback that plays
    # the miner's sshd: its forced command logs each command, runs diagnostics for real, and turns
    # /sbin/reboot into the simulator's reboot (scripts/throwaway-sshd.sh, scripts/miner-shell.sh).
    local miner=terraminer demo_dir="$RUN_DIR/demo"
    local sim_log="$demo_dir/cgminer.log" maildir="$demo_dir/Maildir"
    mkdir -p "$demo_dir" "$maildir/cur" "$maildir/new" "$maildir/tmp"
    start_bg cointerra dotnet "$SIMULATOR_DLL" --port 0 --control-port 0 --name "$miner" \
        --allow-privileged --reboot-delay 20 --log-file "$sim_log"
    wait_for_simulator "$LOG_DIR/cointerra.log" || exit 1
    DEMO_SSHD_DIR="$demo_dir/sshd"
    "$ROOT/scripts/throwaway-sshd.sh" stop "$DEMO_SSHD_DIR" >/dev/null 2>&1 || true
    "$ROOT/scripts/throwaway-sshd.sh" start "$DEMO_SSHD_DIR" 0 \
        --miner-api-port "$MINER_API_PORT" --miner-control-port "$MINER_CONTROL_PORT" >/dev/null
    # shellcheck disable=SC1091  # written by throwaway-sshd.sh start
    . "$DEMO_SSHD_DIR/sshd.env"
    log "throwaway sshd for $miner on 127.0.0.1:$SSHD_PORT, commands: $SSHD_COMMANDS_LOG"
    # A real SMTP server (Debian's aiosmtpd) storing every email in a local Maildir.
    local smtp_port
    smtp_port=$(free_port)
    start_bg smtp /usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$maildir"

    start_bg aggregator env \
        "PSISTATS_server__url=$amqp_url" \
        "PSISTATS_aggregator__listen=$base_url" \
        "PSISTATS_aggregator__console=log" \
        "PSISTATS_aggregator__state_dir=$demo_dir/state" \
        "PSISTATS_email__enabled=yes" \
        "PSISTATS_email__smtp_host=127.0.0.1" \
        "PSISTATS_email__smtp_port=$smtp_port" \
        "PSISTATS_email__from=psistats-demo@localhost" \
        "PSISTATS_email__to=you@localhost" \
        "PSISTATS_email__digest_interval=15" \
        "PSISTATS_miner__${miner}__host=$SSHD_HOST" \
        "PSISTATS_miner__${miner}__port=$SSHD_PORT" \
        "PSISTATS_miner__${miner}__user=$SSHD_USER" \
        "PSISTATS_miner__${miner}__identity_file=$SSHD_IDENTITY" \
        "PSISTATS_miner__${miner}__known_hosts_file=$SSHD_KNOWN_HOSTS" \
        "PSISTATS_miner__${miner}__log_files=$sim_log" \
        "PSISTATS_miner__${miner}__cooldown=60" \
        dotnet "$AGGREGATOR_DLL" --config "$CONFIG_FILE"
    # The agent polls the miner as a [cgminer:terraminer] section added through the environment
    # (proxy mode), beside this host's own reporters.
    start_bg agent env \
        "PSISTATS_server__url=$amqp_url" \
        "PSISTATS_cgminer__${miner}__host=127.0.0.1" \
        "PSISTATS_cgminer__${miner}__port=$MINER_API_PORT" \
        "PSISTATS_cgminer__${miner}__interval=5" \
        dotnet "$AGENT_DLL" --config "$CONFIG_FILE"

    log "waiting for $base_url/healthz"
    local deadline=$((SECONDS + 30))
    until curl -fsS -o /dev/null --max-time 2 "$base_url/healthz" 2>/dev/null; do
        check_bg_alive || exit 1
        if ((SECONDS >= deadline)); then
            err "the aggregator did not answer $base_url/healthz within 30 s"
            show_log_tail aggregator "$LOG_DIR/aggregator.log"
            exit 1
        fi
        sleep 0.5
    done
    check_bg_alive || exit 1
    # shellcheck disable=SC2034  # read by the INT/TERM traps
    DEMO_RUNNING=1

    local host=${HOSTNAME:-$(hostname)}
    host=${host%%.*}
    cat <<EOF

Psistats demo is running. Press Ctrl-C to stop everything.

  API:
    $base_url/api/hosts
    $base_url/api/hosts/$host
    $base_url/api/hosts/$miner
    $base_url/api/alerts                (pending and firing alerts)
    $base_url/api/events?host=$miner    (alert transitions and remediation steps)
    $base_url/api/rules
    $base_url/healthz

  Simulated Cointerra miner "$miner": cgminer API on 127.0.0.1:$MINER_API_PORT, polled by the agent
  every 5 s and shown as host $miner. Its control port switches faults on and off:
    curl http://127.0.0.1:$MINER_CONTROL_PORT/faults                     (every fault, on or off)
    curl -X PUT http://127.0.0.1:$MINER_CONTROL_PORT/faults/asic-sick    (ASC 0 goes Sick; also die-inactive,
                                                        asic-dead, pool-dead, temp-climb, refuse, hang, ...)
    curl -X DELETE http://127.0.0.1:$MINER_CONTROL_PORT/faults           (all off)

  The whole remediation story (docs/remediation.md): lose a die
    curl -X PUT http://127.0.0.1:$MINER_CONTROL_PORT/faults/die-inactive
  then, within about a minute: 3 error polls (cointerra_dies_lost), a "remediation starts" email,
  diagnostics and the log copy over SSH, /sbin/reboot (the simulator reboots: 20 s without API),
  an email with the .tar.gz bundle, the miner healthy again and a resolve notice. Watch:
    tail -f $SSHD_COMMANDS_LOG     (each command the miner's sshd ran)
    ls $maildir/new                (every email; read one with: cat FILE)
    curl '$base_url/api/events?host=$miner'
  A warning instead (no reboot; a digest email once the average core passes 85 C, about 2.5 min):
    curl -X PUT http://127.0.0.1:$MINER_CONTROL_PORT/faults/temp-climb

  Logs:
    aggregator: $LOG_DIR/aggregator.log
    agent:      $LOG_DIR/agent.log
    simulator:  $LOG_DIR/cointerra.log  (its cgminer log: $sim_log)
    sshd:       $DEMO_SSHD_DIR/sshd.log
    smtp:       $LOG_DIR/smtp.log
    broker:     $RUN_DIR/broker-$port/log/

  Watch the frames on the broker with a third-party AMQP client:
    amqp-consume --url amqp://guest:guest@127.0.0.1:$port -e psistats -r 'psistats.#' cat
  (amqp-tools reads a trailing '/' in the URL as an empty vhost name: leave it out)

EOF
    # Stay in the foreground until Ctrl-C / SIGTERM; report a process that exits.
    local -a live=("${BG_PIDS[@]}")
    local done_pid rc i
    while ((${#live[@]} > 0)); do
        rc=0
        done_pid=""
        wait -n -p done_pid "${live[@]}" || rc=$?
        if [[ -z $done_pid ]]; then
            # interrupted by a signal (whose trap exits), or nothing left to wait for
            if ((rc > 128)); then continue; fi
            break
        fi
        for i in "${!BG_PIDS[@]}"; do
            if [[ ${BG_PIDS[$i]} == "$done_pid" ]]; then
                err "${BG_NAMES[$i]} exited (code $rc)"
                show_log_tail "${BG_NAMES[$i]}" "${BG_LOGS[$i]}"
            fi
        done
        local -a still=()
        for i in "${live[@]}"; do [[ $i == "$done_pid" ]] || still+=("$i"); done
        live=("${still[@]}")
    done
    err "all demo processes have exited"
    exit 1
}

case ${1:-help} in
    test) shift; cmd_test "$@" ;;
    demo) shift; cmd_demo "$@" ;;
    help | -h | --help) usage ;;
    *) usage >&2; exit 2 ;;
esac
