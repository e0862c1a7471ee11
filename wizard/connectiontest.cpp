// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/connectiontest.h"

#include "remote/hostfacts/hostfacts.h"
#include "remote/hostfacts/hostfactsprobe.h"
#include "wizard/logging.h"

namespace wmw {

ConnectionTest::ConnectionTest(QObject *parent)
    : QObject(parent)
{ }

ConnectionTest::~ConnectionTest() = default;

ssh::SshSession *ConnectionTest::session() const
{
    return m_state == State::Succeeded ? m_session.get() : nullptr;
}

void ConnectionTest::setState(State state, const QString &error)
{
    m_errorString = error;
    if (m_state == state)
        return;
    m_state = state;
    qCDebug(lcWizard) << "connection test" << state;
    emit stateChanged(state);
}

void ConnectionTest::start(const ssh::SshTarget &target, const QString &sudoPassword)
{
    cancel();
    m_headline.clear();
    m_facts.clear();
    m_sudoPassword = sudoPassword;
    // A new session for every test: the user may have changed host, user or key.
    m_session = std::make_unique<ssh::SshSession>();
    ssh::SshSession *session = m_session.get();
    connect(session, &ssh::SshSession::stateChanged, this, &ConnectionTest::onSessionState);
    connect(session, &ssh::SshSession::hostKeyUnknown, this, &ConnectionTest::hostKeyUnknown);
    connect(session, &ssh::SshSession::credentialRequested, this,
            &ConnectionTest::credentialRequested);
    connect(session, &ssh::SshSession::connected, this, [this, session]() {
        setState(State::Probing);
        m_probe = runHostFactsProbe(*session, m_sudoPassword);
        connect(m_probe, &ssh::SshJob::finished, this, &ConnectionTest::onProbeFinished);
    });
    setState(State::Connecting);
    session->connectToHost(target);
}

void ConnectionTest::onSessionState(ssh::SshSession::State state)
{
    using S = ssh::SshSession::State;
    switch (state) {
    case S::AwaitingHostKeyDecision:
        setState(State::AwaitingHostKey);
        break;
    case S::AwaitingCredential:
        setState(State::AwaitingCredential);
        break;
    case S::Connecting:
    case S::Authenticating:
        setState(State::Connecting);
        break;
    case S::Disconnected:
        if (m_state != State::Succeeded && m_state != State::Idle)
            setState(State::Failed, m_session->errorString());
        break;
    case S::Connected:
        break;
    }
}

void ConnectionTest::onProbeFinished()
{
    const ssh::SshResult result = m_probe->result();
    m_probe->deleteLater();
    m_sudoPassword.clear();
    if (!result.ok()) {
        setState(State::Failed, result.errorString);
        return;
    }
    const HostFacts::ParseResult parsed = HostFacts::parse(result.stdOut);
    if (!parsed.ok()) {
        setState(State::Failed,
                 tr("The Pi answered, but its report could not be read: %1").arg(parsed.message));
        return;
    }
    m_headline = headlineOf(*parsed.facts);
    m_facts = summarize(*parsed.facts);
    setState(State::Succeeded);
}

void ConnectionTest::cancel()
{
    if (m_probe)
        m_probe->cancel();
    if (m_session && m_state != State::Succeeded && m_state != State::Idle
        && m_state != State::Failed) {
        m_session->cancel();
    }
    m_sudoPassword.clear();
    if (m_state != State::Succeeded && m_state != State::Failed)
        setState(State::Idle);
}

void ConnectionTest::acceptHostKey()
{
    if (m_session)
        m_session->acceptHostKey();
}

void ConnectionTest::refuseHostKey()
{
    if (m_session)
        m_session->refuseHostKey();
}

void ConnectionTest::provideCredential(const QStringList &answers)
{
    if (m_session)
        m_session->provideCredential(answers);
}

void ConnectionTest::refuseCredential()
{
    if (m_session)
        m_session->refuseCredential();
}

void ConnectionTest::present(State state, const QString &headline, const QList<Fact> &facts,
                             const QString &errorString)
{
    m_headline = headline;
    m_facts = facts;
    m_errorString = errorString;
    m_state = state;
    emit stateChanged(state);
}

QString ConnectionTest::headlineOf(const HostFacts &facts)
{
    if (facts.ranAsRoot())
        return tr("Connected to %1 as %2; sudo works.").arg(facts.hostname, facts.probeUser);
    return tr("Connected to %1 as %2, without sudo: files only root can read were skipped. "
              "Give the sudo password to see them.")
            .arg(facts.hostname, facts.probeUser);
}

QList<ConnectionTest::Fact> ConnectionTest::summarize(const HostFacts &f)
{
    QList<Fact> out;
    const QString notInstalled = tr("not installed");
    QString os = f.os.prettyName.isEmpty() ? f.os.id : f.os.prettyName;
    if (!f.os.arch.isEmpty())
        os += QStringLiteral(" (%1)").arg(f.os.arch);
    out.append({tr("Operating system"), os.isEmpty() ? tr("unknown") : os, os.isEmpty()});

    if (f.mosquitto.installed)
        out.append({tr("mosquitto"),
                    f.mosquitto.version.isEmpty() ? tr("installed") : f.mosquitto.version, false});
    else
        out.append({tr("mosquitto"), notInstalled + tr(" (apt install mosquitto)"), true});

    if (f.weewx.install == HostFacts::WeewxInstall::None) {
        out.append({tr("WeeWX"), notInstalled, true});
    } else {
        const QString how =
                f.weewx.install == HostFacts::WeewxInstall::Package ? tr("Debian package")
                : f.weewx.install == HostFacts::WeewxInstall::Pip   ? tr("pip")
                                                                    : tr("package and pip");
        out.append({tr("WeeWX"),
                    f.weewx.version.isEmpty() ? how : tr("%1, %2").arg(f.weewx.version, how),
                    false});
        if (f.weewx.install == HostFacts::WeewxInstall::Both)
            out.last().value += tr(" — two installations: make sure the running one is set up");
    }

    out.append({tr("Belchertown skin"),
                f.weewx.belchertownInstalled ? tr("installed") : notInstalled,
                !f.weewx.belchertownInstalled});

    if (!f.hasWeewxMqtt())
        out.append({tr("weewx-mqtt"), notInstalled + tr(" (weectl extension install …)"), true});
    else if (f.pahoVersion.isEmpty())
        out.append({tr("weewx-mqtt"), tr("installed, but python3 cannot import paho.mqtt"), true});
    else
        out.append({tr("weewx-mqtt"), tr("installed (paho-mqtt %1)").arg(f.pahoVersion), false});

    if (f.locale.valid) {
        QString lang;
        for (const QByteArray &line : f.locale.output.split('\n')) {
            if (line.startsWith("LANG="))
                lang = QString::fromUtf8(line.mid(5)).remove(u'"');
        }
        out.append({tr("Locale"), lang.isEmpty() ? tr("valid") : lang, false});
    } else {
        out.append({tr("Locale"),
                    tr("broken: %1").arg(QString::fromUtf8(f.locale.errors).trimmed().left(120)),
                    true});
    }
    return out;
}

} // namespace wmw
