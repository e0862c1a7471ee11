// SPDX-License-Identifier: GPL-3.0-or-later
// The files we generate, loaded by a real mosquitto 2.0 that enforces them: anonymous clients,
// the publishing user, the web page user, and users that were in the files before us.
#include "config/aclfile.h"
#include "config/listenerconf.h"
#include "config/passwordfile.h"
#include "support/mosquittobroker.h"

#include <QTest>

using namespace wmw::config;
using wmw::test::MosquittoBroker;

class tst_BrokerFiles : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void generatedFilesAreEnforced();
    void anonymousMayOnlyReadTheLoopTopic();
    void usersAlreadyInTheFilesKeepWorking();
    void replacingOurUserKeepsOldUsersAuthenticating();
};

namespace {

const QString kPublishPassword = QStringLiteral("pub-Secret_1");
const QString kWebPassword = QStringLiteral("page-Public_2");
// A mosquitto exit code: CONNACK 5, not authorised.
constexpr int kNotAuthorised = 5;
// mosquitto_sub -W: nothing arrived in time.
constexpr int kTimedOut = 27;

StationProfile brokerProfile()
{
    StationProfile p;
    p.piHost = QStringLiteral("127.0.0.1");
    p.sshUser = QStringLiteral("pi");
    // The fixture replaces ${DIR} with the broker's private folder.
    p.aclFilePath = QStringLiteral("${DIR}/acl");
    p.passwordFilePath = QStringLiteral("${DIR}/passwd");
    return p;
}

// The generated listener conf, with the fixture's free ports bound to loopback only (a test
// never listens on the network; websockets binds "lo", see mosquitto.md section 5).
QByteArray loopbackConf(const StationProfile &p)
{
    QByteArray conf = ListenerConf::render(p);
    const QByteArray mqtt = "\nlistener " + QByteArray::number(p.mqttPort) + "\n";
    const QByteArray ws = "\nlistener " + QByteArray::number(p.websocketPort) + "\n";
    if (!conf.contains(mqtt) || !conf.contains(ws))
        return {};
    conf.replace(mqtt, "\nlistener ${MQTT_PORT} 127.0.0.1\n");
    conf.replace(ws, "\nlistener ${WS_PORT} lo\n");
    return conf;
}

struct Files
{
    QByteArray acl;
    QByteArray passwd;
    QString error;
};

Files generate(const StationProfile &p, const QByteArray &acl = {}, const QByteArray &passwd = {},
               const QString &publishPassword = kPublishPassword)
{
    Files files;
    const AclParseResult aclResult = AclFile::mergeProfile(acl, p);
    if (!aclResult.ok()) {
        files.error = aclResult.errorString;
        return files;
    }
    files.acl = aclResult.file.render();
    QList<PasswordEntry> entries{{p.publishUser, publishPassword}};
    if (!p.sharesOneUser())
        entries.append({p.webUser, kWebPassword});
    const PasswordMergeResult pw = PasswordFile::merge(passwd, entries);
    files.error = pw.errorString;
    files.passwd = pw.bytes;
    return files;
}

bool startBroker(MosquittoBroker &broker, const StationProfile &p, const Files &files)
{
    QString error;
    const bool ok = broker.start(
            loopbackConf(p),
            {{QStringLiteral("acl"), files.acl}, {QStringLiteral("passwd"), files.passwd}}, &error);
    if (!ok)
        qWarning("%s", qPrintable(error));
    return ok;
}

} // namespace

void tst_BrokerFiles::initTestCase()
{
    const QString why = MosquittoBroker::unavailableReason();
    if (!why.isEmpty())
        QSKIP(qPrintable(why));
}

void tst_BrokerFiles::generatedFilesAreEnforced()
{
    const StationProfile p = brokerProfile();
    const Files files = generate(p);
    QVERIFY2(files.error.isEmpty(), qPrintable(files.error));
    MosquittoBroker broker;
    QVERIFY(startBroker(broker, p, files));
    // The broker read both files and dropped no entry.
    QVERIFY(!broker.log().contains("Error"));

    // Anonymous clients are refused outright (allow_anonymous false).
    QCOMPARE(broker.publish(QStringLiteral("weather/loop"), "anon").exitCode, kNotAuthorised);
    // A wrong password too.
    QCOMPARE(broker.publish(QStringLiteral("weather/loop"), "x", p.publishUser,
                            QStringLiteral("wrong"))
                     .exitCode,
             kNotAuthorised);

    // The publishing user may publish (retained, so a later subscriber sees it) ...
    QCOMPARE(broker.publish(QStringLiteral("weather/loop"), "{\"outTemp_F\": \"72.3\"}",
                            p.publishUser, kPublishPassword, 0, true)
                     .exitCode,
             0);
    QCOMPARE(broker.publish(QStringLiteral("weather/archive"), "secret-ish", p.publishUser,
                            kPublishPassword, 0, true)
                     .exitCode,
             0);
    QVERIFY(broker.waitForLog("Received PUBLISH from"));

    // ... and the web user receives the loop topic,
    const auto received = broker.subscribe(p.pageTopic(), 1, 10, p.webUser, kWebPassword);
    QCOMPARE(received.exitCode, 0);
    QCOMPARE(received.out.trimmed(), QByteArray("{\"outTemp_F\": \"72.3\"}"));
    // but nothing else under the topic,
    const auto other =
            broker.subscribe(QStringLiteral("weather/archive"), 1, 2, p.webUser, kWebPassword);
    QCOMPARE(other.exitCode, kTimedOut);
    QVERIFY(other.out.isEmpty());

    // and its publish is denied: the loop topic still holds the publisher's message.
    QCOMPARE(
            broker.publish(QStringLiteral("weather/loop"), "fake", p.webUser, kWebPassword, 0, true)
                    .exitCode,
            0); // QoS 0 denials are silent to the client ...
    QVERIFY(broker.waitForLog("Denied PUBLISH")); // ... but not to the broker
    const auto still = broker.subscribe(p.pageTopic(), 1, 10, p.publishUser, kPublishPassword);
    QCOMPARE(still.out.trimmed(), QByteArray("{\"outTemp_F\": \"72.3\"}"));
}

void tst_BrokerFiles::anonymousMayOnlyReadTheLoopTopic()
{
    StationProfile p = brokerProfile();
    p.anonymousPolicy = AnonymousPolicy::ReadLoop;
    const Files files = generate(p);
    QVERIFY2(files.error.isEmpty(), qPrintable(files.error));
    MosquittoBroker broker;
    QVERIFY(startBroker(broker, p, files));

    QCOMPARE(broker.publish(QStringLiteral("weather/loop"), "live", p.publishUser, kPublishPassword,
                            0, true)
                     .exitCode,
             0);
    QVERIFY(broker.waitForLog("Received PUBLISH from"));
    const auto received = broker.subscribe(QStringLiteral("weather/loop"), 1, 10);
    QCOMPARE(received.exitCode, 0);
    QCOMPARE(received.out.trimmed(), QByteArray("live"));

    QCOMPARE(broker.publish(QStringLiteral("weather/loop"), "anon", {}, {}, 0, true).exitCode, 0);
    QVERIFY(broker.waitForLog("Denied PUBLISH"));
    QCOMPARE(broker.subscribe(QStringLiteral("weather/loop"), 1, 10).out.trimmed(),
             QByteArray("live"));
}

void tst_BrokerFiles::usersAlreadyInTheFilesKeepWorking()
{
    const StationProfile p = brokerProfile();
    const QByteArray aliceLine =
            PasswordFile::hashLine(QStringLiteral("alice"), QStringLiteral("alice-pw"),
                                   QByteArray::fromHex("a1a2a3a4a5a6a7a8a9aaabac"));
    const QByteArray existingAcl = "# the site's own acl\n"
                                   "user alice\n"
                                   "topic readwrite house/#\n"
                                   "topic deny house/secret\n";
    const Files files = generate(p, existingAcl, "# site users\n" + aliceLine + "\n");
    QVERIFY2(files.error.isEmpty(), qPrintable(files.error));
    QVERIFY(files.acl.startsWith(existingAcl));
    QVERIFY(files.passwd.startsWith(QByteArray("# site users\n" + aliceLine + "\n")));

    MosquittoBroker broker;
    QVERIFY(startBroker(broker, p, files));
    QCOMPARE(broker.publish(QStringLiteral("house/kitchen"), "21.5", QStringLiteral("alice"),
                            QStringLiteral("alice-pw"), 0, true)
                     .exitCode,
             0);
    const auto received = broker.subscribe(QStringLiteral("house/kitchen"), 1, 10,
                                           QStringLiteral("alice"), QStringLiteral("alice-pw"));
    QCOMPARE(received.exitCode, 0);
    QCOMPARE(received.out.trimmed(), QByteArray("21.5"));
    // Alice's rules are hers, not the web user's.
    QCOMPARE(broker.subscribe(QStringLiteral("house/kitchen"), 1, 2, p.webUser, kWebPassword)
                     .exitCode,
             kTimedOut);
    // And ours work beside hers.
    QCOMPARE(broker.publish(QStringLiteral("weather/loop"), "ok", p.publishUser, kPublishPassword,
                            0, true)
                     .exitCode,
             0);
    QCOMPARE(broker.subscribe(p.pageTopic(), 1, 10, p.webUser, kWebPassword).out.trimmed(),
             QByteArray("ok"));
}

void tst_BrokerFiles::replacingOurUserKeepsOldUsersAuthenticating()
{
    const StationProfile p = brokerProfile();
    // A first run wrote our users next to bob's; now the publishing password changes.
    const QByteArray bobLine = PasswordFile::hashLine(
            QStringLiteral("bob"), QStringLiteral("bob-pw"), QByteArray(12, '\x42'));
    const Files first = generate(p, "user bob\ntopic readwrite bob/#\n", bobLine + "\n");
    QVERIFY2(first.error.isEmpty(), qPrintable(first.error));
    const Files second = generate(p, first.acl, first.passwd, QStringLiteral("new-Pub_3"));
    QVERIFY2(second.error.isEmpty(), qPrintable(second.error));
    QCOMPARE(second.acl, first.acl); // nothing to change there
    QVERIFY(second.passwd.startsWith(QByteArray(bobLine + "\n")));
    QCOMPARE(PasswordFile::users(second.passwd), QStringList({"bob", p.publishUser, p.webUser}));

    MosquittoBroker broker;
    QVERIFY(startBroker(broker, p, second));
    QCOMPARE(broker.publish(QStringLiteral("bob/x"), "b", QStringLiteral("bob"),
                            QStringLiteral("bob-pw"))
                     .exitCode,
             0);
    QCOMPARE(broker.publish(QStringLiteral("weather/loop"), "n", p.publishUser,
                            QStringLiteral("new-Pub_3"))
                     .exitCode,
             0);
    QCOMPARE(broker.publish(QStringLiteral("weather/loop"), "o", p.publishUser, kPublishPassword)
                     .exitCode,
             kNotAuthorised);
    // The web user's line was kept as it was and still logs in.
    QCOMPARE(broker.subscribe(QStringLiteral("weather/loop"), 1, 1, p.webUser, kWebPassword)
                     .exitCode,
             kTimedOut);
}

QTEST_GUILESS_MAIN(tst_BrokerFiles)
#include "tst_brokerfiles.moc"
