// SPDX-License-Identifier: GPL-3.0-or-later
// The export bundle applied to a simulated Pi the way a user does it: copied over SSH, then
// install.sh with sudo, or the Ansible play. Afterwards the page's user must get live data,
// and a second run must change nothing.

#include "config/bundle.h"
#include "config/passwordfile.h"
#include "remote/export/bundlearchive.h"
#include "remote/mqtt/livecheck.h"
#include "support/simulatedpi.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace wmw::config;
using wmw::exporting::ArchiveFormat;
using wmw::exporting::BundleArchive;
using wmw::mqtt::LiveCheck;
using wmw::test::SimulatedPi;

namespace {

const QString PublishPassword = QStringLiteral("pub-lish,Secret;1");
const QString WebPassword = QStringLiteral("web-Public-2");
const QString Folder = QStringLiteral("weewx-mqtt-bundle");
const QString AlicePassword = QStringLiteral("alice-Own-3");
const QByteArray AliceAcl = "# the house's own acl\n"
                            "pattern read $SYS/broker/#\n"
                            "\n"
                            "user alice\n"
                            "topic readwrite house/#\n";

StationProfile profileFor(const SimulatedPi &pi)
{
    StationProfile p;
    p.piHost = pi.host();
    p.sshPort = pi.sshPort();
    p.sshUser = pi.user();
    p.mqttPort = pi.mqttPort();
    p.websocketPort = pi.websocketPort();
    p.serverUrlHost = QStringLiteral("127.0.0.1");
    return p;
}

QByteArray bundleFor(const SimulatedPi &pi)
{
    BundleInput in;
    in.profile = profileFor(pi);
    in.secrets.publishPassword = PublishPassword;
    in.secrets.webPassword = WebPassword;
    const BundleResult bundle = Bundle::make(in);
    if (!bundle.ok()) {
        qWarning() << bundle.errorString;
        return {};
    }
    return BundleArchive::write(bundle.entries, ArchiveFormat::TarGz).bytes;
}

// Copies the bundle into the sudo user's home and unpacks it there, as `scp` + `tar` would.
bool copyBundle(const SimulatedPi &pi, const QByteArray &archive)
{
    return !archive.isEmpty()
           && pi.ssh(QStringLiteral("umask 077 && cat > bundle.tar.gz && tar -xzf bundle.tar.gz"),
                     archive)
                      .ok();
}

SimulatedPi::Result installSh(const SimulatedPi &pi, const QString &options = {})
{
    // sudo reads the password as the first line of stdin; it never is an argument.
    return pi.ssh(QStringLiteral("cd %1 && sudo -S -p '' sh install.sh %2").arg(Folder, options),
                  pi.password() + '\n', {}, 120000);
}

const QStringList WatchedFiles = {QStringLiteral("/etc/mosquitto/acl"),
                                  QStringLiteral("/etc/mosquitto/passwd"),
                                  QStringLiteral("/etc/mosquitto/conf.d/weewx-mqtt-wizard.conf"),
                                  QStringLiteral("/etc/weewx/weewx.conf")};

// Everything a run could change: content, owner, mode, change time of each file, the backups,
// and how often each service was started.
QByteArray piState(const SimulatedPi &pi)
{
    QString script = QStringLiteral("for f in");
    for (const QString &f : WatchedFiles)
        script += u' ' + f;
    script += QStringLiteral("; do stat -c '%n %U:%G %a %s %Y.%Z' \"$f\" 2>&1; "
                             "sha256sum \"$f\" 2>&1; done; "
                             "ls -1 /var/backups/weewx-mqtt-bundle 2>&1; "
                             "ls -1a /etc/mosquitto/conf.d");
    const SimulatedPi::Result r =
            pi.exec({QStringLiteral("/bin/sh"), QStringLiteral("-c"), script});
    return r.out + r.err + "\nmosquitto starts: "
           + QByteArray::number(
                   pi.journal(QStringLiteral("mosquitto")).count("Started mosquitto.service"))
           + "\nweewx starts: "
           + QByteArray::number(pi.journal(QStringLiteral("weewx")).count("Started weewx.service"));
}

// A Pi whose broker already has another MQTT user, as its owner set it up: alice may
// publish to house/#. The files hold a comment and a pattern line too.
QByteArray alicePasswordLine()
{
    return PasswordFile::hashLine(QStringLiteral("alice"), AlicePassword, QByteArray(12, 'A'));
}

bool addAlice(const SimulatedPi &pi)
{
    const QString owner = QStringLiteral("mosquitto:mosquitto");
    const QString mode = QStringLiteral("700");
    return pi.writeFile(QStringLiteral("/etc/mosquitto/acl"), AliceAcl, owner, mode)
           && pi.writeFile(QStringLiteral("/etc/mosquitto/passwd"),
                           "# the house's users\n" + alicePasswordLine() + '\n', owner, mode);
}

// alice publishes a retained message to house/ and reads it back, with the mosquitto
// clients on the Pi. The broker drops a publish its acl refuses without a word, so only the
// message coming back proves she may publish. Gives the payload read, or what failed.
QByteArray aliceRoundTrip(const SimulatedPi &pi, const QByteArray &payload)
{
    const QStringList login = {QStringLiteral("-h"), QStringLiteral("127.0.0.1"),
                               QStringLiteral("-p"), QString::number(pi.mqttPort()),
                               QStringLiteral("-u"), QStringLiteral("alice"),
                               QStringLiteral("-P"), AlicePassword,
                               QStringLiteral("-t"), QStringLiteral("house/garden/temperature")};
    const SimulatedPi::Result pub =
            pi.exec(QStringList{QStringLiteral("mosquitto_pub")} + login
                    + QStringList{QStringLiteral("-q"), QStringLiteral("1"), QStringLiteral("-r"),
                                  QStringLiteral("-m"), QString::fromLatin1(payload)});
    if (!pub.ok())
        return "mosquitto_pub failed: " + pub.out + pub.err;
    const SimulatedPi::Result sub =
            pi.exec(QStringList{QStringLiteral("mosquitto_sub")} + login
                    + QStringList{QStringLiteral("-C"), QStringLiteral("1"), QStringLiteral("-W"),
                                  QStringLiteral("20")});
    if (!sub.ok())
        return "mosquitto_sub failed: " + sub.out + sub.err;
    return sub.out.trimmed();
}

// The live check as the page's user: what a visitor's browser would see.
LiveCheck::State liveCheck(const SimulatedPi &pi, QString *message)
{
    LiveCheck check;
    LiveCheck::Options options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:%1/mqtt").arg(pi.websocketPort()));
    options.userName = QStringLiteral("belchertown");
    options.password = WebPassword.toUtf8();
    options.topic = QStringLiteral("weather/loop");
    options.messageTimeoutMs = 30000;
    QSignalSpy finished(&check, &LiveCheck::finished);
    check.start(options);
    if (!finished.wait(60000))
        return LiveCheck::State::Idle;
    *message = check.message();
    return check.state();
}

// weewx.conf as the Pi has it, read by the real ConfigObj the way WeeWX reads it.
QJsonObject weewxValues(const SimulatedPi &pi)
{
    QTemporaryDir dir;
    QFile f(dir.filePath(QStringLiteral("weewx.conf")));
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(pi.readFile(QStringLiteral("/etc/weewx/weewx.conf")));
    f.close();
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"),
            {QStringLiteral("-c"),
             QStringLiteral("import configobj, json, sys\n"
                            "c = configobj.ConfigObj(sys.argv[1], encoding='utf-8', "
                            "interpolation='ConfigParser', file_error=True)\n"
                            "print(json.dumps({'mqtt': dict(c['StdRESTful']['MQTT']), "
                            "'extras': dict(c['StdReport']['Belchertown']['Extras']), "
                            "'services': c['Engine']['Services']['restful_services']}))\n"),
             f.fileName()});
    p.waitForFinished(30000);
    return QJsonDocument::fromJson(p.readAllStandardOutput()).object();
}

} // namespace

class TestExportPi : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void installShAppliesLiveAndAgainChangesNothing();
    void installShKeepsOtherMqttUsers();
    void installShRestoresOnFailure();
    void installShRefusesWithoutRoot();
    void ansiblePlaybookAppliesAndAgainReportsNoChange_data();
    void ansiblePlaybookAppliesAndAgainReportsNoChange();
};

void TestExportPi::initTestCase()
{
    if (const QString why = SimulatedPi::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
}

void TestExportPi::installShAppliesLiveAndAgainChangesNothing()
{
    SimulatedPi pi;
    QString error;
    QVERIFY2(pi.start(&error), qPrintable(error));
    QVERIFY(copyBundle(pi, bundleFor(pi)));

    // --dry-run on a fresh Pi: it lists what would change and changes nothing.
    const QByteArray fresh = piState(pi);
    SimulatedPi::Result dry = installSh(pi, QStringLiteral("--dry-run --install-extension"));
    QVERIFY2(dry.ok(), dry.err.constData());
    QVERIFY2(dry.out.contains("create      /etc/mosquitto/acl"), dry.out.constData());
    QVERIFY(dry.out.contains("update      /etc/weewx/weewx.conf"));
    QVERIFY(dry.out.contains("Dry run: nothing was changed."));
    QCOMPARE(piState(pi), fresh);

    // The real run, with weewx-mqtt installed by weectl on the way.
    const SimulatedPi::Result first = installSh(pi, QStringLiteral("--install-extension"));
    QVERIFY2(first.ok(), QByteArray(first.out + first.err).constData());
    QVERIFY(first.out.contains("mosquitto listens on ports"));
    QVERIFY(!QByteArray(first.out + first.err).contains(PublishPassword.toUtf8()));

    // Files with the owner and mode the broker needs.
    const SimulatedPi::Result modes = pi.exec(
            {QStringLiteral("stat"), QStringLiteral("-c"), QStringLiteral("%n %U:%G %a"),
             WatchedFiles.at(0), WatchedFiles.at(1), WatchedFiles.at(2), WatchedFiles.at(3)});
    QCOMPARE(modes.out, QByteArray("/etc/mosquitto/acl mosquitto:mosquitto 700\n"
                                   "/etc/mosquitto/passwd mosquitto:mosquitto 700\n"
                                   "/etc/mosquitto/conf.d/weewx-mqtt-wizard.conf root:root 644\n"
                                   "/etc/weewx/weewx.conf weewx:weewx 660\n"));

    // The python edit, read back by the real ConfigObj.
    const QJsonObject values = weewxValues(pi);
    const QJsonObject mqtt = values.value(QStringLiteral("mqtt")).toObject();
    QCOMPARE(mqtt.value(QStringLiteral("server_url")).toString(),
             QStringLiteral("mqtt://weewx:%1@127.0.0.1:%2/")
                     .arg(PublishPassword)
                     .arg(pi.mqttPort()));
    QCOMPARE(mqtt.value(QStringLiteral("binding")).toVariant().toStringList(),
             QStringList({QStringLiteral("archive"), QStringLiteral("loop")}));
    QCOMPARE(mqtt.value(QStringLiteral("aggregation")).toString(), QStringLiteral("aggregate"));
    const QJsonObject extras = values.value(QStringLiteral("extras")).toObject();
    QCOMPARE(extras.value(QStringLiteral("mqtt_websockets_port")).toString(),
             QString::number(pi.websocketPort()));
    QCOMPARE(extras.value(QStringLiteral("mqtt_websockets_password")).toString(), WebPassword);
    QVERIFY(values.value(QStringLiteral("services"))
                    .toVariant()
                    .toStringList()
                    .contains(QStringLiteral("user.mqtt.MQTT"))
            || values.value(QStringLiteral("services")).toString() == u"user.mqtt.MQTT");

    // What a visitor of the page sees.
    QString message;
    const LiveCheck::State state = liveCheck(pi, &message);
    QVERIFY2(state == LiveCheck::State::Receiving, qPrintable(message));

    // Again: nothing changes, nothing restarts, no new backup.
    const QByteArray applied = piState(pi);
    const SimulatedPi::Result second = installSh(pi);
    QVERIFY2(second.ok(), QByteArray(second.out + second.err).constData());
    QVERIFY2(second.out.contains("Nothing to change."), second.out.constData());
    QCOMPARE(piState(pi), applied);
    dry = installSh(pi, QStringLiteral("--dry-run"));
    QVERIFY(dry.ok());
    QVERIFY(dry.out.contains("Nothing to change."));
    QCOMPARE(piState(pi), applied);
}

void TestExportPi::installShKeepsOtherMqttUsers()
{
    SimulatedPi pi;
    QString error;
    QVERIFY2(pi.start(&error), qPrintable(error));
    QVERIFY(pi.exec({QStringLiteral("weectl"), QStringLiteral("extension"),
                     QStringLiteral("install"), QStringLiteral("weewx-mqtt.zip"),
                     QStringLiteral("-y")})
                    .ok());
    QVERIFY(addAlice(pi));
    QVERIFY(copyBundle(pi, bundleFor(pi)));

    // The plan says the files are updated, not replaced, and names the user it keeps.
    const QByteArray before = piState(pi);
    const SimulatedPi::Result dry = installSh(pi, QStringLiteral("--dry-run"));
    QVERIFY2(dry.ok(), dry.err.constData());
    QVERIFY2(dry.out.contains("update      /etc/mosquitto/acl (content)"), dry.out.constData());
    QVERIFY(dry.out.contains("update      /etc/mosquitto/passwd (content)"));
    QVERIFY(dry.out.contains("acl kept      alice"));
    QVERIFY(dry.out.contains("passwd kept      alice"));
    QVERIFY(dry.out.contains("acl added     weewx"));
    QVERIFY(!dry.out.contains("$7$"));
    QCOMPARE(piState(pi), before);

    const SimulatedPi::Result first = installSh(pi);
    QVERIFY2(first.ok(), QByteArray(first.out + first.err).constData());

    // alice's lines, comment and pattern are still there byte for byte; she still logs in and
    // may publish to house/#.
    const QByteArray acl = pi.readFile(QStringLiteral("/etc/mosquitto/acl"));
    QVERIFY2(acl.startsWith(AliceAcl), acl.constData());
    QVERIFY(acl.contains("\nuser weewx\n"));
    const QByteArray passwd = pi.readFile(QStringLiteral("/etc/mosquitto/passwd"));
    QVERIFY(passwd.startsWith(QByteArray("# the house's users\n" + alicePasswordLine() + '\n')));
    QCOMPARE(PasswordFile::users(passwd),
             QStringList({QStringLiteral("alice"), QStringLiteral("weewx"),
                          QStringLiteral("belchertown")}));
    QCOMPARE(aliceRoundTrip(pi, "21.5"), QByteArray("21.5"));

    // Our users work: weewx-mqtt publishes and the page's user receives.
    QString message;
    const LiveCheck::State state = liveCheck(pi, &message);
    QVERIFY2(state == LiveCheck::State::Receiving, qPrintable(message));

    // Again: nothing changes, and alice keeps her access.
    const QByteArray applied = piState(pi);
    const SimulatedPi::Result second = installSh(pi);
    QVERIFY2(second.ok(), QByteArray(second.out + second.err).constData());
    QVERIFY2(second.out.contains("Nothing to change."), second.out.constData());
    QVERIFY(second.out.contains("passwd unchanged weewx"));
    QCOMPARE(piState(pi), applied);
    QCOMPARE(aliceRoundTrip(pi, "22"), QByteArray("22"));
}

void TestExportPi::installShRestoresOnFailure()
{
    SimulatedPi pi;
    QString error;
    QVERIFY2(pi.start(&error), qPrintable(error));
    QVERIFY(pi.exec({QStringLiteral("weectl"), QStringLiteral("extension"),
                     QStringLiteral("install"), QStringLiteral("weewx-mqtt.zip"),
                     QStringLiteral("-y")})
                    .ok());
    QVERIFY(copyBundle(pi, bundleFor(pi)));
    // Another program holds the websockets port: the new broker config cannot start.
    QVERIFY2(pi.injectFault(QStringLiteral("port-taken"), &error), qPrintable(error));
    const QByteArray weewxConf = pi.readFile(QStringLiteral("/etc/weewx/weewx.conf"));

    const SimulatedPi::Result run = installSh(pi);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("Restoring the previous files"), run.err.constData());
    // The files it created are gone again; weewx.conf was never touched.
    for (const QString &path : WatchedFiles.mid(0, 3)) {
        bool ok = true;
        pi.readFile(path, &ok);
        QVERIFY2(!ok, qPrintable(path + u" is still there"));
    }
    QCOMPARE(pi.readFile(QStringLiteral("/etc/weewx/weewx.conf")), weewxConf);
    const SimulatedPi::Result backups =
            pi.exec({QStringLiteral("ls"), QStringLiteral("/var/backups/weewx-mqtt-bundle")});
    QVERIFY(backups.ok() && !backups.out.isEmpty());
}

void TestExportPi::installShRefusesWithoutRoot()
{
    SimulatedPi pi;
    QString error;
    QVERIFY2(pi.start(&error), qPrintable(error));
    QVERIFY(copyBundle(pi, bundleFor(pi)));
    const QByteArray before = piState(pi);
    const SimulatedPi::Result run = pi.ssh(QStringLiteral("cd %1 && sh install.sh").arg(Folder));
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains("run me as root"), run.err.constData());
    QCOMPARE(piState(pi), before);
}

void TestExportPi::ansiblePlaybookAppliesAndAgainReportsNoChange_data()
{
    QTest::addColumn<bool>("otherUser");
    QTest::newRow("fresh Pi") << false;
    QTest::newRow("Pi whose broker has another MQTT user") << true;
}

void TestExportPi::ansiblePlaybookAppliesAndAgainReportsNoChange()
{
    QFETCH(bool, otherUser);
    const QString ansible = QStandardPaths::findExecutable(QStringLiteral("ansible-playbook"));
    if (ansible.isEmpty())
        QSKIP("ansible-playbook is not installed (Debian package ansible-core)");
    SimulatedPi pi;
    QString error;
    QVERIFY2(pi.start(&error), qPrintable(error));
    // The play does not install extensions: weewx-mqtt is there, as on a configured station.
    QVERIFY(pi.exec({QStringLiteral("weectl"), QStringLiteral("extension"),
                     QStringLiteral("install"), QStringLiteral("weewx-mqtt.zip"),
                     QStringLiteral("-y")})
                    .ok());
    if (otherUser)
        QVERIFY(addAlice(pi));

    // The bundle unpacked on "the laptop", as the user would.
    QTemporaryDir laptop;
    QFile archive(laptop.filePath(QStringLiteral("bundle.tar.gz")));
    QVERIFY(archive.open(QIODevice::WriteOnly));
    archive.write(bundleFor(pi));
    archive.close();
    QProcess tar;
    tar.setWorkingDirectory(laptop.path());
    tar.start(QStringLiteral("tar"), {QStringLiteral("-xzf"), archive.fileName()});
    QVERIFY(tar.waitForFinished() && tar.exitCode() == 0);

    // A key and NOPASSWD sudo (the user Ansible setups usually have); the Pi's known host key.
    QFile inventory(laptop.filePath(QStringLiteral("inventory.ini")));
    QVERIFY(inventory.open(QIODevice::WriteOnly));
    inventory.write(QStringLiteral("[weewx_stations]\nsimpi ansible_host=127.0.0.1 "
                                   "ansible_port=%1 ansible_user=%2 "
                                   "ansible_ssh_private_key_file=%3 "
                                   "ansible_python_interpreter=/usr/bin/python3 "
                                   "ansible_ssh_common_args='-o UserKnownHostsFile=%4 "
                                   "-o StrictHostKeyChecking=yes'\n")
                            .arg(pi.sshPort())
                            .arg(pi.userWithNopasswdSudo(), pi.clientKeyFile(), pi.knownHostsFile())
                            .toUtf8());
    inventory.close();

    auto play = [&]() {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HOME"), laptop.path());
        env.insert(QStringLiteral("ANSIBLE_NOCOLOR"), QStringLiteral("1"));
        env.insert(QStringLiteral("ANSIBLE_RETRY_FILES_ENABLED"), QStringLiteral("0"));
        env.insert(QStringLiteral("ANSIBLE_LOCAL_TEMP"), laptop.filePath(QStringLiteral("tmp")));
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.setWorkingDirectory(laptop.path());
        p.start(ansible, {QStringLiteral("-i"), inventory.fileName(),
                          laptop.filePath(Folder + QStringLiteral("/ansible/playbook.yml"))});
        p.waitForFinished(300000);
        return std::make_pair(p.exitCode(), p.readAll());
    };
    const auto [firstCode, firstOut] = play();
    QVERIFY2(firstCode == 0, firstOut.constData());
    QVERIFY2(firstOut.contains("failed=0"), firstOut.constData());
    QVERIFY(!firstOut.contains(PublishPassword.toUtf8()));
    QVERIFY(!firstOut.contains("$7$"));
    if (otherUser) {
        QVERIFY(pi.readFile(QStringLiteral("/etc/mosquitto/acl")).startsWith(AliceAcl));
        QCOMPARE(PasswordFile::users(pi.readFile(QStringLiteral("/etc/mosquitto/passwd"))),
                 QStringList({QStringLiteral("alice"), QStringLiteral("weewx"),
                              QStringLiteral("belchertown")}));
        QCOMPARE(aliceRoundTrip(pi, "19"), QByteArray("19"));
    }

    QString message;
    const LiveCheck::State state = liveCheck(pi, &message);
    QVERIFY2(state == LiveCheck::State::Receiving, qPrintable(message));

    const QByteArray applied = piState(pi);
    const auto [secondCode, secondOut] = play();
    QVERIFY2(secondCode == 0, secondOut.constData());
    QVERIFY2(secondOut.contains("changed=0") && secondOut.contains("failed=0"),
             secondOut.constData());
    QCOMPARE(piState(pi), applied);
}

QTEST_GUILESS_MAIN(TestExportPi)
#include "tst_exportpi.moc"
