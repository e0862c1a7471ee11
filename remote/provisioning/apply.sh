#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# apply.sh STAGE: installs the files staged in STAGE as one batch, run once as root by
# WeeWX MQTT Wizard (`sudo sh -c 'setsid /bin/sh STAGE/apply.sh STAGE'`, detached).
#
# Every input comes from STAGE/manifest, never from the command line:
#   wmw-manifest 1
#   mode apply|undo
#   run ID                       progress goes to /run/weewx-mqtt-wizard/ID.progress
#   ports MQTT WS                listening checks after a mosquitto restart (0 0: none)
#   backup NAME|latest           undo: which backup to restore
#   file N UNIT OWNER GROUP MODE SHA256|absent PATH
#                                apply: install STAGE/files/N at PATH unless PATH no longer has
#                                the checksum it had when it was read
#   original N COPY              apply: file N as read is what `weectl extension install` left;
#                                COPY (under BACKUP_ROOT/before-weewx-mqtt-*/) is the file from
#                                before the install, and the backup (for rollback and undo)
#                                takes that instead
#
# For every file: refuse if it changed since it was read; back it up with owner and mode into
# /var/backups/weewx-mqtt-wizard/<UTC time>/ (never beside it: mosquitto reads every *.conf in
# conf.d); install by writing beside the target and renaming; restart the units that read a
# changed file; check they run (mosquitto: listening on both ports, no new "Error" in its log);
# on any failure restore every file and restart again.
#
# Progress: one line per step, "@wmw STEP STATUS DETAIL", appended to the progress file. The
# script runs detached from the SSH connection, so a connection cut never stops it half-way:
# the Pi ends with all new files or all old ones.

umask 077
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
LC_ALL=C
export LC_ALL
# A hang-up or a closed pipe must not stop an install half-way.
trap '' HUP PIPE
# Words read from files are never patterns.
set -f

STAGE=$1
STATE_DIR=/run/weewx-mqtt-wizard
BACKUP_ROOT=/var/backups/weewx-mqtt-wizard
MOSQUITTO_LOG=/var/log/mosquitto/mosquitto.log
PROGRESS=/dev/null
LOCK=$STATE_DIR/lock

progress() {
    printf '@wmw %s\n' "$*" >>"$PROGRESS" 2>/dev/null
}

# Text for progress details, line by line: other control characters become spaces.
oneline() {
    tr -c '[:print:]\n' ' ' | cut -c 1-400
}

finish() { # finish STATUS DETAIL: the last line; releases the lock
    progress "end $1 $2"
    rm -rf "$LOCK"
    case $STAGE in
    /*/weewx-mqtt-wizard.*) rm -rf -- "$STAGE" ;;
    esac
    exit 0
}

case $STAGE in
/*) ;;
*) exit 2 ;;
esac
mkdir -p "$STATE_DIR" && chmod 0755 "$STATE_DIR" || exit 2
[ -r "$STAGE/manifest" ] || exit 2

# The head in one pass of the shell's own read, the first line of each kind: on a Pi Zero every
# process started costs milliseconds, and this script starts few.
RUN=""
MODE=""
PORTS=""
WANT=""
{
    IFS= read -r line && [ "$line" = "wmw-manifest 1" ] || exit 2
    while IFS= read -r line; do
        case $line in
        "run "*) [ -n "$RUN" ] || RUN=${line#run } ;;
        "mode "*) [ -n "$MODE" ] || MODE=${line#mode } ;;
        "ports "*) [ -n "$PORTS" ] || PORTS=${line#ports } ;;
        "backup "*) [ -n "$WANT" ] || WANT=${line#backup } ;;
        esac
    done
} <"$STAGE/manifest"
case $RUN in '' | *[!A-Za-z0-9._-]*) exit 2 ;; esac
case $MODE in apply | undo) ;; *) MODE="" ;; esac
case $PORTS in *[!0-9\ ]* | *\ *\ *) PORTS="" ;; *\ *) ;; *) PORTS="" ;; esac
case $WANT in *[!A-Za-z0-9-]*) WANT="" ;; esac
PROGRESS=$STATE_DIR/$RUN.progress
# Readable by the SSH user, who follows it over SFTP, from the first byte on.
(umask 022 && : >"$PROGRESS") || exit 2

# --- one run at a time ---------------------------------------------------------------------
if ! mkdir "$LOCK" 2>/dev/null; then
    other=$(cat "$LOCK/pid" 2>/dev/null)
    if [ -n "$other" ] && kill -0 "$other" 2>/dev/null; then
        progress "end busy $other"
        exit 0
    fi
    rm -rf "$LOCK"
    mkdir "$LOCK" || { progress "end busy -"; exit 0; }
fi
echo $$ >"$LOCK/pid"
progress "start ok $MODE"

# --- the work list: N UNIT SOURCE OWNER GROUP MODE SUM PATH -------------------------------------
# SUM: the file's checksum as checked just now, so the backup need not read it again; "-" when
# not known.
mkdir -p "$BACKUP_ROOT" && chmod 0700 "$BACKUP_ROOT" || finish failed "backup-root $BACKUP_ROOT"
WORK=$LOCK/work
: >"$WORK"
KIND=$MODE
originals=""
if [ "$MODE" = apply ]; then
    changed=""
    while read -r kind n unit owner group mode sum path; do
        if [ "$kind" = original ]; then
            # "original N COPY": one word, checked again where it is used.
            [ -z "$owner" ] || finish failed "bad-original $n"
            originals="$originals $n=$unit"
            continue
        fi
        [ "$kind" = file ] || continue
        src=$STAGE/files/$n
        [ -f "$src" ] || finish failed "missing-staged $path"
        if [ -e "$path" ]; then
            now=$(sha256sum <"$path")
            now=${now%% *}
        else
            now=absent
        fi
        if [ "$now" != "$sum" ]; then
            progress "check changed $path"
            changed=1
        else
            progress "check ok $path"
        fi
        printf '%s %s %s %s %s %s %s %s\n' "$n" "$unit" "$src" "$owner" "$group" "$mode" "$now" "$path" >>"$WORK"
    done <"$STAGE/manifest"
    [ -z "$changed" ] || finish refused changed
elif [ "$MODE" = undo ]; then
    want=$WANT
    from=""
    if [ "$want" = latest ]; then
        # The newest apply whose files are (or may be, after a cut) on the Pi.
        for d in $(ls -1 "$BACKUP_ROOT" 2>/dev/null | sort -r); do
            [ -f "$BACKUP_ROOT/$d/manifest" ] || continue
            k=$(sed -n 's/^kind //p' "$BACKUP_ROOT/$d/manifest")
            s=$(cat "$BACKUP_ROOT/$d/state" 2>/dev/null)
            if [ "$k" = apply ] && { [ "$s" = "done" ] || [ "$s" = installing ]; }; then
                from=$d
                break
            fi
        done
        [ -n "$from" ] || finish failed no-backup
    else
        from=$want
        [ -n "$from" ] && [ -f "$BACKUP_ROOT/$from/manifest" ] || finish failed "no-such-backup $want"
    fi
    progress "select ok $from"
    while read -r kind n unit existed owner group mode sum path; do
        [ "$kind" = file ] || continue
        if [ "$existed" = 1 ]; then
            src=$BACKUP_ROOT/$from/files/$n
            [ "$(sha256sum <"$src" | cut -d' ' -f1)" = "$sum" ] || finish failed "backup-damaged $path"
        else
            src=-
        fi
        progress "check ok $path"
        printf '%s %s %s %s %s %s - %s\n' "$n" "$unit" "$src" "$owner" "$group" "$mode" "$path" >>"$WORK"
    done <"$BACKUP_ROOT/$from/manifest"
else
    finish failed bad-manifest
fi
[ -s "$WORK" ] || finish ok nothing

# --- backup -----------------------------------------------------------------------------------
name=$(date -u +%Y%m%dT%H%M%SZ)
i=1
BK=$BACKUP_ROOT/$name
while ! mkdir -m 0700 "$BK" 2>/dev/null; do
    i=$((i + 1))
    [ $i -lt 100 ] || finish failed "backup-dir $BK"
    BK=$BACKUP_ROOT/$name-$i
done
mkdir -m 0700 "$BK/files" || finish failed "backup-dir $BK"
{
    echo "wmw-backup 1"
    echo "kind $KIND"
    [ "$MODE" = undo ] && echo "of $from"
} >"$BK/manifest"
echo preparing >"$BK/state"
taken=""
while read -r n unit src owner group mode sum path; do
    from_file=$path
    orig=""
    for o in $originals; do
        [ "${o%%=*}" = "$n" ] && [ -z "$orig" ] && orig=${o#*=}
    done
    if [ -n "$orig" ]; then
        case $orig in
        */../* | *[!A-Za-z0-9._/-]*) finish failed "bad-original $path" ;;
        "$BACKUP_ROOT"/before-weewx-mqtt-*/weewx.conf) ;;
        *) finish failed "bad-original $path" ;;
        esac
        [ -f "$orig" ] && [ ! -L "$orig" ] || finish failed "original-missing $path"
        from_file=$orig
        taken="$taken ${orig%/weewx.conf}"
        sum=-
    fi
    if [ -f "$from_file" ]; then
        cp -p -- "$from_file" "$BK/files/$n" || finish failed "backup $path"
        set -- $(stat -c '%U %G %a' -- "$from_file")
        case $sum in
        - | absent)
            sum=$(sha256sum <"$from_file")
            sum=${sum%% *}
            ;;
        esac
        printf 'file %s %s 1 %s %s %s %s %s\n' "$n" "$unit" "$1" "$2" "$3" "$sum" "$path" >>"$BK/manifest"
    elif [ -e "$path" ]; then
        finish failed "not-a-file $path"
    else
        printf 'file %s %s 0 - - - absent %s\n' "$n" "$unit" "$path" >>"$BK/manifest"
    fi
done <"$WORK"
sync
progress "backup ok ${BK##*/}"
# The copies from before a weewx-mqtt install are in the backup now.
for d in $taken; do
    rm -rf -- "$d" && progress "original ok $d"
done

# --- install (beside the target, then rename) --------------------------------------------------
put() { # put SOURCE OWNER GROUP MODE PATH: SOURCE "-" removes PATH
    if [ "$1" = - ]; then
        rm -f -- "$5"
        return
    fi
    # PATH is absolute (the manifest says so). install removes a file or link already at
    # the temporary name before it writes, and sets owner and mode before the rename.
    tmp=${5%/*}/.${5##*/}.wmw-new
    install -o "$2" -g "$3" -m "$4" -- "$1" "$tmp" && mv -f -- "$tmp" "$5" || {
        rm -f -- "$tmp"
        return 1
    }
}

restart_mosquitto=""
restart_weewx=""
attempted_mosquitto=""
attempted_weewx=""
failure=""
echo installing >"$BK/state"
while read -r n unit src owner group mode sum path; do
    if put "$src" "$owner" "$group" "$mode" "$path"; then
        if [ "$src" = - ]; then progress "remove ok $path"; else progress "install ok $path"; fi
    else
        progress "install failed $path"
        failure="install $path"
        break
    fi
    case $unit in
    mosquitto) restart_mosquitto=1 ;;
    weewx) restart_weewx=1 ;;
    esac
done <"$WORK"
echo installed >"$BK/state"

# --- restart and verify ---------------------------------------------------------------------
log_size() {
    if [ -f "$MOSQUITTO_LOG" ]; then wc -c <"$MOSQUITTO_LOG"; else echo 0; fi
}

check_mosquitto() { # check_mosquitto LOGSIZE: active, listening, no new error
    if ! systemctl is-active --quiet mosquitto; then
        progress "active failed mosquitto"
        return 1
    fi
    progress "active ok mosquitto"
    rc=0
    if [ -n "$PORTS" ]; then
        for port in $PORTS; do
            [ "$port" -gt 0 ] || continue
            tries=0
            until ss -Hltn "sport = :$port" | grep -q .; do
                tries=$((tries + 1))
                if [ $tries -ge 25 ]; then
                    progress "listen failed $port"
                    rc=1
                    break
                fi
                sleep 0.2
            done
            [ $tries -lt 25 ] && progress "listen ok $port"
        done
    fi
    errors=$(new_errors "$1")
    if [ -n "$errors" ]; then
        echo "$errors" | while IFS= read -r line; do progress "log error $line"; done
        rc=1
    else
        progress "log ok mosquitto"
    fi
    return $rc
}

new_errors() { # what mosquitto logged with "Error" since the log had LOGSIZE bytes
    if [ -f "$MOSQUITTO_LOG" ]; then
        tail -c +$(($1 + 1)) "$MOSQUITTO_LOG" | grep 'Error' | sed 's/^[0-9]*: //' | oneline | head -n 5
    fi
}

uptime_cs() { # a clock in centiseconds, without a process
    read -r up _ </proc/uptime
    echo "${up%.*}${up#*.}"
}

follow_weewx() { # follow_weewx SINCE: weewxd's loop start or the unit's death, 3 s at most
    rm -f "$LOCK/journal"
    mkfifo "$LOCK/journal" 2>/dev/null || return 0
    # Through a fifo, not a pipe: the shell would wait for journalctl, which only notices
    # that grep is gone when it writes its next line, minutes later.
    journalctl -u weewx --since "@$1" -f --no-pager >"$LOCK/journal" 2>/dev/null &
    follower=$!
    timeout 3 grep -m 1 -E 'Starting main packet loop|weewx\.service: (Main process exited|Failed)' \
        <"$LOCK/journal"
    kill "$follower" 2>/dev/null
    wait "$follower" 2>/dev/null
    rm -f "$LOCK/journal"
}

check_weewx() { # check_weewx SINCE: still running once weewxd read its config, or after 3 s
    # weewx's unit says 0 even when weewxd dies on its config a moment later. weewxd logs
    # "Starting main packet loop." once its config is read and every service (weewx-mqtt
    # among them) is loaded: from then on it is past what a config breaks. Without that line
    # (no journal, a slow station) it counts as running when still active after 3 s.
    end=$(($(uptime_cs) + 300))
    # Follow the journal for the line that decides, instead of starting journalctl again and
    # again (on a Pi Zero each start takes a good part of a second). The loop below stays for
    # what the follow cannot tell: a unit that died, a journal that cannot be followed, 3 s
    # without either line.
    case $(follow_weewx "$1") in
    *"Starting main packet loop"*)
        if systemctl is-active --quiet weewx; then
            progress "active ok weewx"
            return 0
        fi
        ;;
    esac
    while :; do
        if ! systemctl is-active --quiet weewx; then
            progress "active failed weewx"
            # Why, in weewxd's words ("No module named 'user.mqtt'", a ConfigObj error, ...).
            journalctl -u weewx --since "@$1" --no-pager 2>/dev/null |
                grep -E 'weewxd\[[0-9]+\]: (CRITICAL|ERROR) ' | grep -v 'Exiting\.$' | tail -n 3 |
                sed 's/^.*weewxd\[[0-9]*\]: //' | oneline |
                while IFS= read -r line; do progress "weewxlog error $line"; done
            return 1
        fi
        if journalctl -u weewx --since "@$1" --no-pager 2>/dev/null | grep -q 'Starting main packet loop'; then
            break
        fi
        [ "$(uptime_cs)" -lt $end ] || break
        sleep 0.1
    done
    progress "active ok weewx"
}

restart() { # restart UNIT LOGSIZE
    eval "attempted_$1=1"
    since=$(date +%s)
    # Into a file, not $(...): a command substitution waits until every process that inherited
    # its pipe closes it, and a service started from here may keep it open for good.
    if ! systemctl restart "$1" >"$LOCK/out" 2>&1 </dev/null; then
        progress "restart failed $1 $(head -n 1 "$LOCK/out" | oneline)"
        if [ "$1" = mosquitto ]; then
            new_errors "$2" | while IFS= read -r line; do progress "log error $line"; done
            journalctl -u mosquitto -n 20 --no-pager 2>/dev/null | grep 'Error' | tail -n 3 |
                sed 's/^.*mosquitto\[[0-9]*\]: //' | oneline |
                while IFS= read -r line; do progress "journal error $line"; done
        fi
        return 1
    fi
    progress "restart ok $1"
    if [ "$1" = mosquitto ]; then check_mosquitto "$2"; else check_weewx "$since"; fi
}

# One after the other: weewx-mqtt should find a broker that was checked, and weewx's first
# record should come once the live check (started at mosquitto's restart) has subscribed.
if [ -z "$failure" ] && [ -n "$restart_mosquitto" ]; then
    size=$(log_size)
    restart mosquitto "$size" || failure=mosquitto
fi
if [ -z "$failure" ] && [ -n "$restart_weewx" ]; then
    restart weewx 0 || failure=weewx
fi

if [ -z "$failure" ]; then
    if [ "$MODE" = undo ]; then
        echo undone >"$BACKUP_ROOT/$from/state"
    fi
    echo "done" >"$BK/state"
    finish ok "${BK##*/}"
fi

# --- roll back: every file back, restart again ------------------------------------------------
progress "rollback start $failure"
rolled=ok
while read -r kind n unit existed owner group mode sum path; do
    [ "$kind" = file ] || continue
    if [ "$existed" = 1 ]; then
        put "$BK/files/$n" "$owner" "$group" "$mode" "$path" || rolled=failed
    else
        put - - - - "$path" || rolled=failed
    fi
    progress "restore $rolled $path"
done <"$BK/manifest"
# Only units that were restarted run with (or died on) the new files; the others never read them.
if [ -n "$attempted_mosquitto" ]; then
    size=$(log_size)
    # The old files come back without port checks: they may use other ports than ours.
    PORTS=""
    restart mosquitto "$size" || rolled=failed
fi
if [ -n "$attempted_weewx" ]; then
    restart weewx 0 || rolled=failed
fi
echo rolled-back >"$BK/state"
progress "rollback $rolled ${BK##*/}"
finish failed "$failure"
