#!/usr/bin/env bash
# Installs what the project needs on a Debian 12 machine, only what is missing.
# Idempotent and quiet when everything is there. Run as root (or have the packages
# installed already).
set -euo pipefail

# Debian packages the build, the demo and the tests need. Add new ones here.
PACKAGES="rabbitmq-server amqp-tools python3-jsonschema curl procps sysstat openssh-server openssh-client python3-aiosmtpd"

installed() {
    [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true) == "install ok installed" ]]
}

missing=()
for pkg in $PACKAGES; do
    installed "$pkg" || missing+=("$pkg")
done

if ((${#missing[@]} > 0)); then
    if [[ $(id -u) -ne 0 ]]; then
        echo "setup.sh: ERROR: missing Debian packages: ${missing[*]}" >&2
        echo "setup.sh: run as root, or: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
        exit 1
    fi
    for pkg in "${missing[@]}"; do echo "setup.sh: installing $pkg"; done
    export DEBIAN_FRONTEND=noninteractive
    log=$(mktemp)
    if ! { apt-get update && apt-get install -y --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        rm -f "$log"
        echo "setup.sh: ERROR: apt-get failed to install: ${missing[*]}" >&2
        exit 1
    fi
    rm -f "$log"
    for pkg in "${missing[@]}"; do
        installed "$pkg" || { echo "setup.sh: ERROR: $pkg is still not installed" >&2; exit 1; }
    done
fi

if ! command -v dotnet >/dev/null 2>&1; then
    echo "setup.sh: ERROR: 'dotnet' is not on PATH: install the .NET 10 SDK first" >&2
    exit 1
fi
