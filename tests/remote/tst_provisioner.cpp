// SPDX-License-Identifier: GPL-3.0-or-later
// The Provisioner against simulated Pis: a real sshd with password sudo, a real mosquitto and
// the WeeWX stand-in that publishes with what our weewx.conf says.
#include "config/generate.h"
#include "remote/mqtt/livecheck.h"
#include "remote/provisioning/provisioner.h"
#include "remote/ssh/sshsession.h"
#include "support/simulatedpi.h"

#include <QFile>
#include <QPointer>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace wmw;
using provisioning::Provisioner;
using ssh::SshSession;
using test::SimulatedPi;

namespace {

// A file on the Pi as the user would check it with `ls -l` and `cat`.
struct PiFile
{
    bool exists = false;
    QByteArray bytes;
    QString owner; // "user group mode"
    friend bool operator==(const PiFile &a, const PiFile &b)
    {
        return a.exists == b.exists && a.bytes == b.bytes && a.owner == b.owner;
    }
};

PiFile piFile(const SimulatedPi &pi, const QString &path)
{
    PiFile file;
    const auto st = pi.exec(
            {QStringLiteral("stat"), QStringLiteral("-c"), QStringLiteral("%U %G %a"), path});
    if (!st.ok())
        return file;
    file.exists = true;
    file.owner = QString::fromUtf8(st.out).trimmed();
    file.bytes = pi.readFile(path);
    return file;
}

QHash<QString, PiFile> snapshot(const SimulatedPi &pi, const config::StationProfile &profile)
{
    QHash<QString, PiFile> files;
    for (const QString &path : config::Generate::paths(profile))
        files.insert(path, piFile(pi, path));
    return files;
}

bool isActive(const SimulatedPi &pi, const QString &unit)
{
    return pi.exec({QStringLiteral("systemctl"), QStringLiteral("is-active"), unit}).ok();
}

// The apply script runs detached: after a cut, wait until it wrote its last line.
bool applyScriptsFinished(const SimulatedPi &pi)
{
    const auto progress = pi.exec({QStringLiteral("sh"), QStringLiteral("-c"),
                                   QStringLiteral("cat /run/weewx-mqtt-wizard/*.progress "
                                                  "2>/dev/null; test ! -d "
                                                  "/run/weewx-mqtt-wizard/lock")});
    return progress.ok();
}

// mosquitto_pub over MQTT v5 at QoS 1, so a denied publish is reported (PUBACK 135); gives the
// exit code, or 135 when the broker refused the publish itself.
int mosquittoPub(const SimulatedPi &pi, const QStringList &extra)
{
    QProcess pub;
    pub.start(QStringLiteral("mosquitto_pub"),
              QStringList{QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                          QString::number(pi.mqttPort()), QStringLiteral("-V"),
                          QStringLiteral("mqttv5"), QStringLiteral("-q"), QStringLiteral("1"),
                          QStringLiteral("-m"), QStringLiteral("123")}
                      + extra);
    if (!pub.waitForFinished(20000))
        return -1;
    if (pub.readAllStandardError().contains("Not authorized"))
        return 135;
    return pub.exitCode();
}

} // namespace

class tst_Provisioner : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void freshPiIsProvisionedThenReappliedThenUndone();
    void liveCheckOpensWhileThePiIsRead_data();
    void liveCheckOpensWhileThePiIsRead();
    void theApplyIsOneSudoRun_data();
    void theApplyIsOneSudoRun();
    void dryRunChangesNothing();
    void weewxConfChangedBetweenPlanAndApplyIsRefused();
    void brokerThatCannotStartIsRolledBack();
    void failureAfterExtensionInstallPutsWeewxConfBack_data();
    void failureAfterExtensionInstallPutsWeewxConfBack();
    void weewxThatDiesOnTheNewConfigIsRolledBack();
    void extensionInstallThatFailsChangesNothing();
    void brokerCheckFailingAfterTheRestartIsRolledBack();
    void cancelBeforeThePointOfNoReturnLeavesNothing_data();
    void cancelBeforeThePointOfNoReturnLeavesNothing();
    void connectionCutLeavesAllOldOrAllNew_data();
    void connectionCutLeavesAllOldOrAllNew();

private:
    bool startPi(SimulatedPi &pi, bool withExtension);
    bool startAndConnect(SimulatedPi &pi, bool withExtension, std::unique_ptr<SshSession> &session);
    std::unique_ptr<SshSession> connectTo(const SimulatedPi &pi);
    config::StationProfile profileFor(const SimulatedPi &pi) const;
    config::Secrets secretsFor(const SimulatedPi &pi) const;
    Provisioner::State run(Provisioner &provisioner);

    QTemporaryDir m_sshDir;
};

void tst_Provisioner::init()
{
    if (const QString why = SimulatedPi::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
}

bool tst_Provisioner::startPi(SimulatedPi &pi, bool withExtension)
{
    QString error;
    if (!pi.start(&error)) {
        qWarning().noquote() << error;
        return false;
    }
    if (withExtension) {
        const auto installed = pi.exec(
                {QStringLiteral("sh"), QStringLiteral("-c"),
                 QStringLiteral("cd / && weectl extension install --yes "
                                "https://github.com/matthewwall/weewx-mqtt/archive/refs/heads/"
                                "master.zip")});
        if (!installed.ok()) {
            qWarning() << installed.err;
            return false;
        }
    }
    return true;
}

// The start of nearly every test: a simulated Pi (with or without weewx-mqtt) and an SSH
// session to it as its sudo user.
bool tst_Provisioner::startAndConnect(SimulatedPi &pi, bool withExtension,
                                      std::unique_ptr<SshSession> &session)
{
    if (!startPi(pi, withExtension))
        return false;
    session = connectTo(pi);
    if (session->state() != SshSession::State::Connected) {
        qWarning().noquote() << "no SSH session to the simulated Pi:" << session->errorString();
        return false;
    }
    return true;
}

std::unique_ptr<SshSession> tst_Provisioner::connectTo(const SimulatedPi &pi)
{
    auto session = std::make_unique<SshSession>();
    ssh::SshTarget target;
    target.host = pi.host();
    target.port = pi.sshPort();
    target.user = pi.user();
    target.password = QString::fromUtf8(pi.password());
    target.knownHostsFile = pi.knownHostsFile();
    target.sshDirectory = m_sshDir.path();
    target.processConfig = false;
    session->connectToHost(target);
    QSignalSpy connected(session.get(), &SshSession::connected);
    if (session->state() != SshSession::State::Connected)
        connected.wait(20000);
    return session;
}

config::StationProfile tst_Provisioner::profileFor(const SimulatedPi &pi) const
{
    config::StationProfile profile;
    profile.piHost = pi.host();
    profile.sshPort = pi.sshPort();
    profile.sshUser = pi.user();
    profile.mqttPort = pi.mqttPort();
    profile.websocketPort = pi.websocketPort();
    return profile;
}

config::Secrets tst_Provisioner::secretsFor(const SimulatedPi &pi) const
{
    config::Secrets secrets;
    secrets.publishPassword = QStringLiteral("Publish-Secret-7");
    secrets.webPassword = QStringLiteral("Web-Secret-8");
    secrets.sudoPassword = QString::fromUtf8(pi.password());
    return secrets;
}

Provisioner::State tst_Provisioner::run(Provisioner &provisioner)
{
    QSignalSpy finished(&provisioner, &Provisioner::finished);
    connect(&provisioner, &Provisioner::step, this,
            [](const QString &text) { qInfo().noquote() << "  step:" << text; });
    finished.wait(180000);
    if (provisioner.state() == Provisioner::State::Failed)
        qWarning().noquote() << "failed:" << provisioner.errorString();
    return provisioner.state();
}

void tst_Provisioner::freshPiIsProvisionedThenReappliedThenUndone()
{
    SimulatedPi pi;
    std::unique_ptr<SshSession> session;
    QVERIFY(startAndConnect(pi, false, session));
    const config::StationProfile profile = profileFor(pi);
    const config::Secrets secrets = secretsFor(pi);
    // What undo must bring back: the files as they were before the run, weewx.conf from
    // before the weewx-mqtt install (not with the extension's placeholder section).
    const QHash<QString, PiFile> before = snapshot(pi, profile);
    QVERIFY(!before.value(profile.weewxConfPath).bytes.contains("INSERT_SERVER_URL_HERE"));

    // First apply: installs weewx-mqtt, writes all four files, restarts both, sees live data.
    Provisioner first(session.get());
    first.apply(profile, secrets);
    QCOMPARE(run(first), Provisioner::State::Succeeded);
    QVERIFY2(first.errorString().isEmpty(), qPrintable(first.errorString()));
    QCOMPARE(first.liveCheck()->state(), mqtt::LiveCheck::State::Receiving);
    QVERIFY(first.liveCheck()->loopCount() >= 1);
    QCOMPARE(first.restartedUnits(),
             (QStringList{QStringLiteral("mosquitto"), QStringLiteral("weewx")}));
    QVERIFY(!first.backupName().isEmpty());

    // The plan was made against weewx.conf as weectl left it.
    const auto planned = std::find_if(first.plan().files().cbegin(), first.plan().files().cend(),
                                      [&](const config::FilePlan &file) {
                                          return file.wanted.path == profile.weewxConfPath;
                                      });
    QVERIFY(planned != first.plan().files().cend());
    QVERIFY(planned->current.bytes.contains("INSERT_SERVER_URL_HERE"));
    // Each file has the planned content, owner, group and mode.
    for (const config::FilePlan &file : first.plan().files()) {
        const PiFile now = piFile(pi, file.wanted.path);
        QVERIFY2(now.exists, qPrintable(file.wanted.path));
        QVERIFY2(now.bytes == file.wanted.bytes, qPrintable(file.wanted.path));
        QCOMPARE(now.owner, QStringLiteral("%1 %2 %3")
                                    .arg(file.wanted.owner, file.wanted.group,
                                         QString::number(file.wanted.mode, 8)));
    }
    // Backups never sit where mosquitto reads every *.conf.
    const auto confd = pi.exec({QStringLiteral("ls"), QStringLiteral("/etc/mosquitto/conf.d")});
    QCOMPARE(QString::fromUtf8(confd.out).split(u'\n', Qt::SkipEmptyParts),
             (QStringList{QStringLiteral("README"), QStringLiteral("weewx-mqtt-wizard.conf")}));
    // The copy of weewx.conf from before the install went into the backup; no leftover.
    const auto backups =
            pi.exec({QStringLiteral("ls"), QStringLiteral("/var/backups/weewx-mqtt-wizard")});
    QCOMPARE(QString::fromUtf8(backups.out).split(u'\n', Qt::SkipEmptyParts),
             QStringList{first.backupName()});

    // The manual procedure's broker tests: anonymous publish denied (not even connected),
    // the publishing user may publish, the web user may not.
    QCOMPARE(mosquittoPub(pi, {QStringLiteral("-t"), QStringLiteral("testing")}), 135);
    QCOMPARE(mosquittoPub(pi, {QStringLiteral("-t"), QStringLiteral("weetest/testing"),
                               QStringLiteral("-u"), profile.publishUser, QStringLiteral("-P"),
                               secrets.publishPassword}),
             0);
    QCOMPARE(mosquittoPub(pi, {QStringLiteral("-t"), QStringLiteral("weather/loop"),
                               QStringLiteral("-u"), profile.webUser, QStringLiteral("-P"),
                               secrets.webPassword}),
             135);

    // Second apply with the same profile: nothing planned, nothing restarted, still live.
    Provisioner second(session.get());
    second.apply(profile, secrets);
    QCOMPARE(run(second), Provisioner::State::Succeeded);
    QVERIFY(second.plan().changesNothing());
    QVERIFY(second.restartedUnits().isEmpty());
    QVERIFY(second.backupName().isEmpty());
    QCOMPARE(second.liveCheck()->state(), mqtt::LiveCheck::State::Receiving);

    // Undo: the files as they were before the first apply, byte for byte, and mosquitto runs.
    Provisioner undo(session.get());
    undo.undo(QString(), secrets);
    QCOMPARE(run(undo), Provisioner::State::Succeeded);
    QVERIFY2(undo.errorString().isEmpty(), qPrintable(undo.errorString()));
    for (auto it = before.cbegin(); it != before.cend(); ++it) {
        const PiFile now = piFile(pi, it.key());
        QVERIFY2(now == it.value(), qPrintable(it.key()));
    }
    QVERIFY(isActive(pi, QStringLiteral("mosquitto")));
}

void tst_Provisioner::liveCheckOpensWhileThePiIsRead_data()
{
    // before: "fresh" (nothing applied yet), "applied" (a first apply with the same profile),
    // "weewx.conf edited" (a first apply, then aggregation changed on the Pi).
    QTest::addColumn<QString>("before");
    QTest::addColumn<bool>("sameCheck"); // the check opened with the probe gave the verdict
    QTest::addColumn<QStringList>("restarted");
    QTest::newRow("a re-run: the check opened with the probe gives the verdict")
            << QStringLiteral("applied") << true << QStringList();
    QTest::newRow("weewx.conf only: the same check, counting from weewx's restart")
            << QStringLiteral("weewx.conf edited") << true << QStringList{QStringLiteral("weewx")};
    QTest::newRow("mosquitto's files change: dropped, another one after the restart")
            << QStringLiteral("fresh") << false
            << QStringList{QStringLiteral("mosquitto"), QStringLiteral("weewx")};
}

// The page's connection (three round trips and the broker's websocket tick) is made while the
// Pi is probed and read, and kept where the broker does not restart.
void tst_Provisioner::liveCheckOpensWhileThePiIsRead()
{
    QFETCH(QString, before);
    QFETCH(bool, sameCheck);
    QFETCH(QStringList, restarted);
    SimulatedPi pi;
    std::unique_ptr<SshSession> session;
    QVERIFY(startAndConnect(pi, true, session));
    const config::StationProfile profile = profileFor(pi);
    if (before != u"fresh") {
        Provisioner first(session.get());
        first.apply(profile, secretsFor(pi));
        QCOMPARE(run(first), Provisioner::State::Succeeded);
    }
    if (before == u"weewx.conf edited") {
        const auto edited =
                pi.exec({QStringLiteral("sed"), QStringLiteral("-i"),
                         QStringLiteral("s/aggregation = aggregate/aggregation = none/"),
                         profile.weewxConfPath});
        QVERIFY2(edited.ok(), edited.err.constData());
    }

    Provisioner provisioner(session.get());
    QPointer<const mqtt::LiveCheck> atPlan;
    bool openAtPlan = false;
    mqtt::LiveCheck::State stateAtPlan = mqtt::LiveCheck::State::Idle;
    connect(&provisioner, &Provisioner::planReady, this, [&] {
        atPlan = provisioner.liveCheck();
        openAtPlan = !atPlan.isNull();
        if (atPlan)
            stateAtPlan = atPlan->state();
    });
    QStringList announced;
    connect(&provisioner, &Provisioner::step, this, [&](const QString &text) {
        if (text.startsWith(QLatin1String("Checking like the web page")))
            announced << text;
    });
    provisioner.apply(profile, secretsFor(pi));
    QCOMPARE(run(provisioner), Provisioner::State::Succeeded);
    QCOMPARE(provisioner.restartedUnits(), restarted);
    // Opened with the probe: by the time the plan is made it is on its way or subscribed.
    QVERIFY(openAtPlan);
    QVERIFY2(stateAtPlan != mqtt::LiveCheck::State::Idle, QTest::toString(stateAtPlan));
    if (sameCheck) {
        QCOMPARE(provisioner.liveCheck(), atPlan.data());
    } else {
        QVERIFY(atPlan.isNull()); // dropped with its connection before mosquitto's restart
    }
    QCOMPARE(provisioner.liveCheck()->state(), mqtt::LiveCheck::State::Receiving);
    QCOMPARE(provisioner.liveCheck()->loopCount(), 1);
    // Said once, for the check that counts; a dropped one is not mentioned.
    QCOMPARE(announced.size(), 1);
}

void tst_Provisioner::theApplyIsOneSudoRun_data()
{
    QTest::addColumn<bool>("withExtension");
    QTest::newRow("weewx-mqtt installed: probe, read, stage and apply") << true;
    QTest::newRow("without weewx-mqtt: probe, install, read again, stage and apply") << false;
}

// The probe's sudo run reads the files (after installing weewx-mqtt where it is missing),
// waits for the plan, takes the staged files and launches apply.sh: one command channel for the
// whole apply, so one password check (PAM's hash takes about a second on a Pi Zero).
void tst_Provisioner::theApplyIsOneSudoRun()
{
    QFETCH(bool, withExtension);
    SimulatedPi pi;
    std::unique_ptr<SshSession> session;
    QVERIFY(startAndConnect(pi, withExtension, session));
    const config::StationProfile profile = profileFor(pi);
    const auto sessions = [&pi] {
        QFile log(pi.dir() + QStringLiteral("/log/sshd.log"));
        return log.open(QIODevice::ReadOnly) ? log.readAll().count("Starting session: command")
                                             : qsizetype(-1);
    };
    const qsizetype before = sessions();
    QVERIFY(before >= 0);

    Provisioner provisioner(session.get());
    provisioner.apply(profile, secretsFor(pi));
    QCOMPARE(run(provisioner), Provisioner::State::Succeeded);
    QCOMPARE(provisioner.liveCheck()->state(), mqtt::LiveCheck::State::Receiving);
    QCOMPARE(provisioner.restartedUnits(),
             (QStringList{QStringLiteral("mosquitto"), QStringLiteral("weewx")}));
    for (const config::FilePlan &file : provisioner.plan().files()) {
        const PiFile now = piFile(pi, file.wanted.path);
        QVERIFY2(now.bytes == file.wanted.bytes, qPrintable(file.wanted.path));
        QCOMPARE(now.owner, QStringLiteral("%1 %2 %3")
                                    .arg(file.wanted.owner, file.wanted.group,
                                         QString::number(file.wanted.mode, 8)));
    }
    QTRY_COMPARE_WITH_TIMEOUT(sessions() - before, qsizetype(1), 5000);
    if (!withExtension) {
        // weectl installed it in that run; the copy from before is in apply.sh's backup.
        QVERIFY(pi.exec({QStringLiteral("test"), QStringLiteral("-f"),
                         QStringLiteral("/etc/weewx/bin/user/mqtt.py")})
                        .ok());
        QVERIFY(!pi.exec({QStringLiteral("sh"), QStringLiteral("-c"),
                          QStringLiteral(
                                  "ls -d /var/backups/weewx-mqtt-wizard/before-weewx-mqtt-*")})
                         .ok());
    }
    // apply.sh removed root's staging folder when it finished.
    const auto staged = pi.exec({QStringLiteral("sh"), QStringLiteral("-c"),
                                 QStringLiteral("ls -d /tmp/weewx-mqtt-wizard.* 2>/dev/null")});
    QCOMPARE(QString::fromUtf8(staged.out), QString());
}

void tst_Provisioner::dryRunChangesNothing()
{
    SimulatedPi pi;
    std::unique_ptr<SshSession> session;
    QVERIFY(startAndConnect(pi, false, session));
    const config::StationProfile profile = profileFor(pi);
    const auto before = snapshot(pi, profile);

    Provisioner dry(session.get());
    Provisioner::Options options;
    options.dryRun = true;
    dry.apply(profile, secretsFor(pi), options);
    QCOMPARE(run(dry), Provisioner::State::Succeeded);
    QCOMPARE(dry.plan().files().size(), 4);
    QVERIFY(!dry.plan().changesNothing());
    const QByteArray rendered = dry.plan().render();
    QVERIFY(!rendered.contains("Publish-Secret-7"));
    QVERIFY(!rendered.contains("Web-Secret-8"));
    QVERIFY(rendered.contains(QByteArray("+listener " + QByteArray::number(pi.websocketPort()))));
    QVERIFY(dry.notes().join(u'\n').contains(QStringLiteral("weectl extension install")));
    QVERIFY(snapshot(pi, profile) == before);
}

void tst_Provisioner::weewxConfChangedBetweenPlanAndApplyIsRefused()
{
    SimulatedPi pi;
    std::unique_ptr<SshSession> session;
    QVERIFY(startAndConnect(pi, true, session));
    const config::StationProfile profile = profileFor(pi);
    QByteArray edited;
    QHash<QString, PiFile> atPlan;

    Provisioner provisioner(session.get());
    // The user edits weewx.conf on the Pi after we read it.
    connect(&provisioner, &Provisioner::planReady, this, [&] {
        edited = pi.readFile(profile.weewxConfPath) + "\n# edited by hand\n";
        QVERIFY(pi.writeFile(profile.weewxConfPath, edited, QStringLiteral("weewx:weewx"),
                             QStringLiteral("0660")));
        atPlan = snapshot(pi, profile);
    });
    provisioner.apply(profile, secretsFor(pi));
    QCOMPARE(run(provisioner), Provisioner::State::Failed);
    QCOMPARE(provisioner.error(), Provisioner::Error::ChangedOnPi);
    QVERIFY2(provisioner.errorString().contains(profile.weewxConfPath),
             qPrintable(provisioner.errorString()));
    QVERIFY(provisioner.restartedUnits().isEmpty());
    QVERIFY(snapshot(pi, profile) == atPlan);
    QCOMPARE(pi.readFile(profile.weewxConfPath), edited);
}

void tst_Provisioner::brokerThatCannotStartIsRolledBack()
{
    SimulatedPi pi;
    std::unique_ptr<SshSession> session;
    QVERIFY(startAndConnect(pi, true, session));
    // Another program holds the port the profile wants for websockets.
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::Any));
    config::StationProfile profile = profileFor(pi);
    profile.websocketPort = squatter.serverPort();
    const auto before = snapshot(pi, profile);

    Provisioner provisioner(session.get());
    provisioner.apply(profile, secretsFor(pi));
    QCOMPARE(run(provisioner), Provisioner::State::Failed);
    QCOMPARE(provisioner.error(), Provisioner::Error::ApplyFailed);
    QVERIFY2(provisioner.errorString().contains(QString::number(squatter.serverPort())),
             qPrintable(provisioner.errorString()));
    QVERIFY(snapshot(pi, profile) == before);
    QVERIFY(isActive(pi, QStringLiteral("mosquitto")));
    // The old config: no websockets listener, the plain port as before.
    QVERIFY(!pi.exec({QStringLiteral("sh"), QStringLiteral("-c"),
                      QStringLiteral("ss -Hltnp 'sport = :%1' | grep -q mosquitto")
                              .arg(squatter.serverPort())})
                     .ok());
}

void tst_Provisioner::failureAfterExtensionInstallPutsWeewxConfBack_data()
{
    QTest::addColumn<bool>("editedMeanwhile");
    QTest::newRow("broker cannot start: weewx.conf as before the install") << false;
    QTest::newRow("weewx.conf edited after the install: the edit is kept") << true;
}

void tst_Provisioner::failureAfterExtensionInstallPutsWeewxConfBack()
{
    QFETCH(bool, editedMeanwhile);
    SimulatedPi pi;
    std::unique_ptr<SshSession> session;
    QVERIFY(startAndConnect(pi, false, session)); // weewx-mqtt missing: the run installs it
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::Any));
    config::StationProfile profile = profileFor(pi);
    profile.websocketPort = squatter.serverPort();
    const PiFile before = piFile(pi, profile.weewxConfPath);
    QVERIFY(before.exists);
    QVERIFY(!before.bytes.contains("INSERT_SERVER_URL_HERE"));

    Provisioner provisioner(session.get());
    QByteArray edited;
    if (editedMeanwhile) {
        connect(&provisioner, &Provisioner::planReady, this, [&] {
            edited = pi.readFile(profile.weewxConfPath) + "\n# edited by hand\n";
            QVERIFY(pi.writeFile(profile.weewxConfPath, edited, QStringLiteral("weewx:weewx"),
                                 QStringLiteral("0660")));
        });
    }
    provisioner.apply(profile, secretsFor(pi));
    QCOMPARE(run(provisioner), Provisioner::State::Failed);
    if (editedMeanwhile) {
        QCOMPARE(provisioner.error(), Provisioner::Error::ChangedOnPi);
        // Never over a file someone changed: the hand edit stays, the old copy is named.
        QCOMPARE(pi.readFile(profile.weewxConfPath), edited);
        QVERIFY2(provisioner.errorString().contains(QStringLiteral("before-weewx-mqtt-")),
                 qPrintable(provisioner.errorString()));
        return;
    }
    QCOMPARE(provisioner.error(), Provisioner::Error::ApplyFailed);
    QVERIFY2(provisioner.errorString().contains(QString::number(squatter.serverPort())),
             qPrintable(provisioner.errorString()));
    // Not the enabled, unconfigured weewx-mqtt weectl left: the file from before, byte for byte,
    // with its owner and mode; the result says what became of the extension.
    QVERIFY(piFile(pi, profile.weewxConfPath) == before);
    QVERIFY2(provisioner.errorString().contains(QStringLiteral("not enabled")),
             qPrintable(provisioner.errorString()));
    QVERIFY(provisioner.notes().join(u'\n').contains(QStringLiteral("not enabled")));
    QVERIFY(isActive(pi, QStringLiteral("mosquitto")));
    // The copy is gone once it is back in place; apply.sh's backup is all that remains.
    QVERIFY(!pi.exec({QStringLiteral("sh"), QStringLiteral("-c"),
                      QStringLiteral("ls -d /var/backups/weewx-mqtt-wizard/before-weewx-mqtt-*")})
                     .ok());
}

void tst_Provisioner::weewxThatDiesOnTheNewConfigIsRolledBack()
{
    SimulatedPi pi;
    std::unique_ptr<SshSession> session;
    QVERIFY(startAndConnect(pi, false, session)); // the run installs weewx-mqtt
    const config::StationProfile profile = profileFor(pi);
    const auto before = snapshot(pi, profile);

    Provisioner provisioner(session.get());
    // weewx-mqtt's module goes missing after the install: weewxd dies on the new weewx.conf
    // ("No module named 'user.mqtt'") although `systemctl restart weewx` said 0.
    connect(&provisioner, &Provisioner::planReady, this, [&] {
        QVERIFY(pi.exec({QStringLiteral("rm"), QStringLiteral("/etc/weewx/bin/user/mqtt.py")})
                        .ok());
    });
    provisioner.apply(profile, secretsFor(pi));
    QCOMPARE(run(provisioner), Provisioner::State::Failed);
    QCOMPARE(provisioner.error(), Provisioner::Error::ApplyFailed);
    QVERIFY2(provisioner.errorString().contains(QStringLiteral("weewx is not running")),
             qPrintable(provisioner.errorString()));
    // And why, in weewxd's own words.
    QVERIFY2(provisioner.errorString().contains(QStringLiteral("No module named 'user.mqtt'")),
             qPrintable(provisioner.errorString()));
    // Every file as before the run, weewx.conf as before the weewx-mqtt install; both run.
    const auto after = snapshot(pi, profile);
    for (auto it = before.cbegin(); it != before.cend(); ++it)
        QVERIFY2(after.value(it.key()) == it.value(), qPrintable(it.key()));
    QVERIFY(isActive(pi, QStringLiteral("weewx")));
    QVERIFY(isActive(pi, QStringLiteral("mosquitto")));
    QVERIFY2(provisioner.errorString().contains(QStringLiteral("not enabled")),
             qPrintable(provisioner.errorString()));
}

void tst_Provisioner::extensionInstallThatFailsChangesNothing()
{
    SimulatedPi pi;
    std::unique_ptr<SshSession> session;
    QVERIFY(startAndConnect(pi, false, session));
    const config::StationProfile profile = profileFor(pi);
    const auto before = snapshot(pi, profile);
    // A Pi without internet: weectl cannot download weewx-mqtt (its other commands work).
    QVERIFY(pi.exec({QStringLiteral("mv"), QStringLiteral("/usr/local/bin/weectl"),
                     QStringLiteral("/usr/local/bin/weectl.simpi")})
                    .ok());
    QVERIFY(pi.writeFile(QStringLiteral("/usr/local/bin/weectl"),
                         "#!/bin/sh\n"
                         "if [ \"$1 $2\" = 'extension install' ]; then\n"
                         "  echo \"Request to install '$4'.\"\n"
                         "  echo 'urllib.error.URLError: <urlopen error [Errno -3] Temporary "
                         "failure in name resolution>' >&2\n"
                         "  exit 1\n"
                         "fi\n"
                         "exec /usr/local/bin/weectl.simpi \"$@\"\n",
                         QStringLiteral("root:root"), QStringLiteral("0755")));

    Provisioner provisioner(session.get());
    provisioner.apply(profile, secretsFor(pi));
    QCOMPARE(run(provisioner), Provisioner::State::Failed);
    QCOMPARE(provisioner.error(), Provisioner::Error::ExtensionInstallFailed);
    // weectl's reason, and the way to install it by hand.
    QVERIFY2(provisioner.errorString().contains(
                     QStringLiteral("Temporary failure in name resolution")),
             qPrintable(provisioner.errorString()));
    QVERIFY2(provisioner.errorString().contains(QStringLiteral("weectl extension install")),
             qPrintable(provisioner.errorString()));
    QVERIFY(provisioner.plan().files().isEmpty()); // it never got as far as a plan
    QVERIFY(snapshot(pi, profile) == before);
    // No copy of weewx.conf from before, no staging folder left behind.
    QVERIFY(!pi.exec({QStringLiteral("sh"), QStringLiteral("-c"),
                      QStringLiteral("ls -d /var/backups/weewx-mqtt-wizard/before-weewx-mqtt-* "
                                     "/tmp/weewx-mqtt-wizard.* 2>/dev/null | grep .")})
                     .ok());
}

void tst_Provisioner::brokerCheckFailingAfterTheRestartIsRolledBack()
{
    SimulatedPi pi;
    std::unique_ptr<SshSession> session;
    QVERIFY(startAndConnect(pi, true, session));
    const config::StationProfile profile = profileFor(pi);
    const auto before = snapshot(pi, profile);
    // mosquitto restarts, but the websockets port never shows up in apply.sh's check
    // (`ss -Hltn`); the simulated systemctl asks `ss -Hltnp` and still sees its broker start.
    // /usr/local/bin is the Pi's own (a tmpfs) and comes before ss's folder on every PATH.
    const QByteArray hidden = "sport = :" + QByteArray::number(pi.websocketPort());
    QVERIFY(pi.writeFile(QStringLiteral("/usr/local/bin/ss"),
                         "#!/bin/sh\n"
                         "[ \"$1\" = -Hltn ] && [ \"$2\" = '"
                                 + hidden + "' ] && exit 0\nexec /usr/bin/ss \"$@\"\n",
                         QStringLiteral("root:root"), QStringLiteral("0755")));

    Provisioner provisioner(session.get());
    provisioner.apply(profile, secretsFor(pi));
    QCOMPARE(run(provisioner), Provisioner::State::Failed);
    QCOMPARE(provisioner.error(), Provisioner::Error::ApplyFailed);
    QVERIFY2(provisioner.errorString().contains(QString::number(pi.websocketPort())),
             qPrintable(provisioner.errorString()));
    QVERIFY2(provisioner.errorString().contains(QStringLiteral("Every file was restored")),
             qPrintable(provisioner.errorString()));

    // mosquitto came back on the old files; weewx, restarted only after mosquitto passed its
    // checks, never ran on the new weewx.conf and is left alone.
    QStringList steps;
    for (const provisioning::ProgressLine &line : provisioner.progressLines())
        steps << line.step + u' ' + line.status + u' ' + line.detail;
    const qsizetype failed = steps.indexOf(u"listen failed " + QString::number(pi.websocketPort()));
    const qsizetype restored = steps.indexOf(u"restore ok " + profile.weewxConfPath);
    const qsizetype oldBroker = steps.indexOf(QStringLiteral("restart ok mosquitto"), restored + 1);
    const qsizetype rolledBack =
            steps.indexOf(QRegularExpression(QStringLiteral("rollback ok .+")));
    QVERIFY2(failed >= 0 && restored > failed && oldBroker > restored && rolledBack > oldBroker,
             qPrintable(steps.join(u'\n')));
    QVERIFY2(!steps.contains(QStringLiteral("restart ok weewx")), qPrintable(steps.join(u'\n')));

    const auto after = snapshot(pi, profile);
    for (auto it = before.cbegin(); it != before.cend(); ++it)
        QVERIFY2(after.value(it.key()) == it.value(), qPrintable(it.key()));
    QVERIFY(isActive(pi, QStringLiteral("weewx")));
    QVERIFY(isActive(pi, QStringLiteral("mosquitto")));
}

void tst_Provisioner::cancelBeforeThePointOfNoReturnLeavesNothing_data()
{
    QTest::addColumn<Provisioner::State>("stage");
    QTest::addColumn<bool>("withExtension");
    QTest::addColumn<bool>("fromSlot"); // cancel() inside the slot of stateChanged
    QTest::addColumn<bool>("cancels");
    const auto uploading = Provisioner::State::Uploading;
    // weewx-mqtt installed: the probe's sudo run takes the files and launches apply.sh.
    QTest::newRow("as the files are about to go: the open sudo run ends, nothing staged")
            << uploading << true << true << true;
    QTest::newRow("once the files went into the sudo run: refused, the run goes on")
            << uploading << true << false << false;
    // Without it, the same run installs it, reads the files again and takes them.
    QTest::newRow("as the files read after installing weewx-mqtt come: weewx.conf as before")
            << Provisioner::State::Reading << false << true << true;
    QTest::newRow("as the files are about to go after installing weewx-mqtt: weewx.conf as before")
            << uploading << false << true << true;
    QTest::newRow("while weectl installs weewx-mqtt: refused, the run goes on")
            << Provisioner::State::InstallingExtension << false << false << false;
}

void tst_Provisioner::cancelBeforeThePointOfNoReturnLeavesNothing()
{
    QFETCH(Provisioner::State, stage);
    QFETCH(bool, withExtension);
    QFETCH(bool, fromSlot);
    QFETCH(bool, cancels);
    SimulatedPi pi;
    std::unique_ptr<SshSession> session;
    QVERIFY(startAndConnect(pi, withExtension, session));
    const config::StationProfile profile = profileFor(pi);
    const auto before = snapshot(pi, profile);

    Provisioner provisioner(session.get());
    std::optional<bool> cancelled;
    connect(
            &provisioner, &Provisioner::stateChanged, this,
            [&](Provisioner::State state) {
                if (state == stage && !cancelled)
                    cancelled = provisioner.cancel();
            },
            fromSlot ? Qt::DirectConnection : Qt::QueuedConnection);
    provisioner.apply(profile, secretsFor(pi));
    const Provisioner::State end = run(provisioner);
    QVERIFY(cancelled.has_value());
    QCOMPARE(*cancelled, cancels);
    if (!cancels) {
        QCOMPARE(end, Provisioner::State::Succeeded);
        return;
    }
    QCOMPARE(end, Provisioner::State::Cancelled);
    QCOMPARE(provisioner.error(), Provisioner::Error::Cancelled);
    // What cancel() queued has run once a later command on the same connection has.
    ssh::SshJob *barrier = session->run(QByteArrayLiteral("true"));
    QSignalSpy done(barrier, &ssh::SshJob::finished);
    QVERIFY(done.wait(30000));
    const auto staged = pi.exec({QStringLiteral("sh"), QStringLiteral("-c"),
                                 QStringLiteral("ls -d /tmp/weewx-mqtt-wizard.* 2>/dev/null")});
    QCOMPARE(QString::fromUtf8(staged.out), QString());
    // Nothing changed; after an install weewx.conf is back as before it (the extension stays).
    QTRY_VERIFY_WITH_TIMEOUT(snapshot(pi, profile) == before, 10000);
}

void tst_Provisioner::connectionCutLeavesAllOldOrAllNew_data()
{
    QTest::addColumn<Provisioner::State>("stage");
    QTest::addColumn<int>("jobs");
    QTest::newRow("cut after looking at the Pi") << Provisioner::State::Probing << 1;
    QTest::newRow("cut after reading the files") << Provisioner::State::Reading << 1;
    QTest::newRow("cut in the middle of the upload") << Provisioner::State::Uploading << 3;
    QTest::newRow("cut while the Pi applies") << Provisioner::State::Applying << 1;
    QTest::newRow("cut while the Pi reports progress") << Provisioner::State::Applying << 2;
}

void tst_Provisioner::connectionCutLeavesAllOldOrAllNew()
{
    QFETCH(Provisioner::State, stage);
    QFETCH(int, jobs);
    SimulatedPi pi;
    QVERIFY(startPi(pi, true));
    const config::StationProfile profile = profileFor(pi);
    const config::Secrets secrets = secretsFor(pi);
    const auto old = snapshot(pi, profile);

    auto session = connectTo(pi);
    QCOMPARE(session->state(), SshSession::State::Connected);
    Provisioner cut(session.get());
    cut.setDropConnectionAt(stage, jobs);
    cut.apply(profile, secrets);
    QCOMPARE(run(cut), Provisioner::State::Failed);
    QVERIFY2(cut.error() == Provisioner::Error::Ssh
                     || cut.error() == Provisioner::Error::ConnectionLostDuringApply,
             qPrintable(cut.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(applyScriptsFinished(pi), 60000);

    const auto now = snapshot(pi, profile);
    bool allNew = !cut.plan().files().isEmpty();
    for (const config::FilePlan &file : cut.plan().files())
        allNew = allNew && now.value(file.wanted.path).bytes == file.wanted.bytes;
    QVERIFY2(now == old || allNew, "the Pi holds a mix of old and new files");
    QVERIFY(isActive(pi, QStringLiteral("mosquitto")));

    // A later apply recovers (and is live); undo then gives back the old files.
    auto again = connectTo(pi);
    QCOMPARE(again->state(), SshSession::State::Connected);
    Provisioner recover(again.get());
    recover.apply(profile, secrets);
    QCOMPARE(run(recover), Provisioner::State::Succeeded);
    Provisioner undo(again.get());
    undo.undo(QString(), secrets);
    QCOMPARE(run(undo), Provisioner::State::Succeeded);
    QVERIFY(snapshot(pi, profile) == old);
}

QTEST_MAIN(tst_Provisioner)
#include "tst_provisioner.moc"
