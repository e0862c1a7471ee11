#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# (Re)starts the simulated Pi's sshd. Runs inside the namespace as root.
# Without PAM nothing reads /etc/default/locale, so its LANG is handed to sessions with
# SetEnv, the way pam_env would on the Pi (the bad-locale fault relies on this).
set -euo pipefail
pid=$(cat /run/sshd.pid 2>/dev/null || true)
if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.02; done
fi
lang=$(sed -n 's/^LANG=//p' /etc/default/locale | tr -d '"' | head -n 1)
{
    echo "# written by simpi from /etc/default/locale"
    [[ -n $lang ]] && echo "SetEnv LANG=$lang"
} >/etc/ssh/sshd_config.d/simpi-locale.conf
/usr/sbin/sshd -t -f /etc/ssh/sshd_config
setsid /usr/sbin/sshd -D -e -f /etc/ssh/sshd_config </dev/null >>/run/simpi/host/log/sshd.log 2>&1 &
port=$(sed -n 's/^Port //p' /etc/ssh/sshd_config)
for ((i = 0; i < 200; i++)); do
    ss -Hltn "sport = :$port" | grep -q . && exit 0
    sleep 0.02
done
echo "sshd did not start listening on port $port" >&2
exit 1
