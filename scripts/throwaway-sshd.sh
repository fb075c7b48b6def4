#!/usr/bin/env bash
# A throwaway OpenSSH server on 127.0.0.1 that plays a Cointerra TerraMiner's sshd, for the
# demo and the tests. It never touches the system's sshd: own host key, own client key, own
# authorized_keys, own config, own pid file, all in DIR. Every session runs the forced command
# scripts/miner-shell.sh, which logs the command and fakes the miner's reboot and cgminer restart
# on the cgminer simulator (docs/cgminer-simulator.md); see that script for what it does.
#
# Usage:
#   scripts/throwaway-sshd.sh start DIR PORT [--miner-api-port N] [--miner-control-port N]   (PORT 0: a free port)
#   scripts/throwaway-sshd.sh stop DIR
#   scripts/throwaway-sshd.sh status DIR
#
# start  creates DIR and, once, the keys (ed25519, no passphrase):
#          DIR/ssh_host_ed25519_key     the server's host key
#          DIR/id_ed25519               the client key to log in with (IdentityFile)
#          DIR/impostor_host_ed25519_key  another host key, only for DIR/known_hosts.wrong
#        and on every start:
#          DIR/authorized_keys          the client key, for the current user only
#          DIR/known_hosts              "[127.0.0.1]:PORT ssh-ed25519 ..." (UserKnownHostsFile)
#          DIR/known_hosts.wrong        the same host with the impostor's key (host key mismatch)
#          DIR/miner.env                the simulator's ports for the forced command
#          DIR/sshd_config              Port PORT on 127.0.0.1, keys only, ForceCommand
#          DIR/sshd.env                 SSHD_PORT, SSHD_USER, SSHD_IDENTITY, SSHD_KNOWN_HOSTS, ... (also
#                                       printed; shell syntax: ". DIR/sshd.env" sets them)
#        then runs /usr/sbin/sshd -D -e in the background (its log: DIR/sshd.log, its pid:
#        DIR/sshd.pid) and waits until PORT accepts connections. Already running: exit 1.
#        The forced command appends each command to DIR/commands.log ("TIMESTAMP COMMAND") and
#        the SFTP server's log (files opened by scp) to DIR/sftp.log.
# stop   stops that sshd (SIGTERM, SIGKILL after 5 s) and waits until its port is closed; sessions
#        in progress end on their own, as with a real sshd. Not running: nothing to do, exit 0.
# status exit 0 and "running PID" when it runs, exit 3 and "stopped" otherwise.
#
#   --miner-api-port N      the simulator's cgminer API port (for "/etc/init.d/S99cgminer restart")
#   --miner-control-port N  the simulator's HTTP control port (for "/sbin/reboot")
#   PSISTATS_SSHD_TIMEOUT   seconds to wait for the port (default 10)
#
# As root (CI) the login user is root and /run/sshd (sshd's privilege separation directory) is
# created; otherwise the login user is the current user. Needs Debian's openssh-server (with
# openssh-sftp-server) and openssh-client (ssh-keygen); curl for the faked reboot; python3 for PORT 0.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SSHD=/usr/sbin/sshd
TIMEOUT=${PSISTATS_SSHD_TIMEOUT:-10}

die() { echo "throwaway-sshd: ERROR: $*" >&2; exit 1; }
usage() {
    echo "usage: $0 start DIR PORT [--miner-api-port N] [--miner-control-port N] | stop DIR | status DIR" >&2
    exit 2
}

is_port() { [[ $1 =~ ^[0-9]+$ ]] && ((10#$1 >= 1 && 10#$1 <= 65535)); }

# The config file splits on blanks and the forced command goes through a shell: keep DIR plain.
check_dir() {
    [[ $1 == /* ]] || die "DIR must be an absolute path (got '$1')"
    [[ $1 =~ ^[A-Za-z0-9/._+-]+$ ]] || die "DIR may only contain letters, digits and / . _ + - (got '$1')"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A zombie (not yet reaped by its new parent) has no exe link: it counts as gone.
sshd_alive() { [[ $(readlink "/proc/$1/exe" 2>/dev/null) == "$SSHD" ]]; }

running_pid() {
    local pid
    [[ -s $1/sshd.pid ]] || return 1
    pid=$(<"$1/sshd.pid")
    [[ $pid =~ ^[0-9]+$ ]] && sshd_alive "$pid" || return 1
    echo "$pid"
}

known_hosts_name() {
    if [[ $1 == 22 ]]; then echo "127.0.0.1"; else echo "[127.0.0.1]:$1"; fi
}

start() {
    (($# >= 2)) || usage
    local dir=$1 port=$2 api_port="" control_port=""
    shift 2
    while (($# > 0)); do
        case $1 in
            --miner-api-port)
                if ! (($# >= 2)) || ! is_port "$2"; then die "--miner-api-port needs a port number"; fi
                api_port=$2
                shift 2
                ;;
            --miner-control-port)
                if ! (($# >= 2)) || ! is_port "$2"; then die "--miner-control-port needs a port number"; fi
                control_port=$2
                shift 2
                ;;
            *) echo "throwaway-sshd: unknown option '$1'" >&2; usage ;;
        esac
    done
    check_dir "$dir"
    [[ $SCRIPT_DIR =~ ^[A-Za-z0-9/._+-]+$ ]] || die "the repository path may only contain letters, digits and / . _ + - (got '$SCRIPT_DIR')"
    if [[ $port == 0 ]]; then
        port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') ||
            die "could not find a free port (python3)"
    fi
    is_port "$port" || die "PORT must be 0 or a number between 1 and 65535 (got '$port')"
    [[ -x $SSHD ]] || die "$SSHD not found: install Debian's openssh-server (apt-get install -y openssh-server openssh-client)"
    command -v ssh-keygen >/dev/null || die "ssh-keygen not found: install Debian's openssh-client"
    [[ -x /usr/lib/openssh/sftp-server ]] || die "/usr/lib/openssh/sftp-server not found: install Debian's openssh-sftp-server"
    if pid=$(running_pid "$dir"); then die "already running in $dir (pid $pid)"; fi
    if port_open "$port"; then die "port $port on 127.0.0.1 is already in use"; fi

    mkdir -p "$dir"
    chmod 700 "$dir"
    local user
    user=$(id -un)
    for key in ssh_host_ed25519_key id_ed25519 impostor_host_ed25519_key; do
        [[ -f $dir/$key ]] || ssh-keygen -q -t ed25519 -N "" -C "psistats-throwaway-$key" -f "$dir/$key" >/dev/null
    done
    cp "$dir/id_ed25519.pub" "$dir/authorized_keys"
    local name
    name=$(known_hosts_name "$port")
    echo "$name $(cut -d' ' -f1,2 "$dir/ssh_host_ed25519_key.pub")" >"$dir/known_hosts"
    echo "$name $(cut -d' ' -f1,2 "$dir/impostor_host_ed25519_key.pub")" >"$dir/known_hosts.wrong"
    {
        echo "API_PORT=$api_port"
        echo "CONTROL_PORT=$control_port"
    } >"$dir/miner.env"
    touch "$dir/commands.log" "$dir/sftp.log"

    cat >"$dir/sshd_config" <<EOF
# generated by scripts/throwaway-sshd.sh: a throwaway sshd for the demo and the tests
Port $port
ListenAddress 127.0.0.1
HostKey $dir/ssh_host_ed25519_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
AllowUsers $user
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitTTY no
X11Forwarding no
AllowTcpForwarding no
AllowAgentForwarding no
PermitUserEnvironment no
PrintMotd no
LogLevel INFO
# sshd runs the forced command with SSH_ORIGINAL_COMMAND=internal-sftp for scp (SFTP).
Subsystem sftp internal-sftp
ForceCommand /bin/bash $SCRIPT_DIR/miner-shell.sh $dir
EOF
    if [[ $(id -u) -eq 0 ]]; then
        mkdir -p /run/sshd
        chmod 755 /run/sshd
    fi
    "$SSHD" -t -f "$dir/sshd_config" || die "sshd rejected $dir/sshd_config"

    rm -f "$dir/sshd.pid"
    setsid "$SSHD" -D -e -f "$dir/sshd_config" </dev/null >>"$dir/sshd.log" 2>&1 &
    local launched=$!
    local deadline=$((SECONDS + TIMEOUT))
    until port_open "$port"; do
        if [[ $(awk '{print $3}' "/proc/$launched/stat" 2>/dev/null || echo Z) == Z ]]; then
            tail -n 20 "$dir/sshd.log" >&2 || true
            die "sshd exited at start-up (log: $dir/sshd.log)"
        fi
        if ((SECONDS >= deadline)); then
            kill "$launched" 2>/dev/null || true
            die "sshd did not accept connections on 127.0.0.1:$port within $TIMEOUT s (log: $dir/sshd.log)"
        fi
        sleep 0.05
    done
    until [[ -s $dir/sshd.pid ]]; do
        ((SECONDS < deadline)) || die "sshd did not write $dir/sshd.pid within $TIMEOUT s"
        sleep 0.05
    done

    cat >"$dir/sshd.env" <<EOF
SSHD_HOST=127.0.0.1
SSHD_PORT=$port
SSHD_USER=$user
SSHD_IDENTITY=$dir/id_ed25519
SSHD_KNOWN_HOSTS=$dir/known_hosts
SSHD_KNOWN_HOSTS_WRONG=$dir/known_hosts.wrong
SSHD_COMMANDS_LOG=$dir/commands.log
SSHD_SFTP_LOG=$dir/sftp.log
SSHD_LOG=$dir/sshd.log
SSHD_PID=$(<"$dir/sshd.pid")
EOF
    cat "$dir/sshd.env"
}

stop() {
    (($# == 1)) || usage
    local dir=$1 pid port
    check_dir "$dir"
    if ! pid=$(running_pid "$dir"); then
        echo "throwaway-sshd: not running in $dir"
        return 0
    fi
    port=$(sed -n 's/^Port //p' "$dir/sshd_config")
    kill -TERM "$pid"
    local deadline=$((SECONDS + 5))
    while sshd_alive "$pid"; do
        if ((SECONDS >= deadline)); then
            kill -KILL "$pid" 2>/dev/null || true
        fi
        sleep 0.05
    done
    while port_open "$port"; do sleep 0.05; done
    rm -f "$dir/sshd.pid"
    echo "throwaway-sshd: stopped (pid $pid, port $port)"
}

status() {
    (($# == 1)) || usage
    local pid
    check_dir "$1"
    if pid=$(running_pid "$1"); then
        echo "running $pid"
    else
        echo "stopped"
        exit 3
    fi
}

(($# >= 1)) || usage
verb=$1
shift
case $verb in
    start) start "$@" ;;
    stop) stop "$@" ;;
    status) status "$@" ;;
    *) usage ;;
esac
