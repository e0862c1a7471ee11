// SPDX-License-Identifier: GPL-3.0-or-later
// The simulated Pi the other tests stand on: it must behave like a Pi where the tests look,
// and leave the host exactly as it was.

#include "support/simulatedpi.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTcpSocket>
#include <QtTest>

using wmw::test::SimulatedPi;

namespace {

QByteArray fileHash(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return "unreadable:" + path.toUtf8();
    return QCryptographicHash::hash(file.readAll(), QCryptographicHash::Sha256).toHex();
}

// What the simulated Pi must never change on the host.
QByteArray hostFingerprint()
{
    QByteArray print;
    for (const char *path :
         {"/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow", "/etc/hostname", "/etc/hosts",
          "/etc/ssh/sshd_config", "/etc/mosquitto/mosquitto.conf", "/proc/self/mounts"})
        print += path + QByteArray(" ") + fileHash(QString::fromLatin1(path)) + '\n';
    for (const char *path : {"/home", "/etc/sudoers.d", "/etc/mosquitto/conf.d"}) {
        print += path + QByteArray(":");
        for (const QString &entry :
             QDir(QString::fromLatin1(path))
                     .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden))
            print += ' ' + entry.toUtf8();
        print += '\n';
    }
    return print;
}

bool portAccepts(quint16 port)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    return socket.waitForConnected(2000);
}

} // namespace

class TestSimulatedPi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void startsAndStopsLeavingTheHostUnchanged();
    void sshdAnswersWithItsHostKey();
    void usersExistOnlyInsideTheNamespace();
    void sudo_data();
    void sudo();

private:
    SimulatedPi m_pi;
};

void TestSimulatedPi::initTestCase()
{
    if (const QString why = SimulatedPi::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QString error;
    QVERIFY2(m_pi.start(&error), qPrintable(error));
}

void TestSimulatedPi::cleanupTestCase()
{
    m_pi.stop();
}

void TestSimulatedPi::startsAndStopsLeavingTheHostUnchanged()
{
    const QByteArray before = hostFingerprint();
    quint16 sshPort = 0;
    QString dir;
    {
        SimulatedPi pi;
        QString error;
        QVERIFY2(pi.start(&error), qPrintable(error));
        QVERIFY(pi.isRunning());
        sshPort = pi.sshPort();
        dir = pi.dir();
        QVERIFY(portAccepts(sshPort));
        // Written inside, visible only inside (and in the overlay's upper dir).
        QVERIFY(pi.writeFile(QStringLiteral("/etc/simpi-probe"), "inside\n"));
        QCOMPARE(pi.readFile(QStringLiteral("/etc/simpi-probe")), QByteArray("inside\n"));
        QVERIFY(!QFile::exists(QStringLiteral("/etc/simpi-probe")));
        QVERIFY(QFile::exists(dir + QStringLiteral("/upper/etc/simpi-probe")));
    }
    QVERIFY(!QDir(dir).exists());
    QVERIFY(!portAccepts(sshPort));
    QCOMPARE(hostFingerprint(), before);
}

void TestSimulatedPi::sshdAnswersWithItsHostKey()
{
    QCOMPARE(m_pi.hostKeyType(), QStringLiteral("ssh-ed25519"));
    QVERIFY(m_pi.hostKeyFingerprint().startsWith(QStringLiteral("SHA256:")));
    const SimulatedPi::Result result = m_pi.ssh(QStringLiteral("id -un; hostname; echo $PATH"));
    QVERIFY2(result.ok(), result.err.constData());
    const QList<QByteArray> lines = result.out.split('\n');
    QCOMPARE(lines.value(0), QByteArray("pi"));
    QCOMPARE(lines.value(1), QByteArray("raspberrypi"));
    // The shims must win over the real tools for every user.
    QVERIFY2(lines.value(2).startsWith("/usr/local/bin:"), lines.value(2).constData());
}

void TestSimulatedPi::usersExistOnlyInsideTheNamespace()
{
    for (const QString &user : {m_pi.user(), m_pi.userWithoutSudo(), m_pi.userWithNopasswdSudo(),
                                QStringLiteral("weewx")}) {
        QVERIFY2(m_pi.exec({QStringLiteral("getent"), QStringLiteral("passwd"), user}).ok(),
                 qPrintable(user));
        QProcess host;
        host.start(QStringLiteral("getent"), {QStringLiteral("passwd"), user});
        QVERIFY(host.waitForFinished());
        if (user != QStringLiteral("weewx") || host.exitCode() != 0)
            QVERIFY2(host.exitCode() != 0, qPrintable(user + u" exists on the host"));
    }
}

void TestSimulatedPi::sudo_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<bool>("givePassword");
    QTest::addColumn<bool>("wrongPassword");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QByteArray>("stderrHas");

    QTest::newRow("pi with its password becomes root")
            << "pi" << true << false << 0 << QByteArray();
    QTest::newRow("pi with a wrong password: Sorry, try again")
            << "pi" << true << true << 1 << QByteArray("Sorry, try again");
    QTest::newRow("pi without a password: a password is required")
            << "pi" << false << false << 1 << QByteArray("a password is required");
    QTest::newRow("nosudo with its password is refused")
            << "nosudo" << true << false << 1 << QByteArray("is not in the sudoers file");
    QTest::newRow("nopasswd needs no password")
            << "nopasswd" << false << false << 0 << QByteArray();
}

void TestSimulatedPi::sudo()
{
    QFETCH(QString, user);
    QFETCH(bool, givePassword);
    QFETCH(bool, wrongPassword);
    QFETCH(int, exitCode);
    QFETCH(QByteArray, stderrHas);

    QByteArray input;
    if (givePassword)
        input = (wrongPassword ? QByteArray("not-the-password") : m_pi.passwordOf(user)) + '\n';
    // -n when no password is given, so sudo answers at once instead of waiting on stdin.
    const QString command =
            givePassword ? QStringLiteral("sudo -S -p '' id -u") : QStringLiteral("sudo -n id -u");
    const SimulatedPi::Result result = m_pi.ssh(command, input, user);
    QCOMPARE(result.exitCode, exitCode);
    if (exitCode == 0)
        QCOMPARE(result.out, QByteArray("0\n"));
    QVERIFY2(result.err.contains(stderrHas), result.err.constData());
}

QTEST_GUILESS_MAIN(TestSimulatedPi)
#include "tst_simpi.moc"
