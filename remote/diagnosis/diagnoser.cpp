// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/diagnosis/diagnoser.h"

#include "remote/diagnosis/logging.h"
#include "remote/diagnosis/rules.h"
#include "remote/hostfacts/hostfactsprobe.h"
#include "remote/ssh/sshsession.h"

#include <QTimer>

namespace wmw::diagnosis {

using ssh::SshSession;

Diagnoser::Diagnoser(SshSession *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{
    connect(&m_live, &mqtt::LiveCheck::progress, this, &Diagnoser::progress);
    connect(&m_live, &mqtt::LiveCheck::finished, this, [this]() {
        if (m_state != State::CheckingLive)
            return;
        m_input.live = LiveOutcome::from(m_live, m_input.live.user, m_input.live.topic);
        m_liveDone = true;
        analyseWhenDone();
    });
}

Diagnoser::~Diagnoser()
{
    disconnectSession();
    if (m_job)
        m_job->cancel();
}

void Diagnoser::setState(State state, Error error, const QString &message)
{
    m_error = error;
    m_errorString = message;
    if (m_state == state)
        return;
    m_state = state;
    qCDebug(lcDiagnosis) << "state" << state;
    emit stateChanged(state);
}

void Diagnoser::disconnectSession()
{
    for (const QMetaObject::Connection &c : std::as_const(m_sessionConnections))
        disconnect(c);
    m_sessionConnections.clear();
}

void Diagnoser::start(const Options &options)
{
    m_options = options;
    m_input = {};
    m_report = {};
    m_weewx = {};
    m_input.sshHost = options.target.host;
    m_input.pageUrl = options.pageUrl;
    // Queued, so a caller that connects after start() still sees every signal.
    const quint64 run = ++m_run;
    m_startPending = true;
    QTimer::singleShot(0, this, [this, run]() {
        if (run != m_run) // cancelled (or started again) before this step ran
            return;
        m_startPending = false;
        if (!m_session)
            return fail(Error::Ssh, tr("There is no SSH session."));
        if (m_session->state() == SshSession::State::Connected)
            return runProbe();
        setState(State::Connecting);
        emit progress(tr("Connecting to %1 over SSH").arg(m_options.target.host));
        m_sessionConnections << connect(m_session, &SshSession::connected, this, [this]() {
            disconnectSession();
            runProbe();
        });
        m_sessionConnections << connect(m_session, &SshSession::errorOccurred, this,
                                        [this](SshSession::Error, const QString &message) {
                                            if (m_state != State::Connecting)
                                                return;
                                            disconnectSession();
                                            fail(Error::Ssh, message);
                                        });
        m_session->connectToHost(m_options.target);
    });
}

void Diagnoser::cancel()
{
    if (m_startPending) {
        // The queued first step has not run: it must not start the diagnosis afterwards.
        m_startPending = false;
        ++m_run;
        fail(Error::Cancelled, tr("The diagnosis was cancelled."));
        return;
    }
    if (m_state == State::Finished || m_state == State::Failed || m_state == State::Idle)
        return;
    disconnectSession();
    if (m_state == State::Connecting && m_session)
        m_session->cancel();
    if (m_job)
        m_job->cancel();
    m_live.stop();
    fail(Error::Cancelled, tr("The diagnosis was cancelled."));
}

void Diagnoser::runProbe()
{
    setState(State::Probing);
    emit progress(m_options.sudoPassword.isEmpty() ? tr("Collecting facts on the Pi (without sudo)")
                                                   : tr("Collecting facts on the Pi (with sudo)"));
    m_job = runHostFactsProbe(*m_session, m_options.sudoPassword, m_options.probeTimeoutMs);
    connect(m_job, &ssh::SshJob::finished, this, &Diagnoser::onProbeFinished);
}

void Diagnoser::onProbeFinished()
{
    if (m_state != State::Probing || !m_job)
        return;
    const ssh::SshResult result = m_job->result();
    m_job->deleteLater();
    if (!result.ok())
        return fail(Error::Probe, result.errorString);
    const HostFacts::ParseResult parsed = HostFacts::parse(result.stdOut);
    if (!parsed.ok())
        return fail(Error::ReportUnreadable, parsed.message);
    m_input.facts = *parsed.facts;
    m_weewx = WeewxSettings::read(m_input.facts);
    qCInfo(lcDiagnosis) << "facts:" << m_input.facts.files.size() << "files, weewx.conf"
                        << (m_weewx.readable ? "read" : "not read");
    // The page's script (over SFTP) and the live check (to the page's host) at the same time:
    // the verdict comes one SFTP read sooner.
    m_liveDone = false;
    m_pageDone = !m_weewx.readable;
    if (m_weewx.readable)
        readPageScript();
    startLiveCheck();
}

void Diagnoser::analyseWhenDone()
{
    if (m_liveDone && m_pageDone && m_state != State::Finished && m_state != State::Failed)
        analyse();
}

void Diagnoser::readPageScript()
{
    setState(State::ReadingPage);
    const QString path = m_weewx.pageScriptPath();
    emit progress(tr("Reading the page's JavaScript (%1)").arg(path));
    m_input.pageScript.path = path;
    ssh::SshJob *job = m_session->readFile(path, m_options.probeTimeoutMs);
    m_job = job;
    connect(job, &ssh::SshJob::finished, this, [this, job]() {
        job->deleteLater();
        if (m_job != job || m_state == State::Finished || m_state == State::Failed)
            return;
        const ssh::SshResult result = job->result();
        // A page that is missing or unreadable only makes the page-stale rule fall back.
        if (result.ok()) {
            m_input.pageScript.read = true;
            m_input.pageScript.content = result.stdOut;
        }
        m_pageDone = true;
        analyseWhenDone();
    });
}

void Diagnoser::startLiveCheck()
{
    LiveOutcome &live = m_input.live;
    if (!m_weewx.readable) {
        live.notRunReason = tr("The page's settings are unknown: %1").arg(m_weewx.problem);
        return liveNotRun();
    }
    const QString host = m_weewx.pageHost().trimmed();
    bool portOk = false;
    const int port = m_weewx.pagePort().toInt(&portOk);
    if (host.isEmpty() || !portOk || port <= 0 || port > 65535) {
        live.notRunReason = tr("The page's host or port is not usable (host \"%1\", port \"%2\").")
                                    .arg(host, m_weewx.pagePort());
        return liveNotRun();
    }
    QUrl url;
    url.setScheme(m_weewx.pageSsl() ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setHost(host);
    url.setPort(port);
    url.setPath(QStringLiteral("/mqtt"));
    mqtt::LiveCheck::Options options;
    options.url = url;
    options.topic = m_weewx.pageTopic();
    options.stepTimeoutMs = m_options.liveStepTimeoutMs;
    options.messageTimeoutMs = m_options.liveMessageTimeoutMs;
    // As the page does: user name and password only when both are set (belchertown.js).
    if (m_weewx.pageSendsCredentials()) {
        options.userName = m_weewx.wsUser.text();
        options.password = m_weewx.wsPassword.text().toUtf8();
        live.user = *options.userName;
    }
    live.topic = options.topic;
    if (options.topic.isEmpty()) {
        live.notRunReason = tr("The page subscribes to no topic (mqtt_websockets_topic is empty).");
        return liveNotRun();
    }
    setState(State::CheckingLive);
    emit progress(tr("Connecting like the page to %1").arg(url.toString()));
    m_live.start(options);
}

void Diagnoser::liveNotRun()
{
    m_liveDone = true;
    analyseWhenDone();
}

void Diagnoser::analyse()
{
    m_report.host = m_options.target.host;
    m_report.hostname = m_input.facts.hostname;
    m_report.time = QDateTime::currentDateTimeUtc();
    m_report.live = m_input.live;
    m_report.findings = Rules::run(m_input);
    m_report.secrets.clear();
    if (m_weewx.readable) {
        m_report.secrets << m_weewx.wsPassword.text();
        if (m_weewx.serverUrl.present) {
            if (const auto pw = ServerUrl::parse(m_weewx.serverUrl.text()).password)
                m_report.secrets << *pw;
        }
    }
    int failures = 0;
    for (const Finding &f : std::as_const(m_report.findings))
        failures += f.failed() ? 1 : 0;
    qCInfo(lcDiagnosis) << "diagnosis done:" << failures << "failure(s)";
    setState(State::Finished);
    emit finished();
}

void Diagnoser::fail(Error error, const QString &message)
{
    m_report.host = m_options.target.host;
    m_report.time = QDateTime::currentDateTimeUtc();
    Finding f;
    f.id = error == Error::Ssh ? QStringLiteral("ssh-connection") : QStringLiteral("probe");
    f.severity = Severity::Fail;
    f.title = error == Error::Ssh ? tr("The Pi cannot be reached over SSH")
                                  : tr("The facts could not be collected on the Pi");
    f.evidence = {Evidence::note(message)};
    f.fix = error == Error::Ssh ? tr("Check the host name, that the Pi is on and that SSH is "
                                     "enabled (sudo raspi-config, Interface Options, SSH).")
                                : tr("Run the diagnosis again; if it keeps failing, check the "
                                     "sudo password.");
    if (error != Error::Cancelled)
        m_report.findings = {f};
    qCInfo(lcDiagnosis) << "diagnosis failed:" << error;
    setState(State::Failed, error, message);
    emit finished();
}

} // namespace wmw::diagnosis
