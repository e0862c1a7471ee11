// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/ssh/sshsession.h"

#include "remote/ssh/sshlogging.h"
#include "remote/ssh/sshworker.h"

namespace wmw::ssh {

SshSession::SshSession(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<wmw::ssh::SshResult>();
    qRegisterMetaType<wmw::ssh::HostKeyInfo>();
    qRegisterMetaType<wmw::ssh::CredentialRequest>();
    qRegisterMetaType<wmw::ssh::JobSpec>();
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("wmw-ssh"));
    m_worker = new SshWorker;
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &SshWorker::connectFinished, this, &SshSession::onConnectFinished);
    connect(m_worker, &SshWorker::promptNeeded, this, &SshSession::onPromptNeeded);
    connect(m_worker, &SshWorker::jobFinished, this, &SshSession::onJobFinished);
    connect(m_worker, &SshWorker::jobOutput, this, &SshSession::onJobOutput);
    m_connectTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        abortWorker(AbortFlag::TimedOut);
        setStateAndError(State::Disconnected, Error::Timeout,
                         tr("Connecting to %1 took too long; gave up after %2 s.")
                                 .arg(m_hostLabel)
                                 .arg(m_connectTimeoutMs / 1000.0));
    });
    m_thread->start();
}

SshSession::~SshSession()
{
    abortWorker(AbortFlag::Cancelled);
    for (SshJob *job : findChildren<SshJob *>())
        if (job->m_abort)
            job->m_abort->set(AbortFlag::Cancelled);
    m_thread->quit();
    // An idle worker ends at once. One inside a blocking libssh call finishes it (its abort
    // flag is set, so it does nothing more), then the thread ends and deletes itself.
    if (m_thread->wait(200)) {
        delete m_thread;
    } else {
        qCInfo(lcSsh) << "the SSH worker is still in a libssh call; it ends on its own";
        connect(m_thread, &QThread::finished, m_thread, &QObject::deleteLater);
        if (m_thread->isFinished()) // it may have ended between wait() and connect()
            m_thread->deleteLater();
    }
}

void SshSession::setStateAndError(State state, Error error, const QString &message)
{
    const bool stateChanging = state != m_state;
    m_state = state;
    m_error = error;
    m_errorString = message;
    if (state != State::Connecting && state != State::Authenticating)
        m_connectTimer.stop();
    if (stateChanging)
        emit stateChanged(state);
    if (error != Error::NoError)
        emit errorOccurred(error, message);
    if (state == State::Connected && stateChanging)
        emit connected();
}

void SshSession::abortWorker(int reason)
{
    ++m_attempt; // results of the abandoned attempt are ignored from now on
    if (m_connectAbort)
        m_connectAbort->set(AbortFlag::Reason(reason));
    if (m_prompt) {
        QMutexLocker lock(&m_prompt->mutex);
        m_prompt->abandoned = true;
        m_prompt->changed.wakeAll();
    }
    m_connectAbort.reset();
    m_prompt.reset();
}

void SshSession::connectToHost(const SshTarget &target)
{
    abortWorker(AbortFlag::Cancelled);
    m_hostKey = {};
    m_hostLabel = target.port > 0 && target.port != 22
                          ? QStringLiteral("%1:%2").arg(target.host).arg(target.port)
                          : target.host;
    m_connectTimeoutMs = target.connectTimeoutMs;
    if (target.host.trimmed().isEmpty()) {
        // Queued, so that a caller connecting its slots after this call still hears it.
        QMetaObject::invokeMethod(
                this,
                [this] {
                    setStateAndError(State::Disconnected, Error::InvalidInput,
                                     tr("No host name given."));
                },
                Qt::QueuedConnection);
        return;
    }
    m_connectAbort = std::make_shared<AbortFlag>();
    m_prompt = std::make_shared<PromptBox>();
    const quint64 attempt = m_attempt;
    setStateAndError(State::Connecting);
    m_connectTimer.start(target.connectTimeoutMs);
    QMetaObject::invokeMethod(
            m_worker, [worker = m_worker, attempt, target, abort = m_connectAbort,
                       prompt = m_prompt] { worker->connectTo(attempt, target, abort, prompt); });
}

void SshSession::onConnectFinished(quint64 attempt, int error, const QString &message)
{
    if (attempt != m_attempt)
        return;
    m_connectAbort.reset();
    m_prompt.reset();
    if (Error(error) == Error::NoError)
        setStateAndError(State::Connected);
    else
        setStateAndError(State::Disconnected, Error(error), message);
}

void SshSession::onPromptNeeded(quint64 attempt, int kind, const QVariant &payload)
{
    if (attempt != m_attempt)
        return;
    // The time a user takes to decide does not count against the connect timeout.
    m_connectRemainingMs = qMax(1000, m_connectTimer.remainingTime());
    m_connectTimer.stop();
    if (kind == HostKeyPrompt) {
        m_hostKey = payload.value<HostKeyInfo>();
        setStateAndError(State::AwaitingHostKeyDecision);
        emit hostKeyUnknown(m_hostKey);
    } else {
        setStateAndError(State::AwaitingCredential);
        emit credentialRequested(payload.value<CredentialRequest>());
    }
}

void SshSession::answerPrompt(bool accepted, const QStringList &answers)
{
    if (!m_prompt
        || (m_state != State::AwaitingHostKeyDecision && m_state != State::AwaitingCredential))
        return;
    setStateAndError(m_state == State::AwaitingHostKeyDecision && !accepted
                             ? State::Connecting
                             : State::Authenticating);
    m_connectTimer.start(m_connectRemainingMs);
    QMutexLocker lock(&m_prompt->mutex);
    m_prompt->answered = true;
    m_prompt->accepted = accepted;
    m_prompt->answers = answers;
    m_prompt->changed.wakeAll();
}

void SshSession::acceptHostKey()
{
    answerPrompt(true, {});
}

void SshSession::refuseHostKey()
{
    answerPrompt(false, {});
}

void SshSession::provideCredential(const QStringList &answers)
{
    answerPrompt(true, answers);
}

void SshSession::refuseCredential()
{
    answerPrompt(false, {});
}

void SshSession::cancel()
{
    if (m_state == State::Disconnected || m_state == State::Connected)
        return;
    abortWorker(AbortFlag::Cancelled);
    setStateAndError(State::Disconnected, Error::Cancelled,
                     tr("Connecting to %1 was cancelled.").arg(m_hostLabel));
}

void SshSession::disconnectFromHost()
{
    abortWorker(AbortFlag::Cancelled);
    for (SshJob *job : findChildren<SshJob *>())
        if (!job->isFinished())
            job->cancel();
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->disconnectNow(); });
    setStateAndError(State::Disconnected);
}

SshJob *SshSession::startJob(JobSpec spec)
{
    auto *job = new SshJob(this);
    job->m_id = ++m_nextJob;
    job->m_abort = std::make_shared<AbortFlag>();
    job->m_input = spec.input;
    if (m_state != State::Connected) {
        SshResult result;
        result.error = Error::NotConnected;
        result.errorString =
                tr("Not connected to %1.").arg(m_hostLabel.isEmpty() ? tr("the Pi") : m_hostLabel);
        QMetaObject::invokeMethod(
                job, [job, result] { job->finish(result); }, Qt::QueuedConnection);
        return job;
    }
    const int timeoutMs = spec.timeoutMs;
    job->m_timer.setSingleShot(true);
    connect(&job->m_timer, &QTimer::timeout, job, [job, host = m_hostLabel] {
        job->m_abort->set(AbortFlag::TimedOut);
        SshResult result;
        result.error = Error::Timeout;
        result.errorString = tr("%1 did not answer within %2 s; the operation was stopped.")
                                     .arg(host)
                                     .arg(job->m_timer.interval() / 1000.0);
        job->finish(result);
    });
    job->m_timer.start(timeoutMs);
    QMetaObject::invokeMethod(m_worker,
                              [worker = m_worker, id = job->m_id, spec = std::move(spec),
                               abort = job->m_abort] { worker->runJob(id, spec, abort); });
    return job;
}

void SshSession::onJobOutput(quint64 id, const QByteArray &chunk)
{
    for (SshJob *job : findChildren<SshJob *>(QString(), Qt::FindDirectChildrenOnly)) {
        if (job->m_id == id) {
            if (!job->isFinished())
                emit job->output(chunk);
            return;
        }
    }
}

void SshSession::onJobFinished(quint64 id, const SshResult &result)
{
    for (SshJob *job : findChildren<SshJob *>(QString(), Qt::FindDirectChildrenOnly)) {
        if (job->m_id == id) {
            job->finish(result);
            return;
        }
    }
}

SshJob *SshSession::run(const QByteArray &command, const RunOptions &options)
{
    JobSpec spec;
    spec.kind = JobSpec::Kind::Run;
    spec.command = command;
    spec.stdinData = options.stdinData;
    spec.timeoutMs = options.timeoutMs;
    spec.streamOutput = options.streamOutput;
    if (options.keepInputOpen)
        spec.input = std::make_shared<InputPipe>();
    return startJob(std::move(spec));
}

SshJob *SshSession::runSudo(const QByteArray &command, const QString &password,
                            const RunOptions &options)
{
    JobSpec spec;
    spec.kind = JobSpec::Kind::Sudo;
    spec.command = command;
    spec.password = password;
    spec.stdinData = options.stdinData;
    spec.timeoutMs = options.timeoutMs;
    spec.streamOutput = options.streamOutput;
    if (options.keepInputOpen)
        spec.input = std::make_shared<InputPipe>();
    return startJob(std::move(spec));
}

SshJob *SshSession::readFile(const QString &path, int timeoutMs)
{
    JobSpec spec;
    spec.kind = JobSpec::Kind::Read;
    spec.path = path;
    spec.timeoutMs = timeoutMs;
    return startJob(std::move(spec));
}

SshJob *SshSession::writeFile(const QString &path, const QByteArray &data, int mode, int timeoutMs)
{
    JobSpec spec;
    spec.kind = JobSpec::Kind::Write;
    spec.path = path;
    spec.stdinData = data;
    spec.mode = mode;
    spec.timeoutMs = timeoutMs;
    return startJob(std::move(spec));
}

SshJob *SshSession::stat(const QString &path, int timeoutMs)
{
    JobSpec spec;
    spec.kind = JobSpec::Kind::Stat;
    spec.path = path;
    spec.timeoutMs = timeoutMs;
    return startJob(std::move(spec));
}

SshJob::SshJob(QObject *parent)
    : QObject(parent)
{ }

void SshJob::cancel()
{
    if (m_finished)
        return;
    if (m_abort)
        m_abort->set(AbortFlag::Cancelled);
    SshResult result;
    result.error = SshSession::Error::Cancelled;
    result.errorString = tr("The operation was cancelled.");
    // Queued like every other outcome, so cancel() inside a slot does not re-enter it.
    m_finished = true;
    m_timer.stop();
    m_result = result;
    QMetaObject::invokeMethod(this, &SshJob::finished, Qt::QueuedConnection);
}

bool SshJob::write(const QByteArray &data)
{
    if (m_finished || !m_input)
        return false;
    {
        QMutexLocker lock(&m_input->mutex);
        if (m_input->closed)
            return false;
        m_input->pending += data;
    }
    m_abort->wake();
    return true;
}

void SshJob::closeInput()
{
    if (!m_input)
        return;
    {
        QMutexLocker lock(&m_input->mutex);
        m_input->closed = true;
    }
    m_abort->wake();
}

void SshJob::setTimeout(int timeoutMs)
{
    if (!m_finished)
        m_timer.start(timeoutMs);
}

void SshJob::finish(const SshResult &result)
{
    if (m_finished)
        return;
    m_finished = true;
    m_timer.stop();
    m_result = result;
    emit finished();
}

void SshWorker::runJob(quint64 id, const JobSpec &spec, std::shared_ptr<AbortFlag> abort)
{
    SshResult result;
    m_streamingJob = spec.streamOutput ? id : 0;
    if (!abort->isSet()) {
        switch (spec.kind) {
        case JobSpec::Kind::Run:
            result = execute(spec.command, spec.stdinData, *abort, spec.input.get());
            break;
        case JobSpec::Kind::Sudo:
            result = sudo(spec, *abort);
            break;
        case JobSpec::Kind::Read:
            result = readFile(spec.path, *abort);
            break;
        case JobSpec::Kind::Write:
            result = writeFile(spec.path, spec.stdinData, spec.mode, *abort);
            break;
        case JobSpec::Kind::Stat:
            result = statFile(spec.path);
            break;
        }
    }
    m_streamingJob = 0;
    emit jobFinished(id, result); // ignored by the job when it was cancelled or timed out
}

} // namespace wmw::ssh
