// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QMap>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace wmw::test {

/// A private, real mosquitto broker for one test: its own folder, its own loopback ports,
/// stopped in the destructor. Started as root, the broker drops to user `mosquitto` before
/// it reads the password and acl files, exactly as on a Pi, so file ownership matters here too.
class MosquittoBroker
{
    Q_DISABLE_COPY_MOVE(MosquittoBroker)
public:
    MosquittoBroker();
    ~MosquittoBroker();

    /// Empty when /usr/sbin/mosquitto can run here; otherwise why not (for QSKIP).
    static QString unavailableReason();

    /// Writes `files` (name -> bytes) into dir(), then mosquitto.conf made of `config` with
    /// ${DIR}, ${MQTT_PORT} and ${WS_PORT} replaced (free loopback ports are picked), and starts
    /// `mosquitto -c mosquitto.conf -v`. Files become mosquitto:mosquitto 0700 unless named in
    /// `keepOwnership` (then root:root 0600, which the broker cannot read). Returns false with
    /// `error` holding the reason and the broker's output when it is not running within 5 s.
    bool start(const QByteArray &config, const QMap<QString, QByteArray> &files = {},
               QString *error = nullptr, const QStringList &keepOwnership = {});

    /// An mqtt listener on 127.0.0.1 and a websockets listener on lo, anonymous allowed.
    /// (A websockets listener bound to 127.0.0.1 would listen on every address in 2.0.11.)
    static QByteArray standardConfig();

    quint16 mqttPort() const { return m_mqttPort; }
    quint16 websocketPort() const { return m_wsPort; }
    QString dir() const;
    QString path(const QString &name) const;

    QByteArray log() const;
    bool waitForLog(const QByteArray &text, int timeoutMs = 5000);
    bool isRunning() const;
    int exitCode() const;
    void stop();

    struct ClientResult
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    /// mosquitto_pub against the TCP listener (test-only: the password is an argument here).
    ClientResult publish(const QString &topic, const QByteArray &payload, const QString &user = {},
                         const QString &password = {}, int qos = 0, bool retain = false);
    /// mosquitto_sub: the first `count` messages, or what arrived within `timeoutSec`
    /// (exit code 27 when nothing came, as mosquitto_sub -W reports a timeout).
    ClientResult subscribe(const QString &topic, int count, int timeoutSec,
                           const QString &user = {}, const QString &password = {});

    /// A loopback TCP port that was free a moment ago.
    static quint16 freePort();

private:
    ClientResult runClient(const QString &program, QStringList arguments, const QString &user,
                           const QString &password, int timeoutMs);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    QByteArray m_log;
    quint16 m_mqttPort = 0;
    quint16 m_wsPort = 0;
};

} // namespace wmw::test
