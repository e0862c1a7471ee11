// SPDX-License-Identifier: GPL-3.0-or-later
// The saved profile: versioned JSON that round-trips, never holds a secret, and explains every
// key it cannot read.
#include "config/stationprofile.h"

#include <QTest>

using namespace wmw::config;

class tst_StationProfile : public QObject
{
    Q_OBJECT

private slots:
    void defaultsFollowTheDebianLayoutAndTheProcedure();
    void derivedPageValuesFollowTheRestUntilOverridden();
    void roundTripKeepsEveryField();
    void savingIsDeterministicAndHoldsNoSecret();
    void missingKeysTakeTheirDefault();
    void unreadableProfilesAreRefused_data();
    void unreadableProfilesAreRefused();
};

namespace {
QByteArray wrap(const QByteArray &body, const QByteArray &version = "1")
{
    return "{\"format\": \"weewx-mqtt-wizard-profile\", \"version\": " + version
           + (body.isEmpty() ? QByteArray() : ", " + body) + "}";
}
} // namespace

void tst_StationProfile::defaultsFollowTheDebianLayoutAndTheProcedure()
{
    const StationProfile p;
    QCOMPARE(p.sshPort, 22);
    QCOMPARE(p.mqttPort, 1883);
    QCOMPARE(p.websocketPort, 9001);
    QCOMPARE(p.topic, QStringLiteral("weather"));
    QCOMPARE(p.extraTopics, QStringList({"weewx/#", "weetest/#"}));
    QCOMPARE(p.anonymousPolicy, AnonymousPolicy::Deny);
    QVERIFY(!p.sharesOneUser());
    QCOMPARE(p.listenerConfPath, QStringLiteral("/etc/mosquitto/conf.d/weewx-mqtt-wizard.conf"));
    QCOMPARE(p.aclFilePath, QStringLiteral("/etc/mosquitto/acl"));
    QCOMPARE(p.passwordFilePath, QStringLiteral("/etc/mosquitto/passwd"));
    QCOMPARE(p.weewxConfPath, QStringLiteral("/etc/weewx/weewx.conf"));
    QCOMPARE(p.serverUrlHost, QStringLiteral("localhost"));
    QCOMPARE(p.visitorDisconnectMs, qint64(1800000));
    QCOMPARE(p.logSuccess, false);
    QCOMPARE(p.logFailure, true);
    QCOMPARE(p.pageSsl, false);
}

void tst_StationProfile::derivedPageValuesFollowTheRestUntilOverridden()
{
    StationProfile p;
    p.piHost = QStringLiteral("weatherpi.local");
    p.websocketPort = 9443;
    p.topic = QStringLiteral("station");
    QCOMPARE(p.pageHost(), QStringLiteral("weatherpi.local"));
    QCOMPARE(p.pagePort(), 9443);
    QCOMPARE(p.pageTopic(), QStringLiteral("station/loop"));

    p.pageHostOverride = QStringLiteral("wx.example.org");
    p.pagePortOverride = 443;
    p.pageTopicOverride = QStringLiteral("other/loop");
    QCOMPARE(p.pageHost(), QStringLiteral("wx.example.org"));
    QCOMPARE(p.pagePort(), 443);
    QCOMPARE(p.pageTopic(), QStringLiteral("other/loop"));
    QCOMPARE(p.loopTopic(), QStringLiteral("station/loop"));
}

void tst_StationProfile::roundTripKeepsEveryField()
{
    StationProfile p;
    p.piHost = QStringLiteral("192.168.1.164");
    p.sshPort = 2222;
    p.sshUser = QStringLiteral("admin");
    p.mqttPort = 11883;
    p.websocketPort = 19001;
    p.anonymousPolicy = AnonymousPolicy::ReadLoop;
    p.publishUser = QStringLiteral("weemqtt");
    p.webUser = QStringLiteral("page");
    p.topic = QStringLiteral("wx");
    p.extraTopics = {QStringLiteral("a/+/b")};
    p.listenerConfPath = QStringLiteral("/etc/mosquitto/conf.d/live.conf");
    p.aclFilePath = QStringLiteral("/etc/mosquitto/aclfile");
    p.passwordFilePath = QStringLiteral("/etc/mosquitto/pwfile");
    p.weewxConfPath = QStringLiteral("/home/pi/weewx-data/weewx.conf");
    p.serverUrlHost = QStringLiteral("127.0.0.1");
    p.logSuccess = true;
    p.logFailure = false;
    p.pageHostOverride = QStringLiteral("wx.example.org");
    p.pagePortOverride = 443;
    p.pageTopicOverride = QStringLiteral("wx/loop");
    p.pageSsl = true;
    p.visitorDisconnectMs = 0;

    const ProfileLoadResult loaded = ProfileJson::fromJson(p.toJson());
    QVERIFY2(loaded.ok(), qPrintable(loaded.errorString));
    QVERIFY(loaded.defaulted.isEmpty());
    QVERIFY(loaded.profile == p);
    QCOMPARE(loaded.profile.toJson(), p.toJson());
    QVERIFY(!(StationProfile() == p));
}

void tst_StationProfile::savingIsDeterministicAndHoldsNoSecret()
{
    StationProfile p;
    p.piHost = QStringLiteral("weatherpi");
    QCOMPARE(p.toJson(), StationProfile(p).toJson());
    QByteArray json = p.toJson();
    QVERIFY(json.contains("\"version\": 1"));
    // The only key that mentions a password is the path of the password file.
    QVERIFY(json.contains("\"passwordFile\": \"/etc/mosquitto/passwd\""));
    json.replace("\"passwordFile\"", "");
    QVERIFY(!json.toLower().contains("password"));
    QVERIFY(!json.toLower().contains("secret"));
}

void tst_StationProfile::missingKeysTakeTheirDefault()
{
    const ProfileLoadResult loaded =
            ProfileJson::fromJson(wrap("\"pi\": {\"host\": \"wx\"}, \"broker\": {}"));
    QVERIFY2(loaded.ok(), qPrintable(loaded.errorString));
    QCOMPARE(loaded.profile.piHost, QStringLiteral("wx"));
    QCOMPARE(loaded.profile.mqttPort, 1883);
    QVERIFY(loaded.defaulted.contains(QStringLiteral("broker.mqttPort")));
    QVERIFY(loaded.defaulted.contains(QStringLiteral("page.visitorDisconnectMs")));
    QVERIFY(!loaded.defaulted.contains(QStringLiteral("pi.host")));
}

void tst_StationProfile::unreadableProfilesAreRefused_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<ProfileError>("error");
    QTest::addColumn<QString>("message");

    QTest::newRow("profile: not JSON at all")
            << QByteArray("pi.host=wx") << ProfileError::NotJson
            << "The profile is not valid JSON: illegal value at byte 1.";
    QTest::newRow("profile: a JSON list")
            << QByteArray("[1]") << ProfileError::NotJson << "The profile is not a JSON object.";
    QTest::newRow("profile: another program's JSON")
            << QByteArray("{\"version\": 1}") << ProfileError::NotAProfile
            << "This is not a WeeWX MQTT Wizard profile (the key \"format\" must be "
               "\"weewx-mqtt-wizard-profile\").";
    QTest::newRow("profile: no version")
            << QByteArray("{\"format\": \"weewx-mqtt-wizard-profile\"}")
            << ProfileError::MissingVersion
            << "The profile has no valid \"version\" (a whole number from 1).";
    QTest::newRow("profile: version as text")
            << wrap({}, "\"1\"") << ProfileError::MissingVersion
            << "The profile has no valid \"version\" (a whole number from 1).";
    QTest::newRow("profile: from a newer program")
            << wrap({}, "2") << ProfileError::TooNew
            << "The profile has version 2, but this program reads only up to version 1. Update "
               "the program to open it.";
    QTest::newRow("profile: unknown section") << wrap("\"ssh\": {}") << ProfileError::UnknownKey
                                              << "Unknown key \"ssh\" in the profile.";
    QTest::newRow("profile: misspelt key names its path")
            << wrap("\"pi\": {\"hots\": \"wx\"}") << ProfileError::UnknownKey
            << "Unknown key \"pi.hots\" in the profile.";
    QTest::newRow("profile: a password is refused, not ignored")
            << wrap("\"users\": {\"webPassword\": \"x\"}") << ProfileError::UnknownKey
            << "The profile contains \"users.webPassword\": profiles never hold passwords or "
               "hashes. Remove the key and enter the password in the program.";
    QTest::newRow("profile: a secrets section is refused")
            << wrap("\"secrets\": {}") << ProfileError::UnknownKey
            << "The profile contains \"secrets\": profiles never hold passwords or hashes. "
               "Remove the key and enter the password in the program.";
    QTest::newRow("profile: section that is not an object")
            << wrap("\"pi\": \"wx\"") << ProfileError::WrongType
            << "\"pi\" in the profile must be an object.";
    QTest::newRow("profile: port as text")
            << wrap("\"broker\": {\"mqttPort\": \"1883\"}") << ProfileError::WrongType
            << "\"broker.mqttPort\" in the profile must be a whole number from 0 to 2147483647.";
    QTest::newRow("profile: port with a fraction")
            << wrap("\"broker\": {\"websocketPort\": 9001.5}") << ProfileError::WrongType
            << "\"broker.websocketPort\" in the profile must be a whole number from 0 to "
               "2147483647.";
    QTest::newRow("profile: negative disconnect time")
            << wrap("\"page\": {\"visitorDisconnectMs\": -1}") << ProfileError::WrongType
            << "\"page.visitorDisconnectMs\" in the profile must be a whole number from 0 to "
               "2147483647.";
    QTest::newRow("profile: boolean as text")
            << wrap("\"page\": {\"ssl\": \"yes\"}") << ProfileError::WrongType
            << "\"page.ssl\" in the profile must be true or false.";
    QTest::newRow("profile: topic list with a number")
            << wrap("\"topics\": {\"extra\": [\"a/#\", 3]}") << ProfileError::WrongType
            << "\"topics.extra\" in the profile must be a list of strings.";
    QTest::newRow("profile: unknown anonymous policy")
            << wrap("\"broker\": {\"anonymous\": \"allow-all\"}") << ProfileError::BadValue
            << "\"broker.anonymous\" in the profile must be \"deny\" or \"read-loop\", not "
               "\"allow-all\".";
}

void tst_StationProfile::unreadableProfilesAreRefused()
{
    QFETCH(QByteArray, json);
    QFETCH(ProfileError, error);
    QFETCH(QString, message);

    const ProfileLoadResult loaded = ProfileJson::fromJson(json);
    QCOMPARE(loaded.error, error);
    QCOMPARE(loaded.errorString, message);
    QVERIFY(!loaded.ok());
    QVERIFY(loaded.profile == StationProfile());
}

QTEST_GUILESS_MAIN(tst_StationProfile)
#include "tst_stationprofile.moc"
