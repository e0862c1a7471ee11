// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/plan.h"
#include "config/stationprofile.h"
#include "remote/mqtt/livecheck.h"
#include "remote/provisioning/applyprotocol.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <memory>
#include <optional>

namespace wmw::ssh {
class SshSession;
class SshJob;
struct RunOptions;
struct SshResult;
} // namespace wmw::ssh

namespace wmw::provisioning {

/// How one Provisioner::apply() runs.
struct ProvisionerOptions
{
    bool dryRun = false; ///< stop after the plan: nothing is written
    bool installExtension = true; ///< weectl extension install when weewx-mqtt is missing
    bool verify = true; ///< the live check after an apply
    int applyTimeoutMs = 300000;
    int liveCheckTimeoutMs = 30000;
};

/// Pushes a profile to the Pi in one safe batch (manual-procedure.md steps 2-7):
/// probe (HostFacts) -> install weewx-mqtt if missing -> read the Pi's files (sudo) -> plan ->
/// stage the changed files in a private directory -> apply.sh, which checks, backs up,
/// installs, restarts and verifies, or restores everything -> the live check as the web user.
/// With weewx-mqtt installed, all of it is ONE sudo run: the probe's run answers, waits for the
/// plan, then takes the staged files on its stdin and starts apply.sh (nothing to change: its
/// input just ends). After installing weewx-mqtt, the run that reads the files again goes on
/// the same way; undo() sends the files as the input of one sudo run.
///
/// The SshSession must be connected; it is not owned. Every outcome ends in finished(), queued
/// even for an immediate error. Cancel works until the staged files are handed to the Pi (the
/// point of no return), except while weewx-mqtt is being installed; from then on the Pi finishes on
/// its own, even when the connection breaks.
class Provisioner : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Provisioner)
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
public:
    enum class State {
        Idle,
        Probing,
        InstallingExtension,
        Reading,
        Planning,
        Uploading,
        Applying, ///< apply.sh runs on the Pi: no cancel from here on
        Verifying,
        Succeeded,
        Failed,
        Cancelled,
    };
    Q_ENUM(State)

    enum class Error {
        NoError,
        InvalidInput,
        Ssh, ///< the connection, sudo or a remote command failed before anything changed
        ExtensionMissing,
        ExtensionInstallFailed,
        ReadFailed,
        GenerateFailed,
        UploadFailed,
        Busy, ///< another apply or undo runs on the Pi
        ChangedOnPi, ///< a file changed between reading and applying: nothing was changed
        ApplyFailed, ///< a check failed; every file was restored and the services restarted
        RollbackFailed,
        ConnectionLostDuringApply, ///< the Pi finishes alone: all new files or all old ones
        NoBackup,
        Timeout,
        LiveCheckFailed,
        Cancelled,
    };
    Q_ENUM(Error)

    using Options = ProvisionerOptions;

    explicit Provisioner(ssh::SshSession *session, QObject *parent = nullptr);
    ~Provisioner() override;

    void apply(const config::StationProfile &profile, const config::Secrets &secrets,
               const Options &options = {});
    /// Restores backup `name` (empty: the latest apply not undone yet). Uses sudoPassword.
    void undo(const QString &name, const config::Secrets &secrets);
    /// False while weectl installs weewx-mqtt, and once the files were handed to the Pi: from
    /// then on the Pi completes or rolls back. Before that nothing is staged on the Pi; a sudo
    /// run waiting for the files gets end of file and exits.
    bool cancel();

    State state() const { return m_state; }
    Error error() const { return m_error; }
    QString errorString() const { return m_errorString; }
    const config::Plan &plan() const { return m_plan; }
    QStringList notes() const { return m_notes; } ///< translated; warnings included
    QString backupName() const { return m_backupName; } ///< made by this run; empty if none
    QStringList restartedUnits() const { return m_restarted; }
    const QList<ProgressLine> &progressLines() const { return m_lines; }
    const mqtt::LiveCheck *liveCheck() const { return m_liveCheck.get(); }

    /// Test hook: disconnect the SSH session after `jobs` remote operations of `stage`, to
    /// check that a cut at that point leaves the Pi with all old or all new files.
    void setDropConnectionAt(State stage, int jobs = 1);

signals:
    void stateChanged(wmw::provisioning::Provisioner::State state);
    void step(const QString &text); ///< translated, one per step; never a secret
    void progressLine(const wmw::provisioning::ProgressLine &line);
    void planReady();
    void finished();

private:
    using Handler = void (Provisioner::*)(const ssh::SshResult &);
    /// Calls `next` with the job's result once it finished (one operation for
    /// setDropConnectionAt()), unless the run was cancelled or ended meanwhile.
    void watch(ssh::SshJob *job, Handler next);
    void report(const QString &text);
    void setState(State state);
    bool enter(State state); ///< setState(); false when a slot cancelled meanwhile
    void fail(Error error, const QString &message);
    bool failedJob(const ssh::SshResult &result, Error error, const QString &what);
    void onProbed(const ssh::SshResult &result);
    /// The probe's sudo run (or, after installing weewx-mqtt, the read's) stays open after its
    /// answer (see probeAndReadScript()): its output up to the ready line is the probe's answer,
    /// after it the launch's.
    void onOpenRunOutput(const QByteArray &chunk);
    void onOpenRunFinished(ssh::SshJob *job);
    void startOpenRun(ssh::RunOptions run);
    /// The open run's answer: the probe's (Probing) or the read's (Reading).
    void onOpenRunAnswer(const ssh::SshResult &result);
    /// Ends the open run without staging: it exits and changes nothing.
    void releaseOpenRun();
    void onExtensionInstalled(const ssh::SshResult &result);
    bool restoreBeforeExtension(Error error, const QString &message);
    void startReading();
    void countOperations(int operations);
    void onRead(const ssh::SshResult &result);
    void startStaging();
    /// From the point of no return on: `launch` runs (or is about to run) apply.sh.
    void startApplying(ssh::SshJob *launch);
    void onLaunchFinished(const ssh::SshResult &result);
    void onLaunched(const ssh::SshResult &result);
    void onLaunchOutput(const QByteArray &chunk);
    /// Handles the whole lines at the start of `bytes` (progress file content); returns
    /// false once the last line ("end") was handled.
    bool takeProgress(QByteArray bytes);
    void failApplyTimeout();
    void follow();
    void onFollowed(const ssh::SshResult &result);
    void conclude(const ProgressLine &end);
    void verify(mqtt::LiveCheck::Arm arm = mqtt::LiveCheck::Arm::FromNow);
    /// The live check as the web user; `armed` false: loop records count only from
    /// LiveCheck::arm() on (weewx restarts in this run). `announce` false: says nothing
    /// yet (announceLiveCheck() once it is certain to count).
    void startLiveCheck(bool armed, bool announce = true);
    void announceLiveCheck();
    /// Where the Belchertown page connects: ws(s)://host:port/mqtt from the profile.
    QUrl pageUrl() const;
    void onLiveCheckFinished();

    QPointer<ssh::SshSession> m_session;
    QPointer<ssh::SshJob> m_job;
    std::unique_ptr<mqtt::LiveCheck> m_liveCheck;
    config::StationProfile m_profile;
    config::Secrets m_secrets;
    Options m_options;
    bool m_undo = false;
    QString m_undoName;
    config::Plan m_plan;
    std::optional<QByteArray> m_readWithProbe; ///< the files, read in the probe's sudo run
    /// The probe's sudo run, waiting for the staged files once it answered (not a dry run).
    QPointer<ssh::SshJob> m_openRun;
    QByteArray m_openOutput; ///< its output until the ready line
    /// Where the launch's output starts in the open run's stdout (after the ready line);
    /// -1 until that line came.
    qsizetype m_launchFrom = -1;
    QString m_runId;
    QList<ProgressLine> m_lines;
    qint64 m_progressBytes = 0; ///< whole lines of the progress file read so far
    QByteArray m_launchOutput; ///< the launch's stream not handled yet (a line in parts)
    bool m_launchStarted = false; ///< its "started" line arrived
    QElapsedTimer m_applyClock;
    QStringList m_notes;
    QStringList m_restarted;
    QString m_backupName;
    /// weewx.conf as it was before `weectl extension install` (a copy on the Pi), and the
    /// checksum of what weectl left: a failed run puts the old file back only while the Pi
    /// still holds exactly that, so an edit made meanwhile is never overwritten.
    QString m_preExtensionCopy;
    QByteArray m_extensionConfSha;
    bool m_originalInManifest = false; ///< apply.sh backs up m_preExtensionCopy for weewx.conf
    bool m_restartsMosquitto = false; ///< the apply changes a file mosquitto reads
    bool m_restartsWeewx = false; ///< ... a file weewx reads
    bool m_rollingBack = false; ///< apply.sh reported "rollback start"
    State m_dropAt = State::Idle;
    int m_dropAfterJobs = 0;
    int m_jobsInState = 0;
    State m_state = State::Idle;
    Error m_error = Error::NoError;
    QString m_errorString;
};

} // namespace wmw::provisioning

Q_DECLARE_METATYPE(wmw::provisioning::ProgressLine)
