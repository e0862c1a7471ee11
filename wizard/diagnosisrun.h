// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "remote/diagnosis/report.h"
#include "remote/ssh/sshtypes.h"
#include "wizard/livestatus.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace wmw {

namespace diagnosis {
class Diagnoser;
}
namespace ssh {
class SshSession;
}

/// The Diagnosis page's job: runs the Diagnoser over the session the Pi connection page left
/// open (or logs in anew, asking about an unknown host key and missing passwords through
/// signals), keeps the progress lines and the report, and draws the report as the connection
/// chain. finished() follows every start(), also after cancel().
class DiagnosisRun : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Running, Finished, Failed, Cancelled };
    Q_ENUM(State)

    struct Options
    {
        ssh::SshTarget target; ///< used when there is no open session
        QString sudoPassword; ///< empty: the facts are collected without sudo
        QString pageUrl; ///< the page as visitors open it (optional)
        QStringList secrets; ///< passwords masked in the report besides the Pi's own
        int liveMessageTimeoutMs = 30000;
    };

    explicit DiagnosisRun(QObject *parent = nullptr);
    ~DiagnosisRun() override;

    /// `session`: an open session to use as is (not owned); nullptr logs in to the target.
    void start(ssh::SshSession *session, const Options &options);
    void cancel();
    void acceptHostKey();
    void refuseHostKey();
    void provideCredential(const QStringList &answers);
    void refuseCredential();

    State state() const { return m_state; }
    bool isRunning() const { return m_state == State::Running; }
    /// The findings; for Failed, the reason as a finding (no SSH login, no facts).
    const diagnosis::DiagnosisReport &report() const { return m_report; }
    QStringList log() const { return m_log; }
    /// Writes the report to `path`: HTML for .html/.htm, else Markdown. Passwords and hashes
    /// are masked. Empty on success, else the translated reason.
    [[nodiscard]] QString saveReport(const QString &path) const;
    /// Shows a report without any network (the screenshots' demo state).
    void present(const diagnosis::DiagnosisReport &report);

    /// The chain a report draws: the links its failures break in red (the first failure's
    /// title as the reason), warnings amber, links the live check or the Pi's facts proved
    /// green, the rest grey. Pure.
    static QList<ChainLink> chainOf(const diagnosis::DiagnosisReport &report);
    /// The link of the chain a finding is about (LiveStatus::Link), or -1 (the SSH login).
    static int linkOf(const diagnosis::Finding &finding, const diagnosis::LiveOutcome &live);

signals:
    void stateChanged(wmw::DiagnosisRun::State state);
    void progress(const QString &step); ///< translated
    void hostKeyUnknown(const wmw::ssh::HostKeyInfo &info);
    void credentialRequested(const wmw::ssh::CredentialRequest &request);
    void finished();

private:
    void setState(State state);
    void onFinished();

    std::unique_ptr<ssh::SshSession> m_ownSession;
    QPointer<ssh::SshSession> m_session;
    std::unique_ptr<diagnosis::Diagnoser> m_diagnoser;
    diagnosis::DiagnosisReport m_report;
    QStringList m_secrets;
    QStringList m_log;
    State m_state = State::Idle;
};

} // namespace wmw
