// SPDX-License-Identifier: GPL-3.0-or-later
// The simulated Pi the other tests stand on: it must behave like a Pi where the tests look,
// and leave the host exactly as it was.

#include "support/simulatedpi.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
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
    void servicesRunLikeOnAFreshPi();
    void standInPublishesWithTheCredentialsOfWeewxConf();
    void standInLogsPublishedEvenWhenThePublishFailed();
    void faultIsVisible_data();
    void faultIsVisible();
    void restartOverSshReturnsOnceStarted();
    void journalFollowShowsEntriesAsTheyAreWritten();

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

void TestSimulatedPi::servicesRunLikeOnAFreshPi()
{
    for (const char *unit : {"mosquitto", "weewx", "ssh"}) {
        const SimulatedPi::Result result =
                m_pi.ssh(QStringLiteral("systemctl is-active ") + QLatin1String(unit));
        QCOMPARE(result.out, QByteArray("active\n"));
        QCOMPARE(result.exitCode, 0);
    }
    // Debian's mosquitto without a listener: local only mode, on the Pi's mapped MQTT port.
    QVERIFY(portAccepts(m_pi.mqttPort()));
    QVERIFY(m_pi.journal(QStringLiteral("mosquitto")).contains("Started mosquitto.service"));
    QVERIFY(m_pi.readFile(QStringLiteral("/var/log/mosquitto/mosquitto.log"))
                    .contains("Starting in local only mode"));
    // pi may not restart services without sudo, as with polkit on a Pi.
    QCOMPARE(m_pi.ssh(QStringLiteral("systemctl restart mosquitto")).exitCode, 1);
    // WeeWX 5 package layout, Belchertown installed, no MQTT.
    const SimulatedPi::Result ls =
            m_pi.exec({QStringLiteral("stat"), QStringLiteral("-c"), QStringLiteral("%U:%G %a"),
                       QStringLiteral("/etc/weewx/weewx.conf")});
    QCOMPARE(ls.out, QByteArray("weewx:weewx 660\n"));
    QVERIFY(!m_pi.ssh(QStringLiteral("cat /etc/weewx/weewx.conf")).ok());
    const QByteArray conf = m_pi.readFile(QStringLiteral("/etc/weewx/weewx.conf"));
    QVERIFY(conf.contains("[[Belchertown]]"));
    QVERIFY(!conf.contains("[[MQTT]]"));
    const SimulatedPi::Result extensions = m_pi.exec(
            {QStringLiteral("weectl"), QStringLiteral("extension"), QStringLiteral("list")});
    QVERIFY(extensions.out.contains("Belchertown       1.3.1"));
    QVERIFY(m_pi.exec({QStringLiteral("test"), QStringLiteral("-s"),
                       QStringLiteral("/var/www/html/weewx/belchertown/index.html")})
                    .ok());
}

namespace {

// What the wizard would do: weewx-mqtt installed, a broker with a password file, listeners on
// the Pi's ports, an [[MQTT]] section that points at it.
bool setUpMqtt(const SimulatedPi &pi, const QByteArray &weewxPassword)
{
    if (!pi.exec({QStringLiteral("weectl"), QStringLiteral("extension"), QStringLiteral("install"),
                  QStringLiteral("weewx-mqtt.zip"), QStringLiteral("-y")})
                 .ok())
        return false;
    const QByteArray listeners = "listener " + QByteArray::number(pi.mqttPort())
                                 + " 127.0.0.1\nprotocol mqtt\nlistener "
                                 + QByteArray::number(pi.websocketPort())
                                 + " lo\nprotocol websockets\nallow_anonymous true\n"
                                   "password_file /etc/mosquitto/passwd\n";
    if (!pi.writeFile(QStringLiteral("/etc/mosquitto/conf.d/live.conf"), listeners)
        || !pi.writeFile(QStringLiteral("/etc/mosquitto/passwd"), "weewx:right\n",
                         QStringLiteral("mosquitto:mosquitto"), QStringLiteral("0700"))
        || !pi.exec({QStringLiteral("mosquitto_passwd"), QStringLiteral("-U"),
                     QStringLiteral("/etc/mosquitto/passwd")})
                    .ok()
        || !pi.exec({QStringLiteral("systemctl"), QStringLiteral("restart"),
                     QStringLiteral("mosquitto")})
                    .ok())
        return false;
    // The edit goes through the real ConfigObj, like the section the wizard writes.
    const QByteArray edit =
            "import configobj, sys\n"
            "c = configobj.ConfigObj('/etc/weewx/weewx.conf', encoding='utf-8')\n"
            "c['StdRESTful']['MQTT'].update({'server_url': 'mqtt://weewx:' + sys.stdin.read() + "
            "'@127.0.0.1:"
            + QByteArray::number(pi.mqttPort())
            + "/', 'topic': 'weather', 'binding': 'archive, loop', 'aggregation': 'aggregate'})\n"
              "c.write()\n";
    if (!pi.writeFile(QStringLiteral("/tmp/edit.py"), edit))
        return false;
    if (!pi.exec({QStringLiteral("/usr/bin/python3"), QStringLiteral("/tmp/edit.py")},
                 weewxPassword)
                 .ok())
        return false;
    return pi
            .exec({QStringLiteral("systemctl"), QStringLiteral("restart"), QStringLiteral("weewx")})
            .ok();
}

SimulatedPi::Result subscribeOnce(quint16 port, const QString &topic)
{
    QProcess sub;
    sub.start(QStringLiteral("mosquitto_sub"),
              {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
               QString::number(port), QStringLiteral("-t"), topic, QStringLiteral("-C"),
               QStringLiteral("1"), QStringLiteral("-W"), QStringLiteral("30"),
               QStringLiteral("-v")});
    SimulatedPi::Result result;
    if (!sub.waitForFinished(40000))
        return result;
    result.exitCode = sub.exitCode();
    result.out = sub.readAllStandardOutput();
    result.err = sub.readAllStandardError();
    return result;
}

} // namespace

void TestSimulatedPi::standInPublishesWithTheCredentialsOfWeewxConf()
{
    SimulatedPi pi;
    QString error;
    QVERIFY2(pi.start(&error), qPrintable(error));
    QVERIFY(setUpMqtt(pi, "right"));
    const SimulatedPi::Result message = subscribeOnce(pi.mqttPort(), QStringLiteral("weather/#"));
    QVERIFY2(message.ok(), message.err.constData());
    QVERIFY2(message.out.startsWith("weather/loop {"), message.out.constData());
    const QJsonObject loop =
            QJsonDocument::fromJson(message.out.mid(message.out.indexOf('{'))).object();
    // weewx-mqtt: every value a string, unit-suffixed names.
    QVERIFY(loop.value(QStringLiteral("outTemp_F")).isString());
    QVERIFY(loop.value(QStringLiteral("windSpeed_mph")).isString());
    QVERIFY(loop.value(QStringLiteral("dateTime")).isString());
    QVERIFY(!loop.contains(QStringLiteral("interval_minute")));
    QTRY_VERIFY_WITH_TIMEOUT(pi.journal(QStringLiteral("weewx")).contains("MQTT: Published record"),
                             20000);
    QVERIFY(!pi.journal(QStringLiteral("weewx")).contains("right"));
}

void TestSimulatedPi::standInLogsPublishedEvenWhenThePublishFailed()
{
    SimulatedPi pi;
    QString error;
    QVERIFY2(pi.start(&error), qPrintable(error));
    QVERIFY(setUpMqtt(pi, "wrong"));
    // The trap the diagnosis must see through: both lines, nothing on the broker.
    QTRY_VERIFY_WITH_TIMEOUT(
            pi.journal(QStringLiteral("weewx")).contains("publish failed for weather/loop"), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(pi.journal(QStringLiteral("weewx")).contains("MQTT: Published record"),
                             20000);
}

void TestSimulatedPi::faultIsVisible_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<QString>("piCommand");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("mosquitto-stopped: inactive")
            << "mosquitto-stopped"
            << "systemctl is-active mosquitto" << QByteArray("inactive");
    QTest::newRow("weewx-stopped: inactive")
            << "weewx-stopped"
            << "systemctl is-active weewx" << QByteArray("inactive");
    QTest::newRow("acl-missing: the broker cannot open it")
            << "acl-missing"
            << "systemctl is-active mosquitto; cat /var/log/mosquitto/mosquitto.log"
            << QByteArray("Error: Unable to open acl_file \"/etc/mosquitto/acl\"");
    QTest::newRow("pwfile-plaintext: the entry is dropped")
            << "pwfile-plaintext"
            << "cat /var/log/mosquitto/mosquitto.log"
            << QByteArray("Invalid password hash type for user weewx, removing entry.");
    QTest::newRow("pwfile-unreadable: failed with exit 13")
            << "pwfile-unreadable"
            << "systemctl status mosquitto" << QByteArray("status=13/n/a");
    QTest::newRow("port-taken: the websockets listener cannot bind")
            << "port-taken"
            << "cat /var/log/mosquitto/mosquitto.log"
            << QByteArray("Error: Unable to create websockets listener on port");
    QTest::newRow("no-websockets-listener: only the MQTT listener")
            << "no-websockets-listener"
            << "cat /var/log/mosquitto/mosquitto.log | tail -n 3"
            << QByteArray("mosquitto version 2.0.11 running");
    QTest::newRow("weewx-conf-broken: weewxd dies after a restart that said 0")
            << "weewx-conf-broken"
            << "journalctl -u weewx" << QByteArray("weewx.service: Failed");
    QTest::newRow("bad-locale: every login warns")
            << "bad-locale"
            << "ssh:locale" << QByteArray("Cannot set LC_CTYPE to default locale");
    QTest::newRow("drop-ssh: nothing listens") << "drop-ssh"
                                               << "" << QByteArray();
}

void TestSimulatedPi::faultIsVisible()
{
    QFETCH(QString, fault);
    QFETCH(QString, piCommand);
    QFETCH(QByteArray, expected);

    SimulatedPi pi;
    QString error;
    QVERIFY2(pi.start(&error), qPrintable(error));
    QVERIFY2(pi.injectFault(fault, &error), qPrintable(error));
    if (fault == QStringLiteral("drop-ssh")) {
        QTRY_VERIFY(!portAccepts(pi.sshPort()));
        return;
    }
    if (fault == QStringLiteral("no-websockets-listener")) {
        QVERIFY(!portAccepts(pi.websocketPort()));
        QVERIFY(portAccepts(pi.mqttPort()));
    }
    auto output = [&]() -> QByteArray {
        if (piCommand.startsWith(QStringLiteral("ssh:"))) {
            const SimulatedPi::Result r = pi.ssh(piCommand.mid(4));
            return r.out + r.err;
        }
        const SimulatedPi::Result r =
                pi.exec({QStringLiteral("/bin/sh"), QStringLiteral("-c"), piCommand});
        return r.out + r.err;
    };
    QTRY_VERIFY2_WITH_TIMEOUT(output().contains(expected), output().constData(), 20000);
}

// Regression: the journal writer of a started unit held the caller's stdout, so a restart
// over SSH (or inside $(...)) never returned; systemd's own systemctl returns at once.
void TestSimulatedPi::restartOverSshReturnsOnceStarted()
{
    const SimulatedPi::Result result =
            m_pi.ssh(QStringLiteral("echo \"$(sudo -S -p '' systemctl restart mosquitto)\" done"),
                     m_pi.password() + '\n', {}, 20000);
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, QByteArray(" done\n"));
    QCOMPARE(m_pi.ssh(QStringLiteral("systemctl is-active mosquitto")).out, QByteArray("active\n"));
}

// apply.sh waits for weewxd's "Starting main packet loop." with `journalctl -f`: the shim must
// print what came since --since, then each entry written later, and stop when its pid is killed
// (nothing of it left following the file).
void TestSimulatedPi::journalFollowShowsEntriesAsTheyAreWritten()
{
    const QString script = QStringLiteral(
            "journalctl -u weewx --since \"@$(date +%s)\" -f --no-pager >/tmp/follow 2>&1 &\n"
            "follower=$!\n"
            "systemctl restart weewx || exit 10\n"
            "timeout 20 sh -c 'until grep -q \"Starting main packet loop\" /tmp/follow; do sleep "
            "0.05; done' || exit 11\n"
            "kill \"$follower\" || exit 12\n"
            "wait \"$follower\"\n"
            "pgrep -f 'journal/weewx[.]log' && exit 13\n"
            "cat /tmp/follow\n");
    const SimulatedPi::Result result =
            m_pi.exec({QStringLiteral("sh"), QStringLiteral("-c"), script});
    QVERIFY2(result.ok(), qPrintable(QStringLiteral("exit %1: %2")
                                             .arg(result.exitCode)
                                             .arg(QString::fromUtf8(result.err))));
    // Written by systemd before weewxd started, and by weewxd after the follow began.
    QVERIFY2(result.out.contains("Started weewx.service"), result.out.constData());
    QVERIFY2(result.out.contains("weewxd[") && result.out.contains("Starting main packet loop."),
             result.out.constData());
}

QTEST_GUILESS_MAIN(TestSimulatedPi)
#include "tst_simpi.moc"
