// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Internal to SshSession: the object that owns the libssh session and runs in its thread.

#include "remote/ssh/sshhandles.h"
#include "remote/ssh/sshsession.h"

#include <libssh/callbacks.h>

#include <QMutex>
#include <QVariant>
#include <QWaitCondition>

#include <atomic>
#include <optional>

namespace wmw::ssh {

/// Set by the caller's thread (cancel, timeout, disconnect), read by the worker between
/// libssh calls. libssh itself cannot be interrupted, so every wait is sliced; a remote
/// command's wait also watches wakeFd, so that a cancel or new input is seen at once.
struct AbortFlag
{
    enum Reason { None, Cancelled, TimedOut };
    AbortFlag();
    ~AbortFlag();
    Q_DISABLE_COPY_MOVE(AbortFlag)
    std::atomic<int> reason{None};
    bool isSet() const { return reason.load() != None; }
    void set(Reason why);
    /// Wakes a worker waiting on wakeFd (an eventfd; -1 if none could be made).
    void wake() const;
    void clearWake() const;
    int wakeFd = -1;
};

/// Input written to a running command (RunOptions::keepInputOpen): filled by the caller's
/// thread, sent by the worker between its waits on the channel.
struct InputPipe
{
    QMutex mutex;
    QByteArray pending;
    bool closed = false;
};

/// The worker asks the caller (host key, passphrase, password) and waits here; the caller's
/// answer or an abort wakes it.
struct PromptBox
{
    QMutex mutex;
    QWaitCondition changed;
    bool answered = false;
    bool accepted = false;
    bool abandoned = false;
    QStringList answers;
};

struct JobSpec
{
    enum class Kind { Run, Sudo, Read, Write, Stat };
    Kind kind = Kind::Run;
    QByteArray command;
    QByteArray stdinData;
    QString password;
    QString path;
    int mode = -1;
    int timeoutMs = 60000;
    bool streamOutput = false;
    std::shared_ptr<InputPipe> input; ///< keepInputOpen: more stdin follows
};

enum PromptKind { HostKeyPrompt, CredentialPrompt };

class SshWorker : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SshWorker)
public:
    SshWorker() = default;
    ~SshWorker() override;

    void connectTo(quint64 attempt, const wmw::ssh::SshTarget &target,
                   std::shared_ptr<AbortFlag> abort, std::shared_ptr<PromptBox> prompt);
    void runJob(quint64 id, const wmw::ssh::JobSpec &spec, std::shared_ptr<AbortFlag> abort);
    void disconnectNow();

signals:
    void connectFinished(quint64 attempt, int error, const QString &message);
    void promptNeeded(quint64 attempt, int kind, const QVariant &payload);
    void jobFinished(quint64 id, const wmw::ssh::SshResult &result);
    void jobOutput(quint64 id, const QByteArray &chunk); ///< JobSpec::streamOutput only

private:
    using Error = SshSession::Error;
    struct Failure
    {
        Error error = Error::NoError;
        QString message;
    };

    // sshworker.cpp: options, connect, host key
    Failure configure(const SshTarget &target);
    Failure verifyHostKey();
    std::optional<QStringList> ask(int kind, const QVariant &payload);
    QString libsshError() const;
    QString hostLabel() const;

    // sshauth.cpp
    Failure authenticate();
    static int passphraseCallback(const char *prompt, char *buf, size_t len, int echo, int verify,
                                  void *userdata);
    /// SSH_AUTH_AGAIN when there is no named key file or it needs a passphrase not given.
    int tryNamedKeyFile();
    bool tryKeyboardInteractive(QStringList *tried);

    // sshexec.cpp
    SshResult execute(const QByteArray &command, const QByteArray &stdinData,
                      const AbortFlag &abort, InputPipe *input = nullptr);
    SshResult sudo(const JobSpec &spec, const AbortFlag &abort);
    /// The one command a sudo run sends: a shell that reads the password line, then runs
    /// `quotedCommand` as root with the rest of stdin (see sshexec.cpp).
    static QByteArray sudoWrapper(const QByteArray &quotedCommand, bool checkPassword);

    // sshsftp.cpp
    Failure openSftp();
    Failure sftpFailure(const QString &path, const QString &action) const;
    SshResult readFile(const QString &path, const AbortFlag &abort);
    SshResult writeFile(const QString &path, const QByteArray &data, int mode,
                        const AbortFlag &abort);
    SshResult statFile(const QString &path);

    SessionPtr m_session;
    SftpSessionPtr m_sftp;
    ssh_callbacks_struct m_callbacks{};
    SshTarget m_target;
    quint64 m_attempt = 0;
    std::shared_ptr<AbortFlag> m_connectAbort;
    std::shared_ptr<PromptBox> m_prompt;
    bool m_passphraseAsked = false;
    bool m_passwordRejected = false;
    QString m_sudoVerifiedPassword;
    quint64 m_streamingJob = 0; ///< the running job whose stdout goes out as jobOutput(); 0: none
};

} // namespace wmw::ssh

Q_DECLARE_METATYPE(wmw::ssh::JobSpec)
