// SPDX-License-Identifier: GPL-3.0-or-later
// The merge of our MQTT users into the Pi's mosquitto acl and password files: a Python 3 script
// for the Pi's own /usr/bin/python3 (standard library only), used by install.sh and the Ansible
// play alike. The bundle cannot know the Pi's current files, so it ships only our users' lines and
// the Pi keeps every other user, comment and pattern line (the same rules as AclFile::mergeProfile
// and PasswordFile::merge, except that a password line is compared, not verified: the Pi has no
// password to verify it with).

#include "config/bundle_p.h"

namespace wmw::config::bundle_detail {

namespace {

const char *const program = R"PY(#!/usr/bin/python3
# merge-users.py: puts the MQTT users of this bundle into the Pi's mosquitto acl or password
# file, made by WeeWX MQTT Wizard. Every other user, comment and pattern line stays as it is:
# only our users' topic lines and password lines are replaced. Hashes are copied, never hashed
# again, and a line of ours that is already there byte for byte stays, so running it again
# changes nothing. Needs only the Pi's /usr/bin/python3, as root:
#   merge-users.py acl|passwd OURS TARGET --out FILE
#       writes the merged file to FILE; TARGET is only read (install.sh installs FILE)
#   merge-users.py acl|passwd OURS TARGET --owner USER --group GROUP --mode 0700
#                  [--backup-dir DIR] [--check]
#       merges in place (beside TARGET, then renamed over it), with that owner and mode
# A missing TARGET counts as empty. It prints which users it adds, updates and keeps (never
# a hash); the last line of an in-place run says "result: changed", "result: unchanged" or
# "result: would change" (--check). Exit codes: 0 done, 10 --check found changes, 2 usage,
# 4 a file mosquitto would refuse or cannot be read.

import argparse
import os
import pwd
import grp
import shutil
import sys
import tempfile
import time


class Refused(Exception):
    pass


def fail(code, message):
    print('merge-users: ' + message, file=sys.stderr)
    sys.exit(code)


def shown(name):
    """A user name for a message: no control characters."""
    text = name.decode('utf-8', 'replace')
    return ''.join(c if c.isprintable() else '?' for c in text)


def split_lines(data):
    """Lines without their '\\n' (a CR of a CRLF file stays) and whether a '\\n' ends the data."""
    final = data == b'' or data.endswith(b'\n')
    lines = data.split(b'\n')
    if final:
        lines.pop()
    return lines, final


def join_lines(lines, final):
    return b'\n'.join(lines) + (b'\n' if final and lines else b'')


def eol_of(lines):
    """A CRLF file stays CRLF (mosquitto trims the CR)."""
    return b'\r' if any(line.endswith(b'\r') for line in lines) else b''


# --- acl file, read as mosquitto 2.0 reads it (aclfile__parse, src/security_default.c) -------
# Lines before the first "user" line are the anonymous section; "pattern" lines apply to every
# client wherever they stand; '#' in column 0 is a comment.

ACCESS = (b'read', b'write', b'readwrite', b'deny')


def acl_line(raw, number):
    """[raw, kind, value]: kind blank, comment, user (value: name) or topic/pattern
    (value: (access, topic))."""
    text = raw.rstrip()
    if text.startswith(b'#'):
        return [raw, 'comment', None]
    words = text.lstrip(b' ')
    if not words:
        return [raw, 'blank', None]
    first, _, rest = words.partition(b' ')
    if first in (b'topic', b'pattern'):
        access, _, topic = rest.lstrip(b' ').partition(b' ')
        topic = topic.strip()
        if not topic:
            access, topic = b'readwrite', access
        if not topic:
            raise Refused('line %d: a %s line without a topic' % (number, first.decode()))
        if access not in ACCESS:
            raise Refused('line %d: the access type must be read, write, readwrite or deny'
                          % number)
        return [raw, first.decode(), (access, topic)]
    if first == b'user':
        name = rest.strip()
        if not name:
            raise Refused('line %d: a "user" line without a name' % number)
        return [raw, 'user', name]
    if number == 1 and words.startswith(b'\xef\xbb\xbf'):
        raise Refused('line 1: the file starts with a byte order mark')
    raise Refused('line %d: mosquitto refuses this line (it must start with topic, pattern or '
                  'user, words separated by spaces, or # in the first column)' % number)


def parse_acl(data):
    if b'\0' in data:
        raise Refused('the file contains a NUL byte')
    lines, final = split_lines(data)
    return [acl_line(raw, i + 1) for i, raw in enumerate(lines)], final


def acl_sections(parsed):
    """(anonymous rules, {user: rules over all its sections}, {user: comments above it},
    users in order)."""
    anonymous, rules, comments, order = [], {}, {}, []
    user = None
    for i, (_, kind, value) in enumerate(parsed):
        if kind == 'user':
            user = value
            if user not in rules:
                rules[user] = []
                order.append(user)
                k = i
                while k > 0 and parsed[k - 1][1] == 'comment':
                    k -= 1
                comments[user] = [raw.rstrip(b'\r') for raw, _, _ in parsed[k:i]]
        elif kind == 'topic':
            (rules[user] if user is not None else anonymous).append(value)
    return anonymous, rules, comments, order


def rule_line(rule, eol):
    return [b'topic ' + rule[0] + b' ' + rule[1] + eol, 'topic', rule]


def ensure_anonymous_rule(parsed, rule, eol):
    if rule in acl_sections(parsed)[0]:
        return False
    first_user, last_rule = None, None
    for i, (_, kind, _) in enumerate(parsed):
        if kind == 'user':
            first_user = i
            break
        if kind in ('topic', 'pattern'):
            last_rule = i
    if last_rule is not None:
        parsed.insert(last_rule + 1, rule_line(rule, eol))
    elif first_user is None:
        parsed.append(rule_line(rule, eol))
    else:
        # Before the first user and the comment lines that describe that user.
        at = first_user
        while at > 0 and parsed[at - 1][1] == 'comment':
            at -= 1
        parsed[at:at] = [rule_line(rule, eol), [eol, 'blank', None]]
    return True


def set_user_rules(parsed, user, wanted, comment, eol):
    rules = acl_sections(parsed)[1]
    if user in rules and rules[user] == wanted:
        return 'unchanged'
    if user not in rules:
        if parsed and parsed[-1][1] != 'blank':
            parsed.append([eol, 'blank', None])
        parsed.extend([line + eol, 'comment', None] for line in comment)
        parsed.append([b'user ' + user + eol, 'user', user])
        parsed.extend(rule_line(r, eol) for r in wanted)
        return 'added'
    # The user's topic lines leave all its sections; ours go where the first section's first
    # topic line was. Its comments and pattern lines stay where they are.
    insert_at, placed, section, seen, i = None, False, 0, 0, 0
    while i < len(parsed):
        _, kind, value = parsed[i]
        if kind == 'user':
            if value == user:
                seen += 1
            section = seen if value == user else 0
            if section == 1:
                insert_at = i + 1
        elif section and kind == 'topic':
            if section == 1 and not placed:
                insert_at, placed = i, True
            del parsed[i]
            continue
        i += 1
    parsed[insert_at:insert_at] = [rule_line(r, eol) for r in wanted]
    return 'updated'


def merge_acl(ours, existing):
    """(merged bytes, [(user, what)], [other users kept])."""
    try:
        mine, _ = parse_acl(ours)
    except Refused as e:
        fail(4, 'the acl file of the bundle: %s' % e)
    anonymous, rules, comments, order = acl_sections(mine)
    parsed, final = parse_acl(existing)
    others = [u for u in acl_sections(parsed)[3] if u not in rules]
    if not parsed:
        # A new file is exactly the bundle's, header comments and all.
        return ours, [(u, 'added') for u in order], others
    eol = eol_of([raw for raw, _, _ in parsed])
    changed = False
    report = []
    for rule in anonymous:
        if ensure_anonymous_rule(parsed, rule, eol):
            changed = True
            report.append((b'(anonymous)', 'updated'))
    for user in order:
        what = set_user_rules(parsed, user, rules[user], comments[user], eol)
        changed = changed or what != 'unchanged'
        report.append((user, what))
    if not changed:
        return existing, report, others
    return join_lines([raw for raw, _, _ in parsed], True), report, others


# --- password file: "user:hash" lines (pwfile__parse, src/password_mosq.c) --------------------

def user_of(line):
    """The user a line is for, as the broker reads it; None for lines it skips."""
    if line.startswith(b'#') or b':' not in line:
        return None
    return line.split(b':', 1)[0].strip() or None


def merge_passwords(ours, existing):
    mine = {}
    order = []
    for line in split_lines(ours)[0]:
        user = user_of(line)
        if user is not None and user not in mine:
            mine[user] = line.rstrip(b'\r')
            order.append(user)
    lines, final = split_lines(existing)
    if not lines:
        return ours, [(u, 'added') for u in order], []
    out, done, report, others = [], set(), [], []
    changed = False
    for line in lines:
        user = user_of(line)
        if user not in mine:
            if user is not None and user not in others:
                others.append(user)
            out.append(line)
            continue
        if user in done:
            changed = True  # a later line would be a second, stale password for our user
            continue
        done.add(user)
        if line.rstrip(b'\r') == mine[user]:
            report.append((user, 'unchanged'))
            out.append(line)
            continue
        out.append(mine[user] + (b'\r' if line.endswith(b'\r') else b''))
        report.append((user, 'updated'))
        changed = True
    eol = b'\r' if lines[0].endswith(b'\r') else b''
    for user in order:
        if user not in done:
            out.append(mine[user] + eol)
            report.append((user, 'added'))
            changed = True
    if not changed:
        return existing, report, others
    return join_lines(out, True), report, others


# --- files ---------------------------------------------------------------------------------

def read(path, missing_ok):
    try:
        with open(path, 'rb') as f:
            return f.read()
    except FileNotFoundError:
        if missing_ok:
            return b''
        fail(4, 'cannot read %s: it does not exist' % path)
    except OSError as e:
        fail(4, 'cannot read %s: %s' % (path, e.strerror or e))


def write_beside(path, data, uid, gid, mode):
    """Beside the file, then renamed over it: the broker never reads half a file."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(prefix='.' + os.path.basename(path) + '.', dir=folder)
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chown(temp, uid, gid)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def main():
    parser = argparse.ArgumentParser(description='Merge our MQTT users into a mosquitto acl or '
                                     'password file, keeping every other line.')
    parser.add_argument('kind', choices=('acl', 'passwd'))
    parser.add_argument('ours', help="the bundle's file with only our users")
    parser.add_argument('target', help='the file on this machine (missing counts as empty)')
    parser.add_argument('--out', help='write the merged file here; leave TARGET alone')
    parser.add_argument('--owner', help='owner of TARGET (in place)')
    parser.add_argument('--group', help='group of TARGET (in place)')
    parser.add_argument('--mode', help='mode of TARGET, octal (in place)')
    parser.add_argument('--backup-dir', help='copy TARGET into this folder before changing it')
    parser.add_argument('--check', action='store_true',
                        help='only say what would change (exit 10 when something would)')
    args = parser.parse_args()
    if not args.out and not (args.owner and args.group and args.mode):
        parser.error('give --out FILE, or --owner, --group and --mode to merge in place')

    ours = read(args.ours, False)
    existing = read(args.target, True)
    try:
        if args.kind == 'acl':
            merged, report, others = merge_acl(ours, existing)
        else:
            merged, report, others = merge_passwords(ours, existing)
    except Refused as e:
        fail(4, '%s: %s; nothing was changed' % (args.target, e))

    for user, what in report:
        print('  %s %-9s %s' % (args.kind, what, shown(user)))
    if others:
        print('  %s kept      %s' % (args.kind, ', '.join(shown(u) for u in others)))

    if args.out:
        fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, 'wb') as f:
            f.write(merged)
        return 0

    try:
        uid = pwd.getpwnam(args.owner).pw_uid
        gid = grp.getgrnam(args.group).gr_gid
        mode = int(args.mode, 8)
    except (KeyError, ValueError):
        fail(2, 'unknown owner or group, or a mode that is not octal')
    exists = os.path.lexists(args.target)
    same = exists and merged == existing
    if same:
        info = os.stat(args.target)
        same = (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (uid, gid, mode)
    if same:
        print('result: unchanged')
        return 0
    if args.check:
        print('result: would change')
        return 10
    if exists and args.backup_dir:
        os.makedirs(args.backup_dir, mode=0o700, exist_ok=True)
        backup = os.path.join(args.backup_dir, '%s.%s' % (os.path.basename(args.target),
                                                         time.strftime('%Y%m%dT%H%M%S')))
        shutil.copy2(args.target, backup)
        print('backup: %s' % backup)
    write_beside(args.target, merged, uid, gid, mode)
    print('result: changed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
)PY";

} // namespace

QByteArray mergeScript()
{
    return program;
}

} // namespace wmw::config::bundle_detail
