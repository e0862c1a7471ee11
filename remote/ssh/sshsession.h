// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "remote/ssh/sshtypes.h"

#include <QObject>
#include <QThread>
#include <QTimer>

#include <memory>

namespace wmw::ssh {

class SshWorker;
class SshJob;

/// Input and time limit of one remote command.
struct RunOptions
{
    QByteArray stdinData; ///< sent, then end of file
    int timeoutMs = 60000;
    /// run, runSudo: SshJob::output() gives stdout as it arrives (it is in the result too),
    /// so a long command can report progress on the one channel it runs in.
    bool streamOutput = false;
    /// run, runSudo: stdin stays open after stdinData; SshJob::write() sends more and
    /// SshJob::closeInput() ends it. One channel can then answer first and be told later what
    /// to do next (the apply's sudo run: probe and read, then the files to install, or
    /// nothing).
    bool keepInputOpen = false;
};
struct JobSpec;
struct SshResult;

/// One SSH connection to the Pi. All libssh work runs in a worker thread owned by this
/// object; every call here returns at once and answers with signals (queued, even for an
/// immediate error, so a caller may connect after calling).
///
/// Connecting: connectToHost() -> state Connecting -> (hostKeyUnknown(): call acceptHostKey()
/// or refuseHostKey()) -> Authenticating -> (credentialRequested(): call provideCredential()
/// or refuseCredential()) -> Connected, or Disconnected with error() and errorString().
/// Operations return an SshJob that emits finished() exactly once.
class SshSession : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SshSession)
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
public:
    enum class State {
        Disconnected,
        Connecting,
        AwaitingHostKeyDecision,
        Authenticating,
        AwaitingCredential,
        Connected,
    };
    Q_ENUM(State)

    enum class Error {
        NoError,
        InvalidInput,
        HostNotFound,
        ConnectionFailed,
        Timeout,
        Cancelled,
        HostKeyUnknownRefused,
        HostKeyChanged,
        HostKeyError,
        AuthenticationFailed,
        NotConnected,
        ChannelFailed,
        ConnectionLost,
        SudoPasswordRequired,
        SudoPasswordWrong,
        SudoNotAllowed,
        NoSuchFile,
        PermissionDenied,
        SftpFailed,
    };
    Q_ENUM(Error)

    explicit SshSession(QObject *parent = nullptr);
    ~SshSession() override;

    State state() const { return m_state; }
    Error error() const { return m_error; }
    QString errorString() const { return m_errorString; }
    /// The server's key, once the connection got that far.
    HostKeyInfo hostKey() const { return m_hostKey; }

    void connectToHost(const SshTarget &target);
    void acceptHostKey();
    void refuseHostKey();
    /// Answers to the prompts of the last credentialRequested(), in order.
    void provideCredential(const QStringList &answers);
    void refuseCredential();
    /// Abandons connecting (error Cancelled); jobs have their own cancel().
    void cancel();
    void disconnectFromHost();

    /// Runs `command` (a shell command line: user data only via shellQuote()).
    SshJob *run(const QByteArray &command, const RunOptions &options = {});
    /// Runs `command` through `sudo -S -p '' -- sh -c <command>`; the password travels as
    /// the first line of stdin, never on a command line, and only when sudo wants one.
    SshJob *runSudo(const QByteArray &command, const QString &password,
                    const RunOptions &options = {});
    SshJob *readFile(const QString &path, int timeoutMs = 60000);
    /// Writes to a temporary name beside `path`, then renames it into place. mode < 0 keeps
    /// the mode of the file replaced (0644 for a new file).
    SshJob *writeFile(const QString &path, const QByteArray &data, int mode = -1,
                      int timeoutMs = 60000);
    SshJob *stat(const QString &path, int timeoutMs = 60000);

signals:
    void stateChanged(wmw::ssh::SshSession::State state);
    void hostKeyUnknown(const wmw::ssh::HostKeyInfo &info);
    void credentialRequested(const wmw::ssh::CredentialRequest &request);
    void connected();
    void errorOccurred(wmw::ssh::SshSession::Error error, const QString &message);

private:
    void setStateAndError(State state, Error error = Error::NoError, const QString &message = {});
    SshJob *startJob(JobSpec spec);
    void onConnectFinished(quint64 attempt, int error, const QString &message);
    void onPromptNeeded(quint64 attempt, int kind, const QVariant &payload);
    void onJobFinished(quint64 job, const wmw::ssh::SshResult &result);
    void onJobOutput(quint64 job, const QByteArray &chunk);
    void answerPrompt(bool accepted, const QStringList &answers);
    void abortWorker(int reason);

    // Not a member: a worker stuck in a libssh call that cannot be interrupted (ssh_connect
    // until its own timeout) must not make the destructor, and so the UI, wait for it.
    QThread *m_thread = nullptr;
    SshWorker *m_worker = nullptr; // lives in m_thread, deleted when it finishes
    QTimer m_connectTimer;
    int m_connectTimeoutMs = 0;
    int m_connectRemainingMs = 0;
    std::shared_ptr<struct AbortFlag> m_connectAbort;
    std::shared_ptr<struct PromptBox> m_prompt;
    quint64 m_attempt = 0;
    quint64 m_nextJob = 0;
    State m_state = State::Disconnected;
    Error m_error = Error::NoError;
    QString m_errorString;
    HostKeyInfo m_hostKey;
    QString m_hostLabel;
};

/// What an operation gave: an error, or the command's output / the file's bytes / its info.
struct SshResult
{
    SshSession::Error error = SshSession::Error::NoError;
    QString errorString;
    int exitStatus = -1; ///< run, runSudo: the remote exit status
    QByteArray stdOut; ///< run, runSudo; readFile: the file's bytes
    QByteArray stdErr;
    RemoteFileInfo info; ///< stat
    bool ok() const { return error == SshSession::Error::NoError; }
};

/// One remote operation; emits finished() once (also when cancelled or timed out).
class SshJob : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SshJob)
public:
    bool isFinished() const { return m_finished; }
    const SshResult &result() const { return m_result; }
    /// Stops the operation; finished() follows with error Cancelled.
    void cancel();
    /// RunOptions::keepInputOpen: more input for the command (in order, after stdinData).
    /// False when the input is closed already or the job has finished.
    bool write(const QByteArray &data);
    /// RunOptions::keepInputOpen: the command's stdin ends once what was written is sent.
    void closeInput();
    /// Restarts the time limit with `timeoutMs` from now: the next part of a long run.
    void setTimeout(int timeoutMs);

signals:
    void finished();
    /// A piece of the command's stdout as it arrived (RunOptions::streamOutput only); never
    /// after finished().
    void output(const QByteArray &chunk);

private:
    friend class SshSession;
    explicit SshJob(QObject *parent);
    void finish(const SshResult &result);

    std::shared_ptr<struct AbortFlag> m_abort;
    std::shared_ptr<struct InputPipe> m_input; ///< keepInputOpen only
    QTimer m_timer;
    quint64 m_id = 0;
    bool m_finished = false;
    SshResult m_result;
};

} // namespace wmw::ssh

Q_DECLARE_METATYPE(wmw::ssh::SshResult)
