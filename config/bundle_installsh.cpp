// SPDX-License-Identifier: GPL-3.0-or-later
// install.sh of the bundle: POSIX sh (dash on Raspberry Pi OS), run as root on the Pi.

#include "config/bundle_p.h"

namespace wmw::config::bundle_detail {

namespace {

// Everything after the generated settings: the same for every profile.
const char *const program = R"SH(
say() { printf '%s\n' "$*"; }
die() {
    printf 'install.sh: %s\n' "$*" >&2
    exit 1
}

usage() {
    cat <<'USAGE'
usage: sudo sh install.sh [--dry-run] [--install-extension]

Installs the mosquitto files of this bundle and sets the live MQTT settings in weewx.conf,
then restarts what changed and checks that the broker listens on both ports. Every file it
replaces is first saved below /var/backups/weewx-mqtt-bundle/; on any failure the old files
come back and the services are restarted. Running it again changes nothing.

  --dry-run            only show what would change
  --install-extension  install weewx-mqtt with weectl when it is missing (needs internet)
USAGE
}

DRY_RUN=0
INSTALL_EXTENSION=0
for arg in "$@"; do
    case $arg in
    --dry-run | -n) DRY_RUN=1 ;;
    --install-extension) INSTALL_EXTENSION=1 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
    esac
done

[ "$(id -u)" -eq 0 ] || die "run me as root: sudo sh $0"
HERE=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd) || die "cannot find the bundle folder"
cd "$HERE" || die "cannot enter $HERE"

# The bundle as it was made: every file against MANIFEST.sha256.
sha256sum --check --quiet --strict MANIFEST.sha256 >/dev/null 2>&1 ||
    die "the bundle is damaged or was edited: sha256sum -c MANIFEST.sha256 says which file"

for tool in mosquitto systemctl "$PYTHON"; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is missing on this machine"
done
[ -f "$WEEWX_CONF" ] || die "$WEEWX_CONF does not exist (is WeeWX installed?)"

# --- merge ---------------------------------------------------------------------------------
# The bundle holds only our MQTT users: the Pi's acl and password files keep every other user,
# comment and pattern line. The merged files go to a private folder first; the plan below
# compares them with the Pi's files, so a second run finds nothing to change.
MERGED=$(mktemp -d) || die "cannot create a temporary folder"
trap 'rm -rf -- "$MERGED"' EXIT
trap 'exit 1' HUP INT TERM
merge_file() { # KIND SOURCE TARGET
    mkdir -p "$MERGED/$(dirname -- "$2")" &&
        "$PYTHON" "$HERE/mosquitto/merge-users.py" "$1" "$HERE/$2" "$3" --out "$MERGED/$2"
}
say "Users:"
merge_files || die "merging our MQTT users into the Pi's files failed; nothing was changed"

# --- plan ----------------------------------------------------------------------------------
# file_state SOURCE TARGET OWNER GROUP MODE: same, absent, content, owner or mode
file_state() {
    if [ ! -e "$2" ]; then
        echo absent
    elif ! cmp -s "$1" "$2"; then
        echo content
    elif [ "$(stat -c %U:%G "$2")" != "$3:$4" ]; then
        echo owner
    elif [ "$(stat -c %a "$2")" != "$5" ]; then
        echo mode
    else
        echo same
    fi
}

MOSQUITTO_CHANGES=0
plan_file() {
    state=$(file_state "$@")
    case $state in
    same) say "  unchanged   $2" ;;
    absent) say "  create      $2 ($3:$4 $5)"; MOSQUITTO_CHANGES=$((MOSQUITTO_CHANGES + 1)) ;;
    *) say "  update      $2 ($state)"; MOSQUITTO_CHANGES=$((MOSQUITTO_CHANGES + 1)) ;;
    esac
}

edit_weewx_conf() {
    "$PYTHON" "$HERE/weewx/edit-weewx-conf.py" --config "$WEEWX_CONF" "$@"
}

say "Plan:"
each_file plan_file
EXTENSION_MISSING=0
WEEWX_PLAN=$(edit_weewx_conf --check 2>&1)
rc=$?
if [ "$rc" -eq 3 ] && [ "$INSTALL_EXTENSION" -eq 1 ]; then
    EXTENSION_MISSING=1
    say "  install     weewx-mqtt (weectl extension install)"
    WEEWX_PLAN=$(edit_weewx_conf --check --skip-extension-check 2>&1)
    rc=$?
    # weectl edits weewx.conf too; the edit runs after it in any case.
    [ "$rc" -eq 0 ] && rc=10
fi
case $rc in
0) WEEWX_CHANGES=0; say "  unchanged   $WEEWX_CONF" ;;
10) WEEWX_CHANGES=1; say "  update      $WEEWX_CONF"
    printf '%s\n' "$WEEWX_PLAN" | sed -n 's/^would change: /                /p' ;;
*) die "$WEEWX_PLAN" ;;
esac

listening() { # PORT: mosquitto listens there
    ss -Hltnp "sport = :$1" 2>/dev/null | grep -q '"mosquitto"'
}
verify_broker() {
    i=0
    while [ $i -lt 50 ]; do
        listening "$MQTT_PORT" && listening "$WS_PORT" && return 0
        sleep 0.2
        i=$((i + 1))
    done
    return 1
}

if [ "$MOSQUITTO_CHANGES" -eq 0 ] && [ "$WEEWX_CHANGES" -eq 0 ]; then
    say "Nothing to change."
    if [ "$DRY_RUN" -eq 0 ]; then
        verify_broker || die "mosquitto does not listen on ports $MQTT_PORT and $WS_PORT; see: journalctl -u mosquitto; tail /var/log/mosquitto/mosquitto.log"
        say "mosquitto listens on ports $MQTT_PORT (MQTT) and $WS_PORT (websockets)."
    fi
    exit 0
fi
if [ "$DRY_RUN" -eq 1 ]; then
    say "Dry run: nothing was changed."
    exit 0
fi

# --- back up -------------------------------------------------------------------------------
# Outside every folder a service reads: mosquitto loads every *.conf in conf.d.
BACKUP="$BACKUP_ROOT/$(date -u +%Y%m%dT%H%M%SZ)"
[ -e "$BACKUP" ] && BACKUP="$BACKUP-$$"
mkdir -p "$BACKUP/files" || die "cannot create $BACKUP"
chmod 0700 "$BACKUP_ROOT" "$BACKUP"
RESTORE_LIST="$BACKUP/restore.list"
: >"$RESTORE_LIST"
# systemctl's messages go to a file: whatever a unit leaves running must not hold this
# script's output open (an SSH session would then never end).
LOG="$BACKUP/install.log"
service() { # ACTION UNIT
    systemctl "$1" "$2" >>"$LOG" 2>&1 </dev/null
}

backup_path() { # TARGET: saved with owner and mode, or noted as absent
    if [ -e "$1" ]; then
        mkdir -p "$BACKUP/files$(dirname -- "$1")" &&
            cp -p -- "$1" "$BACKUP/files$1" &&
            printf 'saved %s\n' "$1" >>"$RESTORE_LIST"
    else
        printf 'absent %s\n' "$1" >>"$RESTORE_LIST"
    fi
}
backup_file() { # SOURCE TARGET OWNER GROUP MODE
    [ "$(file_state "$@")" = same ] || backup_path "$2"
}
each_file backup_file || die "backup into $BACKUP failed; nothing was changed"
if [ "$WEEWX_CHANGES" -eq 1 ]; then
    backup_path "$WEEWX_CONF" || die "backup into $BACKUP failed; nothing was changed"
fi
say "Backup of the files that change: $BACKUP"

restore() {
    say "Restoring the previous files from $BACKUP ..." >&2
    while read -r kind path; do
        case $kind in
        saved) cp -p -- "$BACKUP/files$path" "$path" ;;
        absent) rm -f -- "$path" ;;
        esac
    done <"$RESTORE_LIST"
    [ "$MOSQUITTO_CHANGES" -gt 0 ] && service restart mosquitto
    [ "$WEEWX_CHANGES" -gt 0 ] && service restart weewx
    say "Restored. The backup stays in $BACKUP." >&2
}
fail() {
    printf 'install.sh: %s\n' "$*" >&2
    restore
    exit 1
}

# --- install -------------------------------------------------------------------------------
install_file() { # SOURCE TARGET OWNER GROUP MODE: beside the target, then renamed over it
    [ "$(file_state "$@")" = same ] && return 0
    dir=$(dirname -- "$2")
    [ -d "$dir" ] || install -d -m 0755 "$dir" || return 1
    temp="$dir/.$(basename -- "$2").wmw-new"
    install -o "$3" -g "$4" -m "$5" "$1" "$temp" && mv -f -- "$temp" "$2" && say "installed $2"
}
if [ "$MOSQUITTO_CHANGES" -gt 0 ]; then
    each_file install_file || fail "installing the mosquitto files failed"
    service restart mosquitto || fail "mosquitto did not start with the new files: $(tail -n 2 "$LOG"); see: journalctl -u mosquitto"
    verify_broker || fail "mosquitto does not listen on ports $MQTT_PORT and $WS_PORT; see: tail /var/log/mosquitto/mosquitto.log"
    say "mosquitto listens on ports $MQTT_PORT (MQTT) and $WS_PORT (websockets)."
fi

if [ "$WEEWX_CHANGES" -eq 1 ]; then
    if [ "$EXTENSION_MISSING" -eq 1 ]; then
        # weectl fails from a folder user weewx cannot enter: run it from /.
        (cd / && weectl extension install "$EXTENSION_URL" --config="$WEEWX_CONF" -y) \
            >>"$LOG" 2>&1 </dev/null ||
            fail "weectl could not install weewx-mqtt (does the Pi reach the internet?)"
    fi
    edit_weewx_conf --no-backup || fail "editing $WEEWX_CONF failed"
    service restart weewx || fail "weewx did not restart: $(tail -n 2 "$LOG")"
    # systemctl says 0 even when weewxd dies on its configuration a moment later.
    i=0
    while [ $i -lt 6 ]; do
        sleep 0.5
        systemctl is-active --quiet weewx || fail "weewx stopped after the restart; see: journalctl -u weewx"
        i=$((i + 1))
    done
    say "weewx runs with the new settings."
fi
say "Done. Backup: $BACKUP"
say "The Belchertown page shows the new settings after its next report run (weectl report run)."
)SH";

} // namespace

QByteArray installScript(const Context &context)
{
    const StationProfile &p = context.profile;
    QByteArray out = "#!/bin/sh\n"
                     "# install.sh: applies this bundle on the Pi, made by WeeWX MQTT Wizard for "
                     "the station at "
                     + p.piHost.toUtf8()
                     + ".\n"
                       "# Run it as root from the bundle folder: sudo sh install.sh [--dry-run]\n"
                       "set -u\n"
                       "umask 077\n"
                       "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
                       "export PATH\n"
                       "LC_ALL=C\n"
                       "export LC_ALL\n"
                       "\n"
                       "MQTT_PORT="
                     + QByteArray::number(p.mqttPort)
                     + "\n"
                       "WS_PORT="
                     + QByteArray::number(p.websocketPort)
                     + "\n"
                       "WEEWX_CONF="
                     + shellQuote(p.weewxConfPath)
                     + "\n"
                       "BACKUP_ROOT="
                     + shellQuote(backupRoot)
                     + "\n"
                       "EXTENSION_URL="
                     + shellQuote(weewxMqttUrl)
                     + "\n"
                       "PYTHON=/usr/bin/python3\n"
                       "\n"
                       "# each_file FUNCTION: calls FUNCTION SOURCE TARGET OWNER GROUP MODE for "
                       "every mosquitto file.\n"
                       "each_file() {\n";
    for (const BundleTarget &t : context.targets) {
        // A merged file is installed from its merge with the Pi's file, not from the bundle.
        out += "    \"$1\" " + (t.merge.isEmpty() ? QByteArray() : "\"$MERGED\"/")
               + shellQuote(t.source) + ' ' + shellQuote(t.target) + ' ' + shellQuote(t.owner) + ' '
               + shellQuote(t.group) + ' ' + QByteArray::number(t.mode, 8) + " || return 1\n";
    }
    out += "}\n"
           "\n"
           "# merge_files: our users' lines merged into the Pi's acl and password files, into "
           "$MERGED.\n"
           "merge_files() {\n";
    for (const BundleTarget &t : context.targets) {
        if (t.merge.isEmpty())
            continue;
        out += "    merge_file " + shellQuote(t.merge) + ' ' + shellQuote(t.source) + ' '
               + shellQuote(t.target) + " || return 1\n";
    }
    out += "    :\n"
           "}\n";
    out += program;
    return out;
}

} // namespace wmw::config::bundle_detail
