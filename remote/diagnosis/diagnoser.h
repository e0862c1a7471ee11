// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "remote/diagnosis/diagnosisinput.h"
#include "remote/diagnosis/report.h"
#include "remote/mqtt/livecheck.h"
#include "remote/ssh/sshtypes.h"

#include <QObject>
#include <QPointer>

namespace wmw::ssh {
class SshSession;
class SshJob;
} // namespace wmw::ssh

namespace wmw::diagnosis {

/// The diagnosis job: runs the HostFacts probe over SSH (with sudo), reads the page's settings
/// from weewx.conf and its generated JavaScript, runs the live check against the page's host,
/// port and topic as the page's user, and applies the rules. Emits finished() once, also for
/// an immediate error (queued) and after cancel().
///
/// The session is the caller's: a connected one is used as is; otherwise start() connects it
/// to `Options::target`, and the caller answers the session's hostKeyUnknown() and
/// credentialRequested() signals.
class Diagnoser : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
public:
    enum class State { Idle, Connecting, Probing, ReadingPage, CheckingLive, Finished, Failed };
    Q_ENUM(State)
    enum class Error { None, Ssh, Probe, ReportUnreadable, Cancelled };
    Q_ENUM(Error)

    struct Options
    {
        ssh::SshTarget target; ///< holds the SSH password, if any (memory only)
        QString sudoPassword; ///< empty: the probe runs without sudo and reads less
        QString pageUrl; ///< the page as visitors open it (optional)
        int probeTimeoutMs = 60000;
        int liveStepTimeoutMs = 10000;
        int liveMessageTimeoutMs = 30000;
    };

    explicit Diagnoser(ssh::SshSession *session, QObject *parent = nullptr);
    ~Diagnoser() override;

    void start(const Options &options);
    /// Stops whatever runs; finished() follows with state Failed and error Cancelled.
    void cancel();

    State state() const { return m_state; }
    Error error() const { return m_error; }
    QString errorString() const { return m_errorString; }
    /// The findings (also when the job failed: then with the reason as a finding).
    const DiagnosisReport &report() const { return m_report; }
    const DiagnosisInput &input() const { return m_input; }

signals:
    void stateChanged(wmw::diagnosis::Diagnoser::State state);
    void progress(const QString &step); ///< translated
    void finished();

private:
    void setState(State state, Error error = Error::None, const QString &message = {});
    void runProbe();
    void onProbeFinished();
    void readPageScript();
    void startLiveCheck();
    void analyse();
    void analyseWhenDone(); ///< analyse() once the live check and the page's script are done
    void liveNotRun();
    void fail(Error error, const QString &message);
    void disconnectSession();

    QPointer<ssh::SshSession> m_session;
    QPointer<ssh::SshJob> m_job;
    mqtt::LiveCheck m_live;
    Options m_options;
    DiagnosisInput m_input;
    WeewxSettings m_weewx;
    DiagnosisReport m_report;
    State m_state = State::Idle;
    quint64 m_run = 0; ///< which start() the queued first step belongs to
    bool m_startPending = false; ///< start() called, its queued first step not run yet
    bool m_liveDone = false; ///< the live check has its outcome (or cannot run)
    bool m_pageDone = false; ///< the page's script was read (or cannot be)
    Error m_error = Error::None;
    QString m_errorString;
    QList<QMetaObject::Connection> m_sessionConnections;
};

} // namespace wmw::diagnosis
