#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The software of a fresh simulated Pi, as apt and weectl leave it: mosquitto in Debian's layout
# (running, no listener configured), WeeWX 5 as a Debian package with Belchertown installed and
# no MQTT. Runs inside the namespace as root, from init.sh. Env: MQTT_PORT, WS_PORT.
set -euo pipefail
LIB=/run/simpi/lib

# --- mosquitto (Debian 12 package) -----------------------------------------------------------
install -d -m 0755 /etc/mosquitto/conf.d /etc/mosquitto/ca_certificates /etc/mosquitto/certs
install -m 0644 "$LIB/files/mosquitto.conf" /etc/mosquitto/mosquitto.conf
install -m 0644 "$LIB/files/conf.d-README" /etc/mosquitto/conf.d/README
for f in aclfile.example pskfile.example pwfile.example ca_certificates/README certs/README; do
    [[ -f /run/simpi/etc-mosquitto.orig/$f ]] && install -m 0644 "/run/simpi/etc-mosquitto.orig/$f" "/etc/mosquitto/$f"
done
chown mosquitto:root /var/log/mosquitto
install -d -o mosquitto -g mosquitto -m 0755 /var/lib/mosquitto
rm -f /var/lib/mosquitto/mosquitto.db

# The ports the Pi's broker may use (the tests' stand-ins for 1883 and 9001).
install -d -m 0755 /run/systemd/simpi
printf 'MQTT_PORT=%s\nWS_PORT=%s\n' "$MQTT_PORT" "$WS_PORT" >/run/systemd/simpi/ports
chmod 0644 /run/systemd/simpi/ports
install -d -m 2750 -o root -g adm /run/log/journal

# --- WeeWX 5 (Debian package) with Belchertown ------------------------------------------------
install -d -m 0755 /etc/weewx /etc/weewx/bin /etc/weewx/bin/user /etc/weewx/bin/user/installer
install -d -m 0755 /etc/weewx/skins/Belchertown /etc/weewx/bin/user/installer/Belchertown
install -o weewx -g weewx -m 0660 "$LIB/files/weewx.conf" /etc/weewx/weewx.conf
chown -R weewx:weewx /etc/weewx
chmod 0660 /etc/weewx/weewx.conf
cat >/etc/weewx/bin/user/installer/Belchertown/install.py <<'PY'
from weecfg.extension import ExtensionInstaller
def loader():
    return getInstaller()
class getInstaller(ExtensionInstaller):
    def __init__(self):
        super(getInstaller, self).__init__(
version="1.3.1",
name="Belchertown",
description="A clean modern skin with real time streaming updates, forecast data and interactive charts.",
            author="Pat OBrien")
PY
printf 'VERSION = "1.3.1"\n' >/etc/weewx/bin/user/belchertown.py
printf '[Extras]\n    mqtt_websockets_enabled = 0\n    mqtt_websockets_port = 1883\n' \
    >/etc/weewx/skins/Belchertown/skin.conf
chown -R weewx:weewx /etc/weewx
install -d -m 0755 /var/www /var/www/html
install -d -o weewx -g weewx -m 0755 /var/www/html/weewx /var/www/html/weewx/belchertown
install -d -o root -g adm -m 0755 /var/log/weewx
: >/var/lib/weewx/weewx.sdb
chown -R weewx:weewx /var/lib/weewx

# --- services ---------------------------------------------------------------------------------
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
systemctl start mosquitto
systemctl start weewx
# The first report run writes the page (Belchertown needs an archive record; the stand-in
# generates it at start).
for ((i = 0; i < 250; i++)); do
    [[ -s /var/www/html/weewx/belchertown/index.html ]] && break
    sleep 0.02
done
