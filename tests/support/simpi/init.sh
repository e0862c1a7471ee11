#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The init (PID 1) of a simulated Pi: runs inside fresh mount, UTS and PID namespaces made by
# `simpi start`. Builds the Pi's filesystem view, creates its users, starts its services, then
# stays as the reaper. Every write lands in overlay upper dirs or tmpfs; the host is untouched.
set -euo pipefail

DIR=$1
LIB=$2
H=/run/simpi/host # DIR, as seen inside the namespace (DIR itself may sit under the hidden /tmp)

fail() {
    echo "simpi init: $*" >&2
    touch "$H/failed" 2>/dev/null || touch "$DIR/failed"
    exit 1
}
trap 'fail "line $LINENO: $BASH_COMMAND"' ERR

env_value() { sed -n "s/^$1=//p" "$DIR/simpi.env"; }
SSH_PORT=$(env_value SSH_PORT)
MQTT_PORT=$(env_value MQTT_PORT)
WS_PORT=$(env_value WS_PORT)
# Set by `simpi start --netns NAME --address ADDR` only (the benchmarks' two-host setup).
SSH_LISTEN=$(env_value SSH_LISTEN)
SSH_LOGLEVEL=$(env_value SSH_LOGLEVEL)

# Belt and braces: nothing below may propagate to the host's mount table.
mount --make-rprivate /
hostname raspberrypi

# /run first: it carries the view of DIR and the simulator's state.
mount -t tmpfs -o mode=0755 simpi-run /run
mkdir -p /run/simpi/host /run/simpi/lib /run/sshd /run/lock /run/log/journal
chmod 0700 /run/simpi
mount --bind "$DIR" "$H"
cp -a "$LIB"/. /run/simpi/lib/

for d in etc home var root; do
    mount -t overlay "simpi-$d" -o "lowerdir=/$d,upperdir=$H/upper/$d,workdir=$H/work/$d" "/$d"
done
mount -t tmpfs -o mode=1777 simpi-tmp /tmp
# The shim directory: /usr/local/bin comes first on the PATH sshd, login and sudo's
# secure_path give every user, so systemctl, journalctl and weectl resolve to the shims.
mount -t tmpfs -o mode=0755 simpi-shims /usr/local/bin
mkdir -p /var/log/mosquitto /var/lib/weewx
mount -t tmpfs -o mode=0755 simpi-mosquitto-log /var/log/mosquitto
mount -t tmpfs -o mode=0755 simpi-weewx-lib /var/lib/weewx
cp -a /etc/mosquitto/. /run/simpi/etc-mosquitto.orig/ 2>/dev/null || mkdir -p /run/simpi/etc-mosquitto.orig
mount -t tmpfs -o mode=0755 simpi-mosquitto-etc /etc/mosquitto
# The journal of the shims lives in DIR so the host can read it too.
mount --bind "$H/journal" /run/log/journal

for f in systemctl journalctl weectl weewxd simpi_weewx.py; do
    if [[ -f /run/simpi/lib/shims/$f ]]; then
        install -m 0755 /run/simpi/lib/shims/$f /usr/local/bin/$f
    fi
done

# --- identity -------------------------------------------------------------------------------
echo raspberrypi >/etc/hostname
# sudo warns "unable to resolve host" on every call when the hostname does not resolve.
grep -q raspberrypi /etc/hosts || printf '127.0.1.1\traspberrypi\n' >>/etc/hosts
# Raspberry Pi OS sets en_GB.UTF-8; this machine has no locales package, so the working
# locale is C.UTF-8. sshd below passes LANG on like pam_env would.
echo 'LANG=C.UTF-8' >/etc/default/locale

# --- users (inside the namespace only: /etc and /home are overlays) --------------------------
getent group weewx >/dev/null || groupadd --system weewx
getent passwd weewx >/dev/null ||
    useradd --system --gid weewx --home-dir /var/lib/weewx --no-create-home \
        --shell /usr/sbin/nologin --comment 'WeeWX weather system' weewx
# pi: password sudo through Debian's "%sudo ALL=(ALL:ALL) ALL", like a Raspberry Pi OS user
# whose 010_pi-nopasswd file was removed.
useradd --create-home --shell /bin/bash --groups sudo,adm,users pi
useradd --create-home --shell /bin/bash --groups users nosudo
useradd --create-home --shell /bin/bash --groups users nopasswd
for u in pi nosudo nopasswd; do
    # chpasswd reads "user:password" on stdin: the password never reaches a command line.
    { printf '%s:' "$u"; cat "$H/secrets/$u.password"; echo; } | chpasswd
    install -d -m 0700 -o "$u" -g "$u" "/home/$u/.ssh"
    install -m 0600 -o "$u" -g "$u" "$H/client_ed25519.pub" "/home/$u/.ssh/authorized_keys"
done
printf 'nopasswd ALL=(ALL:ALL) NOPASSWD: ALL\n' >/etc/sudoers.d/010_nopasswd-nopasswd
chmod 0440 /etc/sudoers.d/010_nopasswd-nopasswd
visudo -c -q >/dev/null

# --- sshd -----------------------------------------------------------------------------------
install -m 0600 "$H/ssh_host_ed25519_key" /etc/ssh/ssh_host_ed25519_key
install -m 0644 "$H/ssh_host_ed25519_key.pub" /etc/ssh/ssh_host_ed25519_key.pub
cat >/etc/ssh/sshd_config <<CONF
# simulated Raspberry Pi: sshd on a free loopback port; VERBOSE logs every session
# ("Starting session: command ..."), which the tests and the benchmarks count
Port $SSH_PORT
ListenAddress ${SSH_LISTEN:-127.0.0.1}
LogLevel ${SSH_LOGLEVEL:-VERBOSE}
HostKey /etc/ssh/ssh_host_ed25519_key
PidFile /run/sshd.pid
UsePAM no
PermitRootLogin no
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
AuthorizedKeysFile .ssh/authorized_keys
PrintMotd no
Subsystem sftp /usr/lib/openssh/sftp-server
Include /etc/ssh/sshd_config.d/*.conf
CONF
mkdir -p /etc/ssh/sshd_config.d
rm -f /etc/ssh/sshd_config.d/*.conf
/bin/bash /run/simpi/lib/sshd-start.sh

# --- the Pi's software -------------------------------------------------------------------
if [[ -f /run/simpi/lib/provision.sh ]]; then
    MQTT_PORT=$MQTT_PORT WS_PORT=$WS_PORT /bin/bash /run/simpi/lib/provision.sh
fi

trap - ERR
touch "$H/ready"
echo "simpi init: ready"
# PID 1 of the namespace: reap orphans (bash reaps on SIGCHLD while it waits).
while :; do
    sleep 3600 &
    wait $! || true
done
