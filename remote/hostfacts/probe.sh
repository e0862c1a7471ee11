#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# HostFacts probe: everything the wizard needs to know about the Pi, in one round trip.
# Run it as root with the password on the first line of stdin and this script after it:
#     sudo -S -p '' sh -s          (stdin: "<password>\n" + this file)
# It also runs without root; what it could not read is reported as such.
#
# Output (parsed by wmw::HostFacts::parse, remote/hostfacts/hostfacts.cpp):
#   #wmw-hostfacts 1             first line, format version
#   KEY=VALUE                    one line; VALUE runs to the end of the line
#   KEY:b64                      a blob: base64 lines follow, up to a line "."
#   #end                         last line; without it the output was cut off
# File contents, logs and command output are blobs, so no byte in them can break the format.
# Password files and weewx.conf are secrets: the parser keeps them out of every log.
#
# WMW_PROBE_SCOPE=weewx (set before this script) looks only at what an apply needs: who,
# the OS, WeeWX's install and extensions, paho-mqtt. It skips the locale, mosquitto's files,
# services, ports, logs and WeeWX's version: on a Pi Zero each of them costs process starts.
# Where weewx-mqtt's installer copy is found, it skips `weectl extension list` too.

PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
LC_ALL=C
export LC_ALL
umask 077
cd / || exit 1
scope=${WMW_PROBE_SCOPE:-all}
[ "$scope" = weewx ] || scope=all

echo "#wmw-hostfacts 1"

# value KEY TEXT: a scalar on one line (CR/LF and other control bytes removed). Plain short
# text, nearly every value, takes no process: on a Pi Zero each fork costs milliseconds.
value() {
    case $2 in
    *[![:print:]]*) ;;
    *)
        if [ ${#2} -le 4096 ]; then
            printf '%s=%s\n' "$1" "$2"
            return
        fi
        ;;
    esac
    printf '%s=%s\n' "$1" "$(printf '%s' "$2" | tr -d '\000-\037' | head -c 4096)"
}
# blob KEY < data
blob() {
    echo "$1:b64"
    base64
    echo "."
}
nfile=0
# file ROLE PATH [secret]: owner, group, mode, size, mtime and content of a file
file() {
    nfile=$((nfile + 1))
    fk="file.$nfile"
    value "$fk.role" "$1"
    value "$fk.path" "$2"
    [ "${3:-}" = secret ] && value "$fk.secret" 1
    if [ ! -e "$2" ]; then
        value "$fk.error" missing
        return
    fi
    st=$(stat -L -c '%U %G %a %s %Y %F' -- "$2" 2>/dev/null) || {
        value "$fk.error" unreadable
        return
    }
    # The caller's loop splits on newlines only: split stat's fields on blanks here.
    wmw_ifs=$IFS
    IFS=' '
    set -- "$1" "$2" "${3:-}" $st
    IFS=$wmw_ifs
    value "$fk.owner" "$4"
    value "$fk.group" "$5"
    value "$fk.mode" "$6"
    value "$fk.size" "$7"
    value "$fk.mtime" "$8"
    if [ ! -f "$2" ]; then
        value "$fk.error" "not a regular file"
    elif [ -r "$2" ] && cat -- "$2" >/dev/null 2>&1; then
        blob "$fk.content" <"$2"
    else
        value "$fk.error" unreadable
    fi
}
# conf_values NAME FILE...: the values of a mosquitto option (trailing blanks stripped)
conf_values() {
    name=$1
    shift
    sed -n "s/^[[:space:]]*$name[[:space:]]\{1,\}//p" "$@" 2>/dev/null | sed 's/[[:space:]]*$//'
}

# --- who ------------------------------------------------------------------------------------------
value probe.scope "$scope"
probe_user=${SUDO_USER:-$(id -un)}
value probe.user "$probe_user"
# /etc/passwd read by the shell; getent (two more processes) only for a user from elsewhere.
probe_home=
while IFS=: read -r pw_name _ _ _ _ pw_home _; do
    [ "$pw_name" = "$probe_user" ] && probe_home=$pw_home && break
done </etc/passwd
[ -n "$probe_home" ] || probe_home=$(getent passwd "$probe_user" | cut -d: -f6)
value probe.home "$probe_home"

# --- the slow parts start first, in the background ---------------------------------------------
# weectl and python are python starts, about a second each on a Pi Zero: they run while the
# rest is read (only where WeeWX's config is must be known before). Their output waits in a
# folder only root can read, removed at the end. Where no folder can be made they run in
# their turn.
package_conf=/etc/weewx/weewx.conf
pip_conf=$probe_home/weewx-data/weewx.conf
install=none
[ -e "$package_conf" ] && install=package
if [ -n "$probe_home" ] && [ -e "$pip_conf" ]; then
    if [ $install = package ]; then install=both; else install=pip; fi
fi
conf=$package_conf
[ $install = pip ] && conf=$pip_conf
has_weectl=
command -v weectl >/dev/null 2>&1 && has_weectl=1
# From /: weectl run from a directory weewx cannot enter fails with PermissionError.
weewx_extensions() { (cd / && weectl extension list --config="$conf" 2>&1); }
weewx_version() { weectl --version 2>/dev/null | head -n 1; }
# paho-mqtt's version as WeeWX's python3 finds it. Its metadata folder names it
# (paho_mqtt-1.6.1.egg-info from Debian's package, paho_mqtt-2.1.0.dist-info from pip), in the
# folders python3 searches, in its order: pip's /usr/local before Debian's packages. That takes
# no process, where a python start costs a second on a Pi Zero. Python itself answers where
# the layout is anything else: no single python3.X, a user site, a package without its
# metadata, nothing found. Both print "VERSION SOURCE" (the metadata folder, or python3).
paho_version() {
    v=$(/usr/bin/python3 -c 'import paho.mqtt; print(paho.mqtt.__version__)' 2>/dev/null)
    [ -n "$v" ] && printf '%s python3\n' "$v"
}
paho_from_metadata() (
    set -- /usr/lib/python3.[0-9]*/os.py
    [ $# -eq 1 ] && [ -f "$1" ] || return 1
    py=${1%/os.py}
    py=${py##*/}
    for site in "${HOME:-/root}/.local/lib/$py/site-packages" "/root/.local/lib/$py/site-packages"; do
        [ -e "$site/paho" ] && return 1
    done
    for site in "/usr/local/lib/$py/dist-packages" /usr/lib/python3/dist-packages; do
        [ -e "$site/paho" ] || continue
        [ -d "$site/paho/mqtt" ] || return 1
        meta=
        for m in "$site"/paho_mqtt-*.dist-info "$site"/paho_mqtt-*.egg-info; do
            [ -e "$m" ] || continue
            [ -z "$meta" ] || return 1 # two versions' metadata: left over from an upgrade?
            meta=$m
        done
        v=${meta##*/paho_mqtt-}
        v=${v%.*-info}
        v=${v%%-py*} # distutils' paho_mqtt-1.5.0-py3.7.egg-info
        case $v in '' | *[!0-9A-Za-z.+]*) return 1 ;; esac
        printf '%s %s\n' "$v" "$meta"
        return 0
    done
    return 1
)
# The folder is made for the first of them only: an apply usually needs none (three
# processes fewer).
bg=
bg_tried=
early() { # early NAME: runs the function NAME in the background into $bg/NAME
    if [ -z "$bg_tried" ]; then
        bg_tried=1
        bg=$(mktemp -d 2>/dev/null) || bg=
        [ -n "$bg" ] && trap 'rm -rf -- "$bg"' EXIT
    fi
    [ -n "$bg" ] || return 0
    "$1" >"$bg/$1" &
}
result() { # result NAME: what NAME printed (call `wait` first), or NAME run now
    if [ -n "$bg" ] && [ -e "$bg/$1" ]; then cat -- "$bg/$1"; else "$1"; fi
}
# An apply only asks whether weewx-mqtt is there. weectl keeps a copy of each extension's
# installer in USER_ROOT/installer/NAME, bin/user next to weewx.conf in the package's and pip's
# layout alike: found there, no python start is needed to know. Else weectl lists them.
mqtt_installer=${conf%/*}/bin/user/installer/mqtt/install.py
list_extensions=$has_weectl
if [ $scope = weewx ] && [ -f "$mqtt_installer" ]; then
    value weewx.mqtt_installer "$mqtt_installer"
    list_extensions=
fi
[ -n "$list_extensions" ] && early weewx_extensions
# An apply does not need the version.
[ -n "$has_weectl" ] && [ $scope = all ] && early weewx_version
paho=$(paho_from_metadata) || early paho_version

# --- where ---------------------------------------------------------------------------------------
# The real uid from the kernel's status file, read by the shell; id where there is none.
probe_uid=
while read -r st_key st_uid _; do
    [ "$st_key" = Uid: ] && probe_uid=$st_uid && break
done 2>/dev/null </proc/self/status
value probe.uid "${probe_uid:-$(id -u)}"
value probe.time "$(date +%s)"
# The kernel's name for the host (the UTS namespace's, like hostname prints), without a process.
if [ -r /proc/sys/kernel/hostname ] && read -r host_name </proc/sys/kernel/hostname; then
    value hostname "$host_name"
else
    value hostname "$(hostname 2>/dev/null || cat /etc/hostname)"
fi
if [ -r /etc/os-release ]; then
    (
        . /etc/os-release
        value os.id "${ID:-}"
        value os.version_id "${VERSION_ID:-}"
        value os.codename "${VERSION_CODENAME:-}"
        value os.pretty_name "${PRETTY_NAME:-}"
    )
fi
# One process for both: uname prints the release before the machine, whatever the order asked.
kernel_arch=$(uname -r -m)
value os.kernel "${kernel_arch% *}"
value os.arch "${kernel_arch##* }"

if [ $scope = all ]; then
# --- locale (procedure step 1) ------------------------------------------------------------------
# The login's LANG, not the probe's LC_ALL=C.
locale_err=$(mktemp)
(unset LC_ALL; locale) 2>"$locale_err" | blob locale.stdout
blob locale.stderr <"$locale_err"
if [ -s "$locale_err" ]; then value locale.valid 0; else value locale.valid 1; fi
rm -f "$locale_err"
[ -r /etc/default/locale ] && blob locale.default </etc/default/locale

# --- mosquitto ------------------------------------------------------------------------------
if command -v mosquitto >/dev/null 2>&1; then
    value mosquitto.installed 1
    value mosquitto.version "$(mosquitto -h 2>&1 | sed -n 's/^mosquitto version //p' | head -n 1)"
else
    value mosquitto.installed 0
fi
main=/etc/mosquitto/mosquitto.conf
file mosquitto-conf "$main"
confs=$main
ndir=0
if [ -r "$main" ]; then
    # include_dir is only read from the main file; its *.conf files load in sorted order.
    for d in $(conf_values include_dir "$main" | tr ' ' '\001'); do
        d=$(printf '%s' "$d" | tr '\001' ' ')
        ndir=$((ndir + 1))
        value "include_dir.$ndir.path" "$d"
        if [ -d "$d" ]; then
            ls -A1 -- "$d" 2>/dev/null | blob "include_dir.$ndir.entries"
            for f in "$d"/*.conf; do
                [ -e "$f" ] || continue
                file mosquitto-include "$f"
                confs="$confs
$f"
            done
        else
            value "include_dir.$ndir.error" missing
        fi
    done
fi
# The acl and password files that any loaded config names.
old_ifs=$IFS
IFS='
'
set -f
for f in $(conf_values acl_file $confs | sort -u); do file acl "$f"; done
for f in $(conf_values password_file $confs | sort -u); do file password "$f" secret; done
set +f
IFS=$old_ifs
fi # scope all

# --- weewx ------------------------------------------------------------------------------------
value weewx.install "$install"
if [ $scope = all ]; then
    [ -e "$package_conf" ] && file weewx-conf "$package_conf" secret
    [ -n "$probe_home" ] && [ -e "$pip_conf" ] && file weewx-conf "$pip_conf" secret
fi
if [ -z "$has_weectl" ] && command -v dpkg-query >/dev/null 2>&1; then
    value weewx.version "$(dpkg-query -W -f='${Version}' weewx 2>/dev/null)"
fi
bt=
for d in /etc/weewx/skins/Belchertown "$probe_home/weewx-data/skins/Belchertown"; do
    [ -d "$d" ] && bt=$d
done
if [ -n "$bt" ]; then value belchertown.installed 1; else value belchertown.installed 0; fi
for page in /var/www/html/weewx/belchertown/index.html \
    "$probe_home/weewx-data/public_html/belchertown/index.html"; do
    if [ -f "$page" ]; then
        value belchertown.page "$page"
        value belchertown.page_mtime "$(stat -c %Y -- "$page")"
        break
    fi
done

if [ $scope = all ]; then
# --- services, ports, logs ---------------------------------------------------------------------
for s in mosquitto weewx; do
    value "service.$s" "$(systemctl is-active "$s" 2>/dev/null | head -n 1)"
done
if command -v ss >/dev/null 2>&1; then
    ss -Hltn 2>/dev/null | blob ports.ss
fi
[ -e /var/log/mosquitto/mosquitto.log ] && tail -n 60 /var/log/mosquitto/mosquitto.log 2>&1 | blob log.mosquitto
journalctl -u mosquitto -n 60 --no-pager 2>&1 | blob journal.mosquitto
for f in /var/log/weewx/weewxd.log /var/log/weewx/weewx.log; do
    if [ -e "$f" ]; then
        value log.weewx.path "$f"
        tail -n 60 "$f" 2>&1 | blob log.weewx
        break
    fi
done
journalctl -u weewx -n 60 --no-pager 2>&1 | blob journal.weewx
fi # scope all

# --- what started early: WeeWX's extensions and version, python paho-mqtt ------------------------
[ -n "$bg" ] && wait
[ -n "$has_weectl" ] && [ $scope = all ] && value weewx.version "$(result weewx_version)"
[ -n "$list_extensions" ] && result weewx_extensions | blob weewx.extensions
# weewx-mqtt 0.24 needs paho-mqtt 1.x.
[ -n "$paho" ] || paho=$(result paho_version)
value paho.version "${paho%% *}"
[ -n "$paho" ] && value paho.source "${paho#* }"

echo "#end"
