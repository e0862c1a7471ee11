// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/mosquittobroker.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTcpServer>
#include <QTest>

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

namespace wmw::test {

namespace {
const QString kBroker = QStringLiteral("/usr/sbin/mosquitto");
} // namespace

MosquittoBroker::MosquittoBroker() = default;

MosquittoBroker::~MosquittoBroker()
{
    stop();
}

QString MosquittoBroker::unavailableReason()
{
    if (!QFileInfo(kBroker).isExecutable())
        return QStringLiteral("%1 is not installed (scripts/setup installs it)").arg(kBroker);
    if (!getpwnam("mosquitto"))
        return QStringLiteral("there is no user mosquitto (the Debian package creates it)");
    return {};
}

QByteArray MosquittoBroker::standardConfig()
{
    return QByteArrayLiteral("listener ${MQTT_PORT} 127.0.0.1\n"
                             "protocol mqtt\n"
                             "listener ${WS_PORT} lo\n"
                             "protocol websockets\n"
                             "allow_anonymous true\n");
}

quint16 MosquittoBroker::freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}

QString MosquittoBroker::dir() const
{
    return m_dir ? m_dir->path() : QString();
}

QString MosquittoBroker::path(const QString &name) const
{
    return QDir(dir()).filePath(name);
}

bool MosquittoBroker::start(const QByteArray &config, const QMap<QString, QByteArray> &files,
                            QString *error, const QStringList &keepOwnership)
{
    auto fail = [&](const QString &why) {
        if (error)
            *error = why + u"\n--- broker output ---\n" + QString::fromLocal8Bit(m_log);
        return false;
    };
    stop();
    m_log.clear();
    m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid())
        return fail(QStringLiteral("no temporary folder"));
    // The broker reads its files as user mosquitto: the folder must be enterable.
    ::chmod(QFile::encodeName(dir()).constData(), 0755);
    const passwd *pw = getpwnam("mosquitto");
    const group *gr = getgrnam("mosquitto");
    if (!pw || !gr)
        return fail(unavailableReason());

    for (auto it = files.cbegin(); it != files.cend(); ++it) {
        QFile file(path(it.key()));
        if (!file.open(QIODevice::WriteOnly) || file.write(it.value()) != it.value().size())
            return fail(QStringLiteral("cannot write %1").arg(file.fileName()));
        file.close();
        const QByteArray native = QFile::encodeName(file.fileName());
        if (keepOwnership.contains(it.key())) {
            ::chmod(native.constData(), 0600);
        } else {
            if (::chown(native.constData(), pw->pw_uid, gr->gr_gid) != 0)
                return fail(QStringLiteral("cannot chown %1").arg(file.fileName()));
            ::chmod(native.constData(), 0700);
        }
    }

    m_mqttPort = freePort();
    m_wsPort = freePort();
    while (m_wsPort == m_mqttPort)
        m_wsPort = freePort();
    QByteArray conf = config;
    conf.replace("${DIR}", QFile::encodeName(dir()));
    conf.replace("${MQTT_PORT}", QByteArray::number(m_mqttPort));
    conf.replace("${WS_PORT}", QByteArray::number(m_wsPort));
    QFile confFile(path(QStringLiteral("mosquitto.conf")));
    if (!confFile.open(QIODevice::WriteOnly) || confFile.write(conf) != conf.size())
        return fail(QStringLiteral("cannot write mosquitto.conf"));
    confFile.close();
    ::chmod(QFile::encodeName(confFile.fileName()).constData(), 0644);

    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    QObject::connect(m_process.get(), &QProcess::readyRead, m_process.get(),
                     [this] { m_log += m_process->readAll(); });
    m_process->start(kBroker, {QStringLiteral("-c"), confFile.fileName(), QStringLiteral("-v")});
    if (!m_process->waitForStarted(5000))
        return fail(QStringLiteral("mosquitto did not start: %1").arg(m_process->errorString()));
    // "mosquitto version X running" comes after every listener is open.
    if (!waitForLog(" running", 5000))
        return fail(isRunning() ? QStringLiteral("mosquitto is not running after 5 s")
                                : QStringLiteral("mosquitto exited with code %1").arg(exitCode()));
    return true;
}

QByteArray MosquittoBroker::log() const
{
    QByteArray all = m_log;
    if (m_process)
        all += m_process->peek(m_process->bytesAvailable());
    return all;
}

bool MosquittoBroker::waitForLog(const QByteArray &text, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!log().contains(text)) {
        if (!m_process || deadline.hasExpired())
            return false;
        if (m_process->state() == QProcess::NotRunning) {
            m_log += m_process->readAll();
            return m_log.contains(text);
        }
        m_process->waitForReadyRead(int(qMin<qint64>(deadline.remainingTime(), 100)));
        m_log += m_process->readAll();
    }
    return true;
}

bool MosquittoBroker::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

int MosquittoBroker::exitCode() const
{
    return m_process ? m_process->exitCode() : -1;
}

void MosquittoBroker::stop()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(5000)) {
            m_process->kill();
            m_process->waitForFinished(5000);
        }
    }
    m_log += m_process->readAll();
    m_process.reset();
}

MosquittoBroker::ClientResult MosquittoBroker::runClient(const QString &program,
                                                         QStringList arguments, const QString &user,
                                                         const QString &password, int timeoutMs)
{
    arguments << QStringLiteral("-h") << QStringLiteral("127.0.0.1") << QStringLiteral("-p")
              << QString::number(m_mqttPort);
    if (!user.isEmpty())
        arguments << QStringLiteral("-u") << user;
    if (!password.isEmpty())
        arguments << QStringLiteral("-P") << password;
    QProcess client;
    client.start(program, arguments);
    ClientResult result;
    if (!client.waitForFinished(timeoutMs)) {
        client.kill();
        client.waitForFinished(1000);
        result.err = "client timed out";
        return result;
    }
    result.exitCode = client.exitCode();
    result.out = client.readAllStandardOutput();
    result.err = client.readAllStandardError();
    return result;
}

MosquittoBroker::ClientResult MosquittoBroker::publish(const QString &topic,
                                                       const QByteArray &payload,
                                                       const QString &user, const QString &password,
                                                       int qos, bool retain)
{
    QStringList arguments = {QStringLiteral("-t"), topic,
                             QStringLiteral("-m"), QString::fromUtf8(payload),
                             QStringLiteral("-q"), QString::number(qos)};
    if (retain)
        arguments << QStringLiteral("-r");
    return runClient(QStringLiteral("/usr/bin/mosquitto_pub"), arguments, user, password, 10000);
}

MosquittoBroker::ClientResult MosquittoBroker::subscribe(const QString &topic, int count,
                                                         int timeoutSec, const QString &user,
                                                         const QString &password)
{
    return runClient(QStringLiteral("/usr/bin/mosquitto_sub"),
                     {QStringLiteral("-t"), topic, QStringLiteral("-C"), QString::number(count),
                      QStringLiteral("-W"), QString::number(timeoutSec)},
                     user, password, (timeoutSec + 10) * 1000);
}

} // namespace wmw::test
