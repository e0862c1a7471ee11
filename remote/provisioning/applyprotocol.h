// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/plan.h"
#include "config/stationprofile.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

namespace wmw::provisioning {

/// One line the apply script wrote: "@wmw STEP STATUS DETAIL".
struct ProgressLine
{
    QString step; ///< start, check, select, backup, original, install, remove, restart, active,
                  ///< listen, log, journal, weewxlog, rollback, restore, end
    QString status; ///< ok, failed, changed, error, start, refused, busy
    QString detail; ///< a path, a unit, a port, a backup name or a log line
};

/// What the laptop and remote/provisioning/apply.sh say to each other, as pure functions:
/// the read script and its output, the manifest, the progress lines. No I/O here.
class ApplyProtocol
{
    Q_DECLARE_TR_FUNCTIONS(wmw::provisioning::ApplyProtocol)
public:
    /// Where the Pi keeps progress files and the run lock; readable by the SSH user.
    static QString stateDir() { return QStringLiteral("/run/weewx-mqtt-wizard"); }
    static QString backupRoot() { return QStringLiteral("/var/backups/weewx-mqtt-wizard"); }
    /// The upstream archive `weectl extension install` takes (manual-procedure.md step 5).
    static QString extensionUrl()
    {
        return QStringLiteral(
                "https://github.com/matthewwall/weewx-mqtt/archive/refs/heads/master.zip");
    }

    /// The apply script (resource :/remote/provisioning/apply.sh).
    static QByteArray applyScript();

    /// A fixed sh program for `sudo sh -c`: reads absolute paths, one per stdin line, and
    /// prints per path "F <0 absent|1 file|2 not a file|3 unreadable> [owner group mode]" and
    /// then one line of base64 (empty unless 1). Paths travel on stdin, never in the command.
    static QByteArray readScript();
    static QByteArray readInput(const QStringList &paths);
    /// The probe (hostFactsProbeScript()) and the read of `paths` as ONE script for
    /// `sudo sh -s`: what readScript() prints, a line "@wmw-probe", then the probe's output.
    /// Saves a sudo run and its round trips; the paths are part of the script on stdin.
    ///
    /// With `stageRunId`, the run goes on: after the probe's output a line readyMarker(), then
    /// stageAndLaunchFunction() waits for the rest of stdin. The laptop plans meanwhile and
    /// writes stageHeader() and stageArchive() (then closes the input), or closes the input to
    /// change nothing: one sudo run, one password check, for the whole apply.
    ///
    /// With `first` (sh commands, e.g. the weewx-mqtt install), the run does that before the
    /// probe and the read, without stdin, and prints a line "@wmw-first STATUS" after its
    /// output; when STATUS is not 0 the run ends with it. splitFirst() takes it apart.
    static QByteArray probeAndReadScript(const QByteArray &probe, const QStringList &paths,
                                         const QString &stageRunId = {},
                                         const QByteArray &first = {});
    /// "more RUNID\n": instead of stageHeader(), the run goes on with the sh script that
    /// follows on stdin (another probeAndReadScript() with the same run id).
    static QByteArray moreHeader(const QString &runId);
    struct FirstPart
    {
        QByteArray output; // what `first` printed
        int status = -1; // its exit status; -1 when its line is missing (the run was cut)
        QByteArray rest; // what the run printed after that line
    };
    static FirstPart splitFirst(const QByteArray &output);
    /// "\n@wmw-ready RUNID\n": the run id is random, so no probe output or file holds it.
    static QByteArray readyMarker(const QString &runId);
    /// "stage RUNID\n": the first line of the input that stages and launches.
    static QByteArray stageHeader(const QString &runId);
    /// The sh function wmw_stage, as root: reads stageHeader() and then stageArchive() from
    /// stdin into the private folder /tmp/weewx-mqtt-wizard.RUNID (mode 0700), starts apply.sh
    /// from it detached from the connection, prints "started" and then, in the same run,
    /// streams its progress file until apply.sh has ended (GNU tail -F --pid): every line comes
    /// back as the Pi writes it. When the stream stops early (a tail without --pid, a cut),
    /// followCommand() picks up. End of file or another first line: exits 0, changes nothing;
    /// an archive cut off: the folder is removed, exit 1. moreHeader(): returns, and sh reads
    /// its next commands from stdin.
    static QByteArray stageAndLaunchFunction(const QString &runId);
    /// Splits its output: the probe's part (empty when cut off), and the read part (nullopt
    /// when it is missing).
    static std::pair<QByteArray, std::optional<QByteArray>> splitProbeAndRead(
            const QByteArray &output);
    struct [[nodiscard]] ReadResult
    {
        QHash<QString, config::CurrentFile> files;
        QString errorString; ///< translated; names the path
        bool ok() const { return errorString.isEmpty(); }
    };
    static ReadResult parseRead(const QByteArray &output, const QStringList &paths);

    /// A fresh run id for the manifest and the progress file (random, [A-Za-z0-9]).
    static QString newRunId();
    /// The staged files as ONE stream (after stageHeader()): a POSIX ustar archive, every
    /// entry mode 0600. Names are relative ("apply.sh", "manifest", "files/N"). The files
    /// (weewx.conf's passwords, the hashes) travel only inside the channel, never on a command
    /// line, and land only in root's private folder.
    static QByteArray stageArchive(const QList<std::pair<QString, QByteArray>> &entries);
    /// stageAndLaunchFunction() as a `sudo sh -c` command of its own, for a run whose stdin
    /// is stageHeader() and stageArchive() from the start (undo; an apply whose open run ended).
    static QByteArray stageAndLaunchCommand(const QString &runId);
    /// As the SSH user: waits (up to about 15 s) until the progress file of `runId` holds more
    /// than `offset` bytes, then prints them from `offset` on. One channel per burst of
    /// progress instead of one per poll.
    static QByteArray followCommand(const QString &runId, qint64 offset);
    static bool isRunId(const QString &runId);

    /// The manifest for one apply: every file whose plan is not Unchanged, with the checksum of
    /// the Pi's copy as it was read. Empty (and `error` set) when a field cannot be carried.
    /// `originals` maps a path to its copy from before `weectl extension install` changed it
    /// (originalCopyDir()/weewx.conf): the backup, and so rollback and undo, take that copy.
    static QByteArray applyManifest(const QString &runId, const config::Plan &plan,
                                    const config::StationProfile &profile, QString *error = nullptr,
                                    const QHash<QString, QString> &originals = {});
    /// A fresh folder for the copy of weewx.conf taken before the weewx-mqtt install, under
    /// backupRoot() ("before-weewx-mqtt-<UTC time>"); isOriginalCopy() accepts its weewx.conf.
    static QString originalCopyDir(const QDateTime &utc);
    static bool isOriginalCopy(const QString &path);
    /// The manifest for an undo of `backup` (empty: the latest apply).
    static QByteArray undoManifest(const QString &runId, const QString &backup);
    static bool isBackupName(const QString &name);

    static QByteArray sha256Hex(const QByteArray &bytes);

    /// One complete line of the progress file; nullopt for anything that is not ours.
    static std::optional<ProgressLine> parseProgress(const QByteArray &line);
    /// The translated text of a line, for the user and the log.
    static QString describe(const ProgressLine &line);
};

} // namespace wmw::provisioning
