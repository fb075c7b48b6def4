#!/usr/bin/env bash
# The forced command (sshd ForceCommand) of scripts/throwaway-sshd.sh: every SSH session to the
# throwaway sshd runs this script with DIR as its argument and the client's command in
# $SSH_ORIGINAL_COMMAND. It plays the TerraMiner's shell on top of the cgminer simulator:
#
#   each command               appended to DIR/commands.log as "2026-01-01T00:00:00.000Z COMMAND"
#                              (newlines in a command written as \n), before it runs
#   internal-sftp              (scp, which speaks SFTP since OpenSSH 9) exec
#                              /usr/lib/openssh/sftp-server, its log (files opened) in DIR/sftp.log;
#                              when DIR/sftp-delay holds a number N, after sleeping N seconds (a
#                              slow miner, for timeout tests)
#   /sbin/reboot, reboot       POST http://127.0.0.1:CONTROL_PORT/reboot on the simulator; prints
#                              the simulator's status; exit 1 when the simulator refuses (409
#                              while it reboots) or is not reachable
#   /etc/init.d/S99cgminer restart
#                              cgminer API command {"command":"restart"} to 127.0.0.1:API_PORT
#                              (the simulator must run with --allow-privileged); prints the
#                              reply; exit 1 when it is not RESTART (Access denied, no answer)
#   any other reboot, shutdown, poweroff, halt, telinit or "init N"
#                              refused, exit 126: this host is not the miner
#   anything else              run for real by /bin/sh -c (dmesg, lsusb, uptime, sleep 30...); a
#                              command missing here fails as it would on the miner (exit 127)
#
# CONTROL_PORT and API_PORT come from DIR/miner.env, written by throwaway-sshd.sh start.
set -uo pipefail

dir=${1:?usage: miner-shell.sh DIR (run by sshd as its ForceCommand)}
command=${SSH_ORIGINAL_COMMAND-}

printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "${command//$'\n'/\\n}" >>"$dir/commands.log"

API_PORT=""
CONTROL_PORT=""
while IFS='=' read -r key value; do
    case $key in
        API_PORT) API_PORT=$value ;;
        CONTROL_PORT) CONTROL_PORT=$value ;;
    esac
done <"$dir/miner.env"

fail() {
    echo "miner-shell: $*" >&2
    exit 1
}

reboot_miner() {
    [[ -n $CONTROL_PORT ]] || fail "no simulator control port in $dir/miner.env (throwaway-sshd.sh start ... --miner-control-port N): reboot not done"
    local reply
    if ! reply=$(curl -sS --max-time 10 -X POST -w '\n%{http_code}' "http://127.0.0.1:$CONTROL_PORT/reboot" 2>&1); then
        fail "reboot: simulator control port $CONTROL_PORT: $reply"
    fi
    local code=${reply##*$'\n'}
    local body=${reply%$'\n'*}
    [[ $code == 202 ]] || fail "reboot refused by the simulator (HTTP $code): $body"
    echo "The system is going down for reboot NOW! (simulator: $body)"
}

restart_cgminer() {
    [[ -n $API_PORT ]] || fail "no simulator API port in $dir/miner.env (throwaway-sshd.sh start ... --miner-api-port N): restart not done"
    exec 3<>"/dev/tcp/127.0.0.1/$API_PORT" || fail "restart: cgminer API on 127.0.0.1:$API_PORT refused the connection"
    printf '%s' '{"command":"restart"}' >&3
    local reply
    reply=$(timeout 10 tr -d '\0' <&3)
    exec 3<&-
    [[ $reply == *'"STATUS":"RESTART"'* ]] || fail "restart: cgminer answered: ${reply:-nothing}"
    echo "Restarting cgminer: $reply"
}

trimmed=$(sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' <<<"$command")
case $trimmed in
    internal-sftp | /usr/lib/openssh/sftp-server)
        delay=$(cat "$dir/sftp-delay" 2>/dev/null || true)
        if [[ $delay =~ ^[0-9]+$ ]]; then sleep "$delay"; fi
        exec /usr/lib/openssh/sftp-server -e -l INFO 2>>"$dir/sftp.log"
        ;;
    /sbin/reboot | /usr/sbin/reboot | reboot)
        reboot_miner
        exit 0
        ;;
    "/etc/init.d/S99cgminer restart")
        restart_cgminer
        exit 0
        ;;
    "")
        fail "interactive logins are not offered; give a command"
        ;;
esac

# Whatever else would stop this machine is refused: the commands run here for real.
if [[ $command =~ (^|[^[:alnum:]_-])(reboot|shutdown|poweroff|halt|telinit)([^[:alnum:]_-]|$) ||
    $command =~ (^|[^[:alnum:]_-])init[[:space:]]+[0-6S]([^[:alnum:]_-]|$) ]]; then
    echo "miner-shell: refusing '$command': only '/sbin/reboot' is simulated, this host is not the miner" >&2
    exit 126
fi

exec /bin/sh -c "$command"
