// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/provisioning/applyprotocol.h"

#include "config/generate.h"
#include "remote/ssh/shellquote.h"

#include <QCryptographicHash>
#include <QFile>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <algorithm>

namespace wmw::provisioning {

namespace {

bool matches(const QString &pattern, const QString &text)
{
    return QRegularExpression(QRegularExpression::anchoredPattern(pattern)).match(text).hasMatch();
}

// What a manifest field may hold: the script splits on blanks and knows no quoting.
bool isPlainPath(const QString &path)
{
    return matches(QStringLiteral("/[A-Za-z0-9._/-]+"), path)
           && !path.contains(QStringLiteral(".."));
}

bool isAccountName(const QString &name)
{
    return matches(QStringLiteral("[a-z_][a-z0-9_-]{0,31}"), name);
}

} // namespace

QByteArray ApplyProtocol::applyScript()
{
    QFile file(QStringLiteral(":/remote/provisioning/apply.sh"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

QByteArray ApplyProtocol::readScript()
{
    // stat and base64 of coreutils (Raspberry Pi OS, Debian). `-f` follows a symlink, as the
    // services reading the file do.
    return QByteArrayLiteral(
            "while IFS= read -r p; do\n"
            "  if [ -f \"$p\" ]; then\n"
            "    if s=$(stat -c '%U %G %a' -- \"$p\") && b=$(base64 -w 0 -- \"$p\"); then\n"
            "      printf 'F 1 %s\\n%s\\n' \"$s\" \"$b\"\n"
            "    else printf 'F 3\\n\\n'; fi\n"
            "  elif [ -e \"$p\" ]; then printf 'F 2\\n\\n'\n"
            "  else printf 'F 0\\n\\n'; fi\n"
            "done\n");
}

QByteArray ApplyProtocol::readInput(const QStringList &paths)
{
    QByteArray input;
    for (const QString &path : paths)
        input += path.toUtf8() + '\n';
    return input;
}

QByteArray ApplyProtocol::probeAndReadScript(const QByteArray &probe, const QStringList &paths,
                                             const QString &stageRunId, const QByteArray &first)
{
    // The probe is a function with a subshell body: nothing it sets and no `exit` in it reaches
    // the rest. It runs on the left of a pipe, at the same time as the read on the right (it
    // waits on python starts, about a second each on a Pi Zero); its output waits in the pipe
    // until the read is done. No temporary file, so the files' contents (secrets) never touch
    // the disk. The paths are a quoted here-document: nothing in them is expanded.
    QByteArray script = "wmw_probe() (\n" + probe + "\n)\n";
    const bool stage = !stageRunId.isEmpty();
    // A subshell without stdin: nothing it runs (weectl, pip) can eat the input that follows.
    if (!first.isEmpty())
        script += "wmw_first() (\n" + first + "\n)\n";
    // With a stage: all in one function, called from the last line. sh reads a script on
    // stdin in blocks, so it must have read all of it before anything else comes on stdin:
    // the staged files come only after the ready line, which this last line prints.
    if (stage || !first.isEmpty()) {
        if (stage)
            script += stageAndLaunchFunction(stageRunId);
        script += "wmw_main() {\n";
    }
    if (!first.isEmpty())
        script += "wmw_first </dev/null\n"
                  "s=$?\n"
                  "printf '\\n@wmw-first %s\\n' \"$s\"\n"
                  "[ \"$s\" -eq 0 ] || exit \"$s\"\n";
    script += "wmw_probe </dev/null | {\n";
    script += readScript().replace("done\n", "done <<'WMW_PATHS'\n");
    script += readInput(paths) + "WMW_PATHS\n";
    script += "printf '\\n@wmw-probe\\n'\n"
              "cat\n"
              "}\n";
    // After wmw_stage returns (moreHeader()), sh goes on with the commands that follow on
    // stdin; at their end of file it exits 0.
    if (stage)
        script += "printf '" + readyMarker(stageRunId).replace("\n", "\\n")
                  + "'\nwmw_stage\n}\nwmw_main\n";
    else if (!first.isEmpty())
        script += "}\nwmw_main\nexit 0\n";
    else
        script += "exit 0\n"; // what went wrong is in the answer; the probe's own status is not
    return script;
}

QByteArray ApplyProtocol::moreHeader(const QString &runId)
{
    return "more " + runId.toLatin1() + '\n';
}

ApplyProtocol::FirstPart ApplyProtocol::splitFirst(const QByteArray &output)
{
    FirstPart part;
    static constexpr QByteArrayView marker = "\n@wmw-first ";
    const qsizetype at = output.lastIndexOf(marker);
    const qsizetype end = at < 0 ? -1 : output.indexOf('\n', at + marker.size());
    if (end < 0) {
        part.output = output;
        return part;
    }
    bool ok = false;
    const int status = output.mid(at + marker.size(), end - at - marker.size()).toInt(&ok);
    part.output = output.left(at);
    part.status = ok ? status : -1;
    part.rest = output.mid(end + 1);
    return part;
}

std::pair<QByteArray, std::optional<QByteArray>> ApplyProtocol::splitProbeAndRead(
        const QByteArray &output)
{
    // The first marker: the read part before it is base64 and "F" lines, the probe's text
    // after it could hold anything.
    const QByteArray marker = QByteArrayLiteral("\n@wmw-probe\n");
    const qsizetype at = output.indexOf(marker);
    if (at < 0) // cut off: the probe is missing, and the rest holds files' contents
        return {QByteArray(), std::nullopt};
    return {output.mid(at + marker.size()), output.left(at)};
}

ApplyProtocol::ReadResult ApplyProtocol::parseRead(const QByteArray &output,
                                                   const QStringList &paths)
{
    ReadResult result;
    QList<QByteArray> lines = output.split('\n');
    qsizetype at = 0;
    for (const QString &path : paths) {
        // Each answer is a head line and a data line, each ended by a newline: a data line
        // without its newline was cut, and base64 cut at a quantum would still decode.
        if (at + 2 >= lines.size()) {
            result.errorString = tr("The Pi's answer about %1 is missing.").arg(path);
            return result;
        }
        const QList<QByteArray> head = lines.at(at).split(' ');
        const QByteArray data = lines.at(at + 1);
        at += 2;
        if (head.size() < 2 || head.at(0) != "F") {
            result.errorString = tr("The Pi's answer about %1 is garbled.").arg(path);
            return result;
        }
        config::CurrentFile file;
        if (head.at(1) == "0") {
            result.files.insert(path, file);
            continue;
        }
        if (head.at(1) == "2") {
            result.errorString = tr("%1 on the Pi is not a regular file.").arg(path);
            return result;
        }
        bool ok = false;
        if (head.at(1) != "1" || head.size() != 5 || (file.mode = head.at(4).toInt(&ok, 8), !ok)) {
            result.errorString = tr("%1 on the Pi cannot be read, even with sudo.").arg(path);
            return result;
        }
        const auto decoded =
                QByteArray::fromBase64Encoding(data, QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            result.errorString = tr("The Pi's copy of %1 arrived damaged.").arg(path);
            return result;
        }
        file.exists = true;
        file.owner = QString::fromUtf8(head.at(2));
        file.group = QString::fromUtf8(head.at(3));
        file.bytes = *decoded;
        result.files.insert(path, file);
    }
    return result;
}

QString ApplyProtocol::newRunId()
{
    static constexpr char alphabet[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString id;
    for (int i = 0; i < 12; ++i)
        id += QLatin1Char(alphabet[QRandomGenerator::system()->bounded(int(sizeof alphabet - 1))]);
    return id;
}

bool ApplyProtocol::isRunId(const QString &runId)
{
    return matches(QStringLiteral("[A-Za-z0-9]{1,64}"), runId);
}

QByteArray ApplyProtocol::stageArchive(const QList<std::pair<QString, QByteArray>> &entries)
{
    // ustar: a 512-byte header per entry, the data padded to 512, two zero blocks at the end.
    const auto octal = [](qint64 value, int width) {
        return QByteArray::number(value, 8).rightJustified(width, '0');
    };
    QByteArray out;
    for (const auto &[name, bytes] : entries) {
        QByteArray header(512, '\0');
        const auto put = [&header](int at, const QByteArray &value) {
            std::copy(value.begin(), value.end(), header.begin() + at);
        };
        put(0, name.toUtf8().left(99));
        put(100, octal(0600, 7));
        put(108, octal(0, 7));
        put(116, octal(0, 7));
        put(124, octal(bytes.size(), 11));
        put(136, octal(946684800, 11)); // 2000-01-01: no clock of ours on the Pi
        put(148, QByteArray(8, ' '));
        header[156] = '0';
        put(257, QByteArrayLiteral("ustar"));
        put(263, QByteArrayLiteral("00"));
        uint sum = 0;
        for (const char c : std::as_const(header))
            sum += uchar(c);
        put(148, octal(sum, 6));
        header[154] = '\0';
        header[155] = ' ';
        out += header;
        out += bytes;
        out += QByteArray((512 - bytes.size() % 512) % 512, '\0');
    }
    out += QByteArray(1024, '\0');
    return out;
}

namespace {
// The launch, for a staging folder given as a shell word (a quoted path or "$d").
QByteArray launchBody(const QByteArray &dir, const QString &runId)
{
    const QByteArray file =
            (ApplyProtocol::stateDir() + u'/' + runId + QStringLiteral(".progress")).toUtf8();
    // setsid: a new session without a terminal, so neither the end of the SSH channel nor
    // sudo's pty (Debian's use_pty) can hang it up; it finishes or rolls back on its own.
    // Started from a subshell that ends at once, so apply.sh is not tail's child: a child
    // that ended stays a zombie nobody reaps, and tail --pid would wait for it forever. $! is
    // apply.sh itself (setsid execs it without forking: the job leads no process group).
    // tail follows the file and stops once apply.sh has ended. The file is made first:
    // GNU tail watches a file that exists with inotify, but polls for one that does not yet
    // (-s 0.2: every line would wait up to 0.2 s). apply.sh empties it again when it starts.
    const QByteArray dirOfFile = ApplyProtocol::stateDir().toUtf8();
    return "cd / && (umask 022 && mkdir -p " + dirOfFile + " && : >>" + file
           + ") 2>/dev/null\n"
             "pid=$( (setsid /bin/sh "
           + dir + "/apply.sh " + dir
           + " </dev/null >/dev/null 2>&1 & echo $!) ) || exit 1\n"
             "echo started\n"
             "exec tail -c +1 -F -s 0.2 --pid=\"$pid\" "
           + file + " 2>/dev/null\n";
}
} // namespace

QByteArray ApplyProtocol::stageHeader(const QString &runId)
{
    return "stage " + runId.toLatin1() + '\n';
}

QByteArray ApplyProtocol::readyMarker(const QString &runId)
{
    return "\n@wmw-ready " + runId.toLatin1() + '\n';
}

QByteArray ApplyProtocol::stageAndLaunchFunction(const QString &runId)
{
    if (!isRunId(runId))
        return "wmw_stage() { exit 2; }\n";
    const QByteArray id = runId.toLatin1();
    // Nothing happens unless the first line is this run's header: end of file (the laptop
    // decided against it, or the connection broke) or any other line leave the Pi as it is.
    // The archive ends the input; a cut one fails in tar or leaves the manifest out (it is the
    // last entry), and the folder goes again. Root's folder, mode 0700: the files hold hashes
    // and weewx.conf's passwords. mkdir, not mktemp: the run id is random (12 of 62
    // characters) and mkdir fails on a name that exists, so nobody can slip in a folder or a
    // link of their own.
    return "wmw_stage() {\n"
           "IFS= read -r w || exit 0\n"
           "[ \"$w\" = 'more "
           + id
           + "' ] && return 0\n"
             "[ \"$w\" = 'stage "
           + id
           + "' ] || exit 0\n"
             "umask 077\n"
             "d=/tmp/weewx-mqtt-wizard."
           + id
           + "\n"
             "mkdir -m 0700 -- \"$d\" || exit 1\n"
             "if ! { mkdir \"$d/files\" && tar -x -f - -C \"$d\" && [ -f \"$d/manifest\" ]; }; "
             "then\n"
             "  rm -rf -- \"$d\"; echo 'the staged files did not arrive whole' >&2; exit 1\n"
             "fi\n"
           + launchBody("\"$d\"", runId) + "}\n";
}

QByteArray ApplyProtocol::stageAndLaunchCommand(const QString &runId)
{
    return stageAndLaunchFunction(runId) + "wmw_stage\nexit 0\n";
}

QByteArray ApplyProtocol::followCommand(const QString &runId, qint64 offset)
{
    if (!isRunId(runId) || offset < 0)
        return QByteArrayLiteral("exit 2\n");
    const QByteArray file = (stateDir() + u'/' + runId + QStringLiteral(".progress")).toUtf8();
    const QByteArray at = QByteArray::number(offset);
    // Waits in steps of 0.1 s (no inotify tools on a stock Pi); after new bytes, 0.1 s more
    // so that a burst of lines (check, backup, install) comes back in one answer.
    return "f=" + file
           + "; i=0\n"
             "while [ $i -lt 150 ]; do\n"
             "  if [ -f \"$f\" ] && [ $(wc -c <\"$f\") -gt "
           + at
           + " ]; then\n"
             "    sleep 0.1; tail -c +"
           + QByteArray::number(offset + 1)
           + " \"$f\"; exit 0\n"
             "  fi\n"
             "  i=$((i + 1)); sleep 0.1\n"
             "done\n";
}

QString ApplyProtocol::originalCopyDir(const QDateTime &utc)
{
    return backupRoot() + QStringLiteral("/before-weewx-mqtt-")
           + utc.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'-zzz"));
}

bool ApplyProtocol::isOriginalCopy(const QString &path)
{
    return isPlainPath(path)
           && matches(QRegularExpression::escape(backupRoot())
                              + QStringLiteral("/before-weewx-mqtt-[0-9TZ-]+/weewx\\.conf"),
                      path);
}

QByteArray ApplyProtocol::applyManifest(const QString &runId, const config::Plan &plan,
                                        const config::StationProfile &profile, QString *error,
                                        const QHash<QString, QString> &originals)
{
    const auto refuse = [error](const QString &message) {
        if (error)
            *error = message;
        return QByteArray();
    };
    QByteArray out = "wmw-manifest 1\nmode apply\nrun " + runId.toUtf8() + "\nports "
                     + QByteArray::number(profile.mqttPort) + ' '
                     + QByteArray::number(profile.websocketPort) + '\n';
    int index = 0;
    for (const config::FilePlan &file : plan.files()) {
        ++index;
        if (file.action == config::FileAction::Unchanged)
            continue;
        const config::FileEntry &wanted = file.wanted;
        if (!isPlainPath(wanted.path))
            return refuse(
                    tr("The path %1 cannot be written by the apply script.").arg(wanted.path));
        if (!isAccountName(wanted.owner) || !isAccountName(wanted.group))
            return refuse(tr("The owner %1:%2 of %3 is not a valid account name.")
                                  .arg(wanted.owner, wanted.group, wanted.path));
        const QByteArray unit =
                config::Generate::readerOf(profile, wanted.path) == config::Generate::Reader::Weewx
                        ? "weewx"
                        : "mosquitto";
        const QByteArray sum = file.current.exists ? sha256Hex(file.current.bytes) : "absent";
        out += "file " + QByteArray::number(index) + ' ' + unit + ' ' + wanted.owner.toUtf8() + ' '
               + wanted.group.toUtf8() + ' ' + config::modeText(wanted.mode).toUtf8() + ' ' + sum
               + ' ' + wanted.path.toUtf8() + '\n';
        if (const QString copy = originals.value(wanted.path); !copy.isEmpty()) {
            if (!isOriginalCopy(copy) || !file.current.exists)
                return refuse(tr("The copy %1 cannot be the backup of %2.").arg(copy, wanted.path));
            out += "original " + QByteArray::number(index) + ' ' + copy.toUtf8() + '\n';
        }
    }
    return out;
}

QByteArray ApplyProtocol::undoManifest(const QString &runId, const QString &backup)
{
    return "wmw-manifest 1\nmode undo\nrun " + runId.toUtf8() + "\nports 0 0\nbackup "
           + (backup.isEmpty() ? QByteArray("latest") : backup.toUtf8()) + '\n';
}

bool ApplyProtocol::isBackupName(const QString &name)
{
    return matches(QStringLiteral("[0-9]{8}T[0-9]{6}Z(-[0-9]{1,2})?"), name);
}

QByteArray ApplyProtocol::sha256Hex(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

std::optional<ProgressLine> ApplyProtocol::parseProgress(const QByteArray &line)
{
    if (!line.startsWith("@wmw "))
        return std::nullopt;
    const QString text = QString::fromUtf8(line.mid(5)).trimmed();
    const qsizetype first = text.indexOf(u' ');
    if (first <= 0)
        return std::nullopt;
    ProgressLine progress;
    progress.step = text.left(first);
    const QString rest = text.mid(first + 1);
    const qsizetype second = rest.indexOf(u' ');
    progress.status = second < 0 ? rest : rest.left(second);
    progress.detail = second < 0 ? QString() : rest.mid(second + 1).trimmed();
    return progress;
}

QString ApplyProtocol::describe(const ProgressLine &l)
{
    const QString &s = l.status;
    const QString &d = l.detail;
    if (l.step == u"start")
        return d == u"undo" ? tr("The Pi started the undo.") : tr("The Pi started the apply.");
    if (l.step == u"check")
        return s == u"ok" ? tr("%1 is as it was read.").arg(d)
                          : tr("%1 changed on the Pi since it was read.").arg(d);
    if (l.step == u"select")
        return tr("Restoring backup %1.").arg(d);
    if (l.step == u"backup")
        return tr("Backed up into %1/%2.").arg(backupRoot(), d);
    if (l.step == u"original")
        return tr("The backup holds weewx.conf as it was before the weewx-mqtt install; its "
                  "separate copy %1 was removed.")
                .arg(d);
    if (l.step == u"install")
        return s == u"ok" ? tr("Installed %1.").arg(d) : tr("Installing %1 failed.").arg(d);
    if (l.step == u"remove")
        return tr("Removed %1 (it did not exist before).").arg(d);
    if (l.step == u"restart") {
        if (s == u"ok")
            return tr("Restarted %1.").arg(d);
        const qsizetype blank = d.indexOf(u' ');
        return blank < 0 ? tr("Restarting %1 failed.").arg(d)
                         : tr("Restarting %1 failed: %2").arg(d.left(blank), d.mid(blank + 1));
    }
    if (l.step == u"active")
        return s == u"ok" ? tr("%1 is running.").arg(d) : tr("%1 is not running.").arg(d);
    if (l.step == u"listen")
        return s == u"ok" ? tr("mosquitto listens on port %1.").arg(d)
                          : tr("mosquitto does not listen on port %1.").arg(d);
    if (l.step == u"log")
        return s == u"ok" ? tr("mosquitto logged no new error.")
                          : tr("mosquitto logged: %1").arg(d);
    if (l.step == u"journal")
        return tr("mosquitto's journal: %1").arg(d);
    if (l.step == u"weewxlog")
        return tr("weewx logged: %1").arg(d);
    if (l.step == u"rollback") {
        if (s == u"start")
            return tr("Rolling back: every file goes back.");
        return s == u"ok" ? tr("Rolled back: the old files are in place and running.")
                          : tr("The rollback did not complete: check the Pi.");
    }
    if (l.step == u"restore")
        return s == u"ok" ? tr("Restored %1.").arg(d) : tr("Restoring %1 failed.").arg(d);
    if (l.step == u"end")
        return s == u"ok" ? tr("The Pi finished.") : tr("The Pi stopped: %1 %2").arg(s, d);
    return tr("%1 %2 %3").arg(l.step, s, d);
}

} // namespace wmw::provisioning
