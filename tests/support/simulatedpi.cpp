// SPDX-License-Identifier: GPL-3.0-or-later
#include "support/simulatedpi.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTest>

#include <unistd.h>

namespace wmw::test {

SimulatedPi::SimulatedPi() = default;

SimulatedPi::~SimulatedPi()
{
    stop();
}

QString SimulatedPi::script()
{
    return QStringLiteral(WMW_TESTS_DIR "/support/simpi/simpi");
}

QString SimulatedPi::unavailableReason()
{
    if (::geteuid() != 0)
        return QStringLiteral("the simulated Pi needs root (mount namespaces, overlayfs)");
    const QStringList needed = {
            QStringLiteral("/usr/sbin/sshd"),      QStringLiteral("/usr/bin/unshare"),
            QStringLiteral("/usr/bin/nsenter"),    QStringLiteral("/usr/bin/sudo"),
            QStringLiteral("/usr/sbin/useradd"),   QStringLiteral("/usr/bin/ssh"),
            QStringLiteral("/usr/sbin/mosquitto"), QStringLiteral("/usr/bin/python3")};
    for (const QString &tool : needed) {
        if (!QFileInfo(tool).isExecutable())
            return QStringLiteral("%1 is not installed (scripts/setup installs it)").arg(tool);
    }
    return {};
}

QString SimulatedPi::dir() const
{
    return m_dir ? m_dir->path() : QString();
}

QString SimulatedPi::knownHostsFile() const
{
    return QDir(dir()).filePath(QStringLiteral("known_hosts"));
}

QString SimulatedPi::clientKeyFile() const
{
    return QDir(dir()).filePath(QStringLiteral("client_ed25519"));
}

QByteArray SimulatedPi::passwordOf(const QString &user) const
{
    QFile file(QDir(dir()).filePath(QStringLiteral("secrets/%1.password").arg(user)));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

SimulatedPi::Result SimulatedPi::run(const QStringList &arguments, const QByteArray &input,
                                     int timeoutMs) const
{
    QProcess process;
    process.start(script(), arguments);
    Result result;
    if (!process.waitForStarted(5000)) {
        result.err = "simpi did not start: " + process.errorString().toLocal8Bit();
        return result;
    }
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(1000);
        result.err = "simpi timed out: " + arguments.join(u' ').toLocal8Bit();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

bool SimulatedPi::readEnv(QString *error)
{
    QFile file(QDir(dir()).filePath(QStringLiteral("simpi.env")));
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("no simpi.env in %1").arg(dir());
        return false;
    }
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        const qsizetype eq = line.indexOf('=');
        if (eq <= 0)
            continue;
        const QByteArray key = line.left(eq);
        const QString value = QString::fromUtf8(line.mid(eq + 1));
        if (key == "SSH_PORT")
            m_sshPort = value.toUShort();
        else if (key == "MQTT_PORT")
            m_mqttPort = value.toUShort();
        else if (key == "WS_PORT")
            m_wsPort = value.toUShort();
        else if (key == "HOST_KEY_TYPE")
            m_hostKeyType = value;
        else if (key == "HOST_KEY_FINGERPRINT")
            m_hostKeyFingerprint = value;
    }
    if (m_sshPort == 0 || m_mqttPort == 0 || m_wsPort == 0) {
        if (error)
            *error = QStringLiteral("simpi.env lacks a port");
        return false;
    }
    return true;
}

bool SimulatedPi::start(QString *error, const QStringList &faults)
{
    stop();
    m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid()) {
        if (error)
            *error = QStringLiteral("no temporary folder: %1").arg(m_dir->errorString());
        return false;
    }
    QStringList arguments = {QStringLiteral("start"), dir()};
    for (const QString &fault : faults)
        arguments << QStringLiteral("--fault") << fault;
    const Result result = run(arguments, {}, 120000);
    // Stop even a half-started Pi in the destructor.
    m_started = true;
    if (!result.ok()) {
        if (error)
            *error = QStringLiteral("simpi start failed (exit %1): %2%3")
                             .arg(result.exitCode)
                             .arg(QString::fromLocal8Bit(result.err),
                                  QString::fromLocal8Bit(result.out));
        return false;
    }
    return readEnv(error);
}

void SimulatedPi::stop()
{
    if (m_started && m_dir)
        run({QStringLiteral("stop"), dir()}, {}, 30000);
    m_started = false;
    m_dir.reset();
}

bool SimulatedPi::isRunning() const
{
    return m_started && run({QStringLiteral("status"), dir()}, {}, 30000).exitCode == 0;
}

SimulatedPi::Result SimulatedPi::exec(const QStringList &command, const QByteArray &input,
                                      int timeoutMs) const
{
    return run(QStringList{QStringLiteral("exec"), dir()} + command, input, timeoutMs);
}

SimulatedPi::Result SimulatedPi::ssh(const QString &command, const QByteArray &input,
                                     const QString &user, int timeoutMs) const
{
    const QStringList arguments = {QStringLiteral("-F"),
                                   QStringLiteral("/dev/null"), // no developer config leaks in
                                   QStringLiteral("-o"),
                                   QStringLiteral("BatchMode=yes"),
                                   QStringLiteral("-o"),
                                   QStringLiteral("StrictHostKeyChecking=yes"),
                                   QStringLiteral("-o"),
                                   QStringLiteral("UserKnownHostsFile=") + knownHostsFile(),
                                   QStringLiteral("-o"),
                                   QStringLiteral("IdentitiesOnly=yes"),
                                   QStringLiteral("-i"),
                                   clientKeyFile(),
                                   QStringLiteral("-p"),
                                   QString::number(m_sshPort),
                                   QStringLiteral("-l"),
                                   user.isEmpty() ? this->user() : user,
                                   host(),
                                   command};
    QProcess process;
    process.start(QStringLiteral("/usr/bin/ssh"), arguments);
    Result result;
    if (!process.waitForStarted(5000)) {
        result.err = "ssh did not start: " + process.errorString().toLocal8Bit();
        return result;
    }
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(1000);
        result.err = "ssh timed out";
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

QByteArray SimulatedPi::readFile(const QString &piPath, bool *ok) const
{
    const Result result = exec({QStringLiteral("cat"), QStringLiteral("--"), piPath});
    if (ok)
        *ok = result.ok();
    return result.ok() ? result.out : QByteArray();
}

bool SimulatedPi::writeFile(const QString &piPath, const QByteArray &data, const QString &owner,
                            const QString &mode) const
{
    if (!exec({QStringLiteral("tee"), QStringLiteral("--"), piPath}, data).ok())
        return false;
    if (!owner.isEmpty()
        && !exec({QStringLiteral("chown"), owner, QStringLiteral("--"), piPath}).ok())
        return false;
    if (!mode.isEmpty()
        && !exec({QStringLiteral("chmod"), mode, QStringLiteral("--"), piPath}).ok())
        return false;
    return true;
}

bool SimulatedPi::injectFault(const QString &name, QString *error) const
{
    const Result result = run({QStringLiteral("fault"), dir(), name}, {}, 60000);
    if (!result.ok() && error)
        *error = QString::fromLocal8Bit(result.err + result.out);
    return result.ok();
}

bool SimulatedPi::waitForLog(const QString &piPath, const QByteArray &text, int timeoutMs) const
{
    const QDeadlineTimer deadline(timeoutMs);
    do {
        if (readFile(piPath).contains(text))
            return true;
        QTest::qWait(100);
    } while (!deadline.hasExpired());
    return readFile(piPath).contains(text);
}

QByteArray SimulatedPi::journal(const QString &unit) const
{
    QFile file(QDir(dir()).filePath(QStringLiteral("journal/%1.log").arg(unit)));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

} // namespace wmw::test
