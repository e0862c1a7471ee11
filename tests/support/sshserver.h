// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace wmw::test {

/// A real OpenSSH sshd for one test, on 127.0.0.1 and a free port, with its own ed25519 host
/// key in a private temp folder. It runs in a private mount namespace (`unshare --mount`) with
/// an overlayfs over /etc whose upper layer lies in that folder, so the users, passwords and
/// sudoers entries it creates exist only there: the host's /etc is never changed.
/// Root logs in with keys (authorized_keys files live in the temp folder, StrictModes no).
class SshServer
{
    Q_DISABLE_COPY_MOVE(SshServer)
public:
    struct User
    {
        QString name;
        QString password; ///< set with chpasswd inside the namespace
        enum class Sudo { None, WithPassword, WithoutPassword } sudo = Sudo::None;
    };
    struct Options
    {
        QList<User> users;
        /// PAM (a minimal pam_unix stack inside the namespace) is what offers
        /// keyboard-interactive; without it sshd checks passwords itself.
        bool usePam = false;
        bool passwordAuthentication = true;
        QString authenticationMethods; ///< sshd's AuthenticationMethods, empty: any
        QString compression; ///< sshd's Compression ("yes", "no"), empty: its default
        bool debugLog = false; ///< LogLevel DEBUG1: the negotiated algorithms are in log()
        int maxSessions = -1; ///< sshd's MaxSessions (0: every session channel refused)
    };

    SshServer();
    ~SshServer();

    /// Empty when sshd, unshare and overlayfs can be used here; otherwise why not (for QSKIP).
    static QString unavailableReason();

    /// Starts sshd; false with errorString() (and sshd's output) when it is not listening.
    bool start(const Options &options);
    bool start() { return start(Options()); }
    /// Stops sshd and starts it again on the same port with a new host key.
    bool restartWithNewHostKey();
    void stop();
    QString errorString() const { return m_error; }

    QString host() const { return QStringLiteral("127.0.0.1"); }
    quint16 port() const { return m_port; }
    QString dir() const { return m_dir->path(); }
    /// The host key as ssh-keygen -l shows it: "SHA256:..." and the type "ssh-ed25519".
    QString hostKeyFingerprint() const;
    static QString hostKeyType() { return QStringLiteral("ssh-ed25519"); }
    /// The home folder of a user created by start() (root's is /root).
    QString homeOf(const QString &user) const;

    /// A new ed25519 key pair in dir(); returns the private key's path.
    QString createClientKey(const QString &name, const QString &passphrase = {});
    /// Lets `user` log in with the public key beside `privateKey`.
    bool authorize(const QString &user, const QString &privateKey);

    /// What sshd logged since it started (or since the last call).
    QByteArray takeLog();

    /// Runs a command as root inside sshd's mount namespace (to look at what a test did).
    QByteArray runInside(const QStringList &command, int *exitCode = nullptr) const;

private:
    bool launch();
    bool writeConfig();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    Options m_options;
    QString m_error;
    quint16 m_port = 0;
};

/// A private ssh-agent on a socket in its own temp folder, killed in the destructor.
class SshAgent
{
    Q_DISABLE_COPY_MOVE(SshAgent)
public:
    SshAgent();
    ~SshAgent();
    bool start();
    bool add(const QString &privateKey);
    QString socket() const { return m_socket; }
    QString errorString() const { return m_error; }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    QString m_socket;
    QString m_error;
};

} // namespace wmw::test
