// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "remote/ssh/sshsession.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace wmw {

struct HostFacts;

/// "Test connection" on the Pi connection page: log in over SSH (asking about an unknown host
/// key and for missing secrets through signals), run the HostFacts probe, and sum up what the
/// Pi has and what it lacks. The session stays open for the steps that follow.
class ConnectionTest : public QObject
{
    Q_OBJECT
public:
    enum class State {
        Idle,
        Connecting,
        AwaitingHostKey,
        AwaitingCredential,
        Probing,
        Succeeded,
        Failed,
    };
    Q_ENUM(State)

    /// One line of the summary: "mosquitto" - "2.0.11", or "not installed" (missing).
    struct Fact
    {
        QString label;
        QString value;
        bool missing = false;
    };

    explicit ConnectionTest(QObject *parent = nullptr);
    ~ConnectionTest() override;

    void start(const ssh::SshTarget &target, const QString &sudoPassword);
    void cancel();
    void acceptHostKey();
    void refuseHostKey();
    void provideCredential(const QStringList &answers);
    void refuseCredential();

    State state() const { return m_state; }
    /// What went wrong (translated), for Failed.
    QString errorString() const { return m_errorString; }
    /// The Pi's name, user and sudo as one line, e.g. "raspberrypi, user pi with sudo".
    QString headline() const { return m_headline; }
    QList<Fact> facts() const { return m_facts; }
    /// The open session after Succeeded; nullptr otherwise.
    ssh::SshSession *session() const;

    /// Shows a result without any network (the screenshots' demo state).
    void present(State state, const QString &headline, const QList<Fact> &facts,
                 const QString &errorString = {});
    /// The summary lines of a probe's facts (pure; tested on recorded reports).
    static QList<Fact> summarize(const HostFacts &facts);
    static QString headlineOf(const HostFacts &facts);

signals:
    void stateChanged(wmw::ConnectionTest::State state);
    void hostKeyUnknown(const wmw::ssh::HostKeyInfo &info);
    void credentialRequested(const wmw::ssh::CredentialRequest &request);

private:
    void setState(State state, const QString &error = {});
    void onSessionState(ssh::SshSession::State state);
    void onProbeFinished();

    std::unique_ptr<ssh::SshSession> m_session;
    QPointer<ssh::SshJob> m_probe;
    QString m_sudoPassword; // in memory for the probe only, never logged
    State m_state = State::Idle;
    QString m_errorString;
    QString m_headline;
    QList<Fact> m_facts;
};

} // namespace wmw
