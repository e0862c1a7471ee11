#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# faults.sh NAME: injects a named fault into the running simulated Pi (inside, as root).
# Faults that change the broker's files restart it, like a user who edits and restarts; the
# restart's own failure (exit 1) is part of the fault and not an error here.
set -euo pipefail
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
. /run/systemd/simpi/ports
conf=/etc/mosquitto/conf.d

restart_mosquitto() { systemctl restart mosquitto 2>/dev/null || true; }

case $1 in
no-websockets-listener)
    # The broker runs with its plain MQTT listener only.
    cat >"$conf/simpi-fault-listener.conf" <<CONF
listener $MQTT_PORT
protocol mqtt
allow_anonymous true
CONF
    for f in "$conf"/*.conf; do
        [[ $f == "$conf/simpi-fault-listener.conf" ]] && continue
        # Take away any websockets listener a test or the wizard wrote.
        grep -q 'protocol[[:space:]]\+websockets' "$f" && mv "$f" "$f.disabled"
    done
    restart_mosquitto
    ;;
mosquitto-stopped) systemctl stop mosquitto ;;
weewx-stopped) systemctl stop weewx ;;
acl-missing)
    # The manual procedure's mix-up: acl_file names a file that was never created.
    printf 'acl_file /etc/mosquitto/acl\n' >"$conf/simpi-fault-acl.conf"
    rm -f /etc/mosquitto/acl
    restart_mosquitto
    ;;
pwfile-plaintext)
    pw=$(sed -n 's/^[[:space:]]*password_file[[:space:]]\+//p' /etc/mosquitto/mosquitto.conf "$conf"/*.conf 2>/dev/null | tail -n 1 || true)
    if [[ -z $pw ]]; then
        pw=/etc/mosquitto/passwd
        printf 'password_file %s\n' "$pw" >"$conf/simpi-fault-pwfile.conf"
    fi
    # A user added by hand without mosquitto_passwd: the broker drops it with
    # "Invalid password hash type for user weewx, removing entry."
    printf 'weewx:plaintext-password\n' >>"$pw"
    chown mosquitto:mosquitto "$pw"
    chmod 0700 "$pw"
    restart_mosquitto
    ;;
pwfile-unreadable)
    pw=$(sed -n 's/^[[:space:]]*password_file[[:space:]]\+//p' /etc/mosquitto/mosquitto.conf "$conf"/*.conf 2>/dev/null | tail -n 1 || true)
    if [[ -z $pw ]]; then
        pw=/etc/mosquitto/passwd
        printf 'password_file %s\n' "$pw" >"$conf/simpi-fault-pwfile.conf"
        : >"$pw"
    fi
    chown root:root "$pw"
    chmod 0600 "$pw"
    restart_mosquitto
    ;;
bad-locale)
    # Set but not generated: every login prints "locale: Cannot set LC_CTYPE ...".
    echo 'LANG=en_GB.UTF-8' >/etc/default/locale
    /bin/bash /run/simpi/lib/sshd-start.sh
    ;;
port-taken)
    # Something else holds the websockets port (e.g. a second broker or another program).
    systemctl stop mosquitto
    setsid /usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("::", int(sys.argv[1])))
s.listen(5)
while True:
    time.sleep(3600)
' "$WS_PORT" </dev/null >/dev/null 2>&1 &
    echo $! >/run/systemd/simpi/port-taken.pid
    for ((i = 0; i < 250; i++)); do ss -Hltn "sport = :$WS_PORT" | grep -q . && break; sleep 0.02; done
    if ! grep -qsE "^[[:space:]]*listener[[:space:]]+$WS_PORT\b" "$conf"/*.conf; then
        printf 'listener %s\nprotocol mqtt\nlistener %s\nprotocol websockets\nallow_anonymous true\n' \
            "$MQTT_PORT" "$WS_PORT" >"$conf/simpi-fault-ports.conf"
    fi
    systemctl start mosquitto 2>/dev/null || true
    ;;
drop-ssh)
    kill "$(cat /run/sshd.pid)"
    ;;
weewx-conf-broken)
    # Unequal brackets: ConfigObj raises a NestingError, weewxd dies, systemctl said 0.
    printf '\n[[[Broken]]\n' >>/etc/weewx/weewx.conf
    systemctl restart weewx
    ;;
*)
    echo "unknown fault $1" >&2
    exit 2
    ;;
esac
