// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/diagnosisrun.h"

#include "remote/diagnosis/diagnoser.h"
#include "remote/ssh/sshsession.h"
#include "wizard/logging.h"

#include <QFileInfo>
#include <QHash>
#include <QSaveFile>
#include <QTime>
#include <QUrl>

namespace wmw {

using diagnosis::Diagnoser;
using diagnosis::Finding;
using diagnosis::Severity;
using Failure = mqtt::LiveCheck::Failure;

DiagnosisRun::DiagnosisRun(QObject *parent)
    : QObject(parent)
{ }

DiagnosisRun::~DiagnosisRun()
{
    // The job goes before the session it uses.
    m_diagnoser.reset();
}

void DiagnosisRun::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    qCDebug(lcWizard) << "diagnosis" << state;
    emit stateChanged(state);
}

void DiagnosisRun::start(ssh::SshSession *session, const Options &options)
{
    if (m_diagnoser) {
        m_diagnoser->disconnect(this);
        m_diagnoser->cancel();
        m_diagnoser.reset();
    }
    m_ownSession.reset();
    m_report = {};
    m_log.clear();
    m_secrets = options.secrets;
    if (!session) {
        // A fresh login: the Pi connection page's test did not run or its session is gone.
        m_ownSession = std::make_unique<ssh::SshSession>();
        session = m_ownSession.get();
        connect(session, &ssh::SshSession::hostKeyUnknown, this, &DiagnosisRun::hostKeyUnknown);
        connect(session, &ssh::SshSession::credentialRequested, this,
                &DiagnosisRun::credentialRequested);
    }
    m_session = session;
    m_diagnoser = std::make_unique<Diagnoser>(session);
    connect(m_diagnoser.get(), &Diagnoser::progress, this, [this](const QString &step) {
        m_log << QTime::currentTime().toString(QStringLiteral("HH:mm:ss")) + u"  " + step;
        emit progress(step);
    });
    connect(m_diagnoser.get(), &Diagnoser::finished, this, &DiagnosisRun::onFinished);
    Diagnoser::Options o;
    o.target = options.target;
    o.sudoPassword = options.sudoPassword;
    o.pageUrl = options.pageUrl;
    o.liveMessageTimeoutMs = options.liveMessageTimeoutMs;
    setState(State::Running);
    m_diagnoser->start(o);
}

void DiagnosisRun::onFinished()
{
    m_report = m_diagnoser->report();
    m_report.secrets += m_secrets;
    if (m_diagnoser->state() == Diagnoser::State::Finished)
        setState(State::Finished);
    else if (m_diagnoser->error() == Diagnoser::Error::Cancelled)
        setState(State::Cancelled);
    else
        setState(State::Failed);
    emit finished();
}

void DiagnosisRun::cancel()
{
    if (!m_diagnoser || !isRunning())
        return;
    if (m_diagnoser->state() == Diagnoser::State::Idle) {
        // Diagnoser::start() begins on the next turn of the event loop and ignores a cancel
        // before that: drop the job, and its queued start with it.
        m_diagnoser.reset();
        m_ownSession.reset();
        setState(State::Cancelled);
        emit finished();
        return;
    }
    m_diagnoser->cancel(); // finished() follows
}

void DiagnosisRun::acceptHostKey()
{
    if (m_session)
        m_session->acceptHostKey();
}

void DiagnosisRun::refuseHostKey()
{
    if (m_session)
        m_session->refuseHostKey();
}

void DiagnosisRun::provideCredential(const QStringList &answers)
{
    if (m_session)
        m_session->provideCredential(answers);
}

void DiagnosisRun::refuseCredential()
{
    if (m_session)
        m_session->refuseCredential();
}

void DiagnosisRun::present(const diagnosis::DiagnosisReport &report)
{
    m_report = report;
    m_log.clear();
    m_state = report.findings.isEmpty() ? State::Idle : State::Finished;
    emit stateChanged(m_state);
    emit finished();
}

QString DiagnosisRun::saveReport(const QString &path) const
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    const bool html = suffix == u"html" || suffix == u"htm";
    const QByteArray bytes = html ? diagnosis::ReportWriter::html(m_report)
                                  : diagnosis::ReportWriter::markdown(m_report);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return tr("The report could not be written to %1: %2").arg(path, file.errorString());
    return {};
}

int DiagnosisRun::linkOf(const Finding &finding, const diagnosis::LiveOutcome &live)
{
    using L = LiveStatus::Link;
    if (finding.id == u"live-check") {
        switch (live.failure) {
        case Failure::None:
        case Failure::InvalidInput:
            return L::Laptop;
        case Failure::NameNotResolved:
            return L::Name;
        case Failure::TcpRefused:
        case Failure::TcpTimeout:
        case Failure::NetworkUnreachable:
            return L::TcpPort;
        case Failure::TlsFailed:
        case Failure::CertificateUntrusted:
        case Failure::NotWebSocket:
        case Failure::NoConnack:
            return L::WebSocket;
        case Failure::ConnackProtocolVersion:
        case Failure::ConnackIdentifierRejected:
        case Failure::ConnackServerUnavailable:
        case Failure::ConnackBadCredentials:
        case Failure::ConnackNotAuthorised:
        case Failure::ProtocolError:
            return L::Login;
        case Failure::SubscribeRefused:
            return L::Subscription;
        case Failure::NoMessage:
        case Failure::ArchiveOnly:
        case Failure::NotLoopData:
        case Failure::ConnectionLost:
            return L::Data;
        }
        return L::Data;
    }
    // Where each cause of the catalogue (Rules::catalogue()) breaks the page's connection:
    // the page itself (this laptop's browser), the way to the broker, or the publishing side.
    static const QHash<QString, int> links = {
            {QStringLiteral("websockets-enabled-not-1"), L::Laptop},
            {QStringLiteral("page-stale"), L::Laptop},
            {QStringLiteral("page-host-empty"), L::Name},
            {QStringLiteral("page-host-localhost"), L::Name},
            {QStringLiteral("page-host-unresolved"), L::Name},
            {QStringLiteral("server-url-host-mismatch"), L::Name},
            {QStringLiteral("page-host-unreachable"), L::TcpPort},
            {QStringLiteral("page-port-is-mqtt-port"), L::TcpPort},
            {QStringLiteral("page-port-no-listener"), L::TcpPort},
            {QStringLiteral("no-websockets-listener"), L::TcpPort},
            {QStringLiteral("listener-port-duplicated"), L::TcpPort},
            {QStringLiteral("page-https-ws-plain"), L::WebSocket},
            {QStringLiteral("anonymous-page-refused"), L::Login},
            {QStringLiteral("web-password-mismatch"), L::Login},
            {QStringLiteral("password-file-plaintext"), L::Login},
            {QStringLiteral("password-file-malformed"), L::Login},
            {QStringLiteral("web-acl-denies-page-topic"), L::Subscription},
            {QStringLiteral("anonymous-acl-denies-page-topic"), L::Subscription},
            {QStringLiteral("page-topic-not-loop"), L::Subscription},
            {QStringLiteral("acl-file-invalid"), L::Subscription},
            {QStringLiteral("binding-lacks-loop"), L::Data},
            {QStringLiteral("aggregation-is-list"), L::Data},
            {QStringLiteral("aggregation-lacks-aggregate"), L::Data},
            {QStringLiteral("weewx-publish-failing"), L::Data},
            {QStringLiteral("acl-file-missing"), L::Broker},
            {QStringLiteral("password-file-missing"), L::Broker},
            {QStringLiteral("acl-file-unreadable"), L::Broker},
            {QStringLiteral("password-file-unreadable"), L::Broker},
            {QStringLiteral("security-option-duplicated"), L::Broker},
            {QStringLiteral("no-mqtt-listener"), L::Broker},
            {QStringLiteral("broker-not-running"), L::Broker},
            {QStringLiteral("listener-port-in-use"), L::Broker},
            {QStringLiteral("broker-config-stale"), L::Broker},
            {QStringLiteral("locale-invalid"), L::Weewx},
            {QStringLiteral("weewx-conf-invalid"), L::Weewx},
            {QStringLiteral("weewx-mqtt-not-installed"), L::Weewx},
            {QStringLiteral("weewx-mqtt-not-in-services"), L::Weewx},
            {QStringLiteral("weewx-mqtt-disabled"), L::Weewx},
            {QStringLiteral("server-url-placeholder"), L::Weewx},
            {QStringLiteral("server-url-no-port"), L::Weewx},
            {QStringLiteral("server-url-unparseable"), L::Weewx},
            {QStringLiteral("paho-mqtt-incompatible"), L::Weewx},
            {QStringLiteral("weewx-not-running"), L::Weewx},
            {QStringLiteral("publish-credentials-rejected"), L::Weewx},
            {QStringLiteral("publish-acl-denies-write"), L::Weewx},
    };
    return links.value(finding.id, -1);
}

QList<ChainLink> DiagnosisRun::chainOf(const diagnosis::DiagnosisReport &report)
{
    using L = LiveStatus::Link;
    QList<ChainLink> chain = LiveStatus::initial().chain;
    bool factsCollected = false;
    for (const Finding &f : report.findings)
        factsCollected = factsCollected || linkOf(f, report.live) >= 0;
    if (!factsCollected)
        return chain; // no login, no facts: nothing is known about any link

    // What the live check proved: every link up to the one where it stopped.
    const diagnosis::LiveOutcome &live = report.live;
    int provedUpTo = -1;
    if (live.receiving())
        provedUpTo = L::Data;
    else if (live.ran) {
        Finding liveCheck;
        liveCheck.id = QStringLiteral("live-check");
        provedUpTo = linkOf(liveCheck, live) - 1;
    }
    for (int link = L::Laptop; link <= provedUpTo; ++link)
        chain[link].state = ChainLink::State::Ok;
    // The broker and WeeWX are judged by the Pi's facts.
    chain[L::Broker].state = ChainLink::State::Ok;
    chain[L::Weewx].state = ChainLink::State::Ok;
    if (live.ran) {
        const QUrl url(live.url);
        chain[L::Name].detail = url.host();
        if (url.port() > 0)
            chain[L::TcpPort].detail = QString::number(url.port());
        chain[L::Login].detail = live.user.isEmpty() ? tr("anonymous") : live.user;
        chain[L::Subscription].detail = live.topic;
    }

    QHash<int, int> failures;
    for (const Finding &f : report.findings) {
        const int link = linkOf(f, live);
        if (link < 0)
            continue;
        ChainLink &l = chain[link];
        if (f.severity == Severity::Fail) {
            if (l.state != ChainLink::State::Failed)
                l.reason = f.title;
            l.state = ChainLink::State::Failed;
            ++failures[link];
        } else if (f.severity == Severity::Warn && l.state != ChainLink::State::Failed) {
            l.state = ChainLink::State::Active;
        }
    }
    for (auto it = failures.cbegin(); it != failures.cend(); ++it) {
        if (it.value() > 1)
            chain[it.key()].reason += u' ' + tr("(and %n more)", nullptr, it.value() - 1);
    }
    return chain;
}

} // namespace wmw
