// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace wmw::test {

/// A simulated Raspberry Pi for one test, run by tests/support/simpi/simpi in a QTemporaryDir
/// and stopped in the destructor: a real sshd on a free loopback port, users created inside a
/// private mount namespace (the host's /etc is never touched), password sudo for `pi`, and
/// (once provisioned) a real mosquitto and the WeeWX stand-in behind a systemctl shim.
class SimulatedPi
{
    Q_DISABLE_COPY_MOVE(SimulatedPi)
public:
    SimulatedPi();
    ~SimulatedPi();

    /// Empty when a simulated Pi can run here; otherwise why not (for QSKIP).
    static QString unavailableReason();
    /// The path of the simpi script.
    static QString script();

    /// Starts the Pi with the named faults already injected. Returns false with `error`
    /// holding the reason (and the script's output) when it did not come up.
    bool start(QString *error = nullptr, const QStringList &faults = {});
    void stop();
    bool isRunning() const;

    QString dir() const;
    QString host() const { return QStringLiteral("127.0.0.1"); }
    quint16 sshPort() const { return m_sshPort; }
    /// The sudo user (password sudo through group `sudo`).
    QString user() const { return QStringLiteral("pi"); }
    QByteArray password() const { return passwordOf(user()); }
    /// A user without any sudo rights.
    QString userWithoutSudo() const { return QStringLiteral("nosudo"); }
    /// A user with `NOPASSWD: ALL` in sudoers.
    QString userWithNopasswdSudo() const { return QStringLiteral("nopasswd"); }
    QByteArray passwordOf(const QString &user) const;
    /// "ssh-ed25519" and "SHA256:..." (as OpenSSH and libssh print it).
    QString hostKeyType() const { return m_hostKeyType; }
    QString hostKeyFingerprint() const { return m_hostKeyFingerprint; }
    /// A known_hosts file that holds the Pi's key, and a private key every user accepts.
    QString knownHostsFile() const;
    QString clientKeyFile() const;
    /// The broker's plain MQTT and websockets ports (free loopback ports picked at start).
    quint16 mqttPort() const { return m_mqttPort; }
    quint16 websocketPort() const { return m_wsPort; }

    struct Result
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
        bool ok() const { return exitCode == 0; }
    };
    /// Runs `command` as root in the Pi's namespaces (`simpi exec`), for assertions.
    Result exec(const QStringList &command, const QByteArray &input = {},
                int timeoutMs = 30000) const;
    /// Runs `command` through the system ssh client with key authentication as `user`.
    Result ssh(const QString &command, const QByteArray &input = {}, const QString &user = {},
               int timeoutMs = 30000) const;
    /// Reads a file as the Pi sees it; `ok` is false when it cannot be read.
    QByteArray readFile(const QString &piPath, bool *ok = nullptr) const;
    /// Writes a file on the Pi as root (through stdin, never a command line), then applies
    /// owner ("user:group") and mode when given.
    bool writeFile(const QString &piPath, const QByteArray &data, const QString &owner = {},
                   const QString &mode = {}) const;
    /// Injects a named fault (`simpi faults` lists them).
    bool injectFault(const QString &name, QString *error = nullptr) const;
    /// Polls the file on the Pi until it holds `text` or the timeout passes.
    bool waitForLog(const QString &piPath, const QByteArray &text, int timeoutMs = 15000) const;
    /// What the systemctl shim recorded of a unit's stderr (as `journalctl -u UNIT` shows it).
    QByteArray journal(const QString &unit) const;

private:
    Result run(const QStringList &arguments, const QByteArray &input, int timeoutMs) const;
    bool readEnv(QString *error);

    std::unique_ptr<QTemporaryDir> m_dir;
    bool m_started = false;
    quint16 m_sshPort = 0;
    quint16 m_mqttPort = 0;
    quint16 m_wsPort = 0;
    QString m_hostKeyType;
    QString m_hostKeyFingerprint;
};

} // namespace wmw::test
