// SPDX-License-Identifier: GPL-3.0-or-later
// The conf.d file: both listeners, an explicit anonymous policy, and the exact files we write.
#include "config/listenerconf.h"

#include <QTest>

using namespace wmw::config;

class tst_ListenerConf : public QObject
{
    Q_OBJECT

private slots:
    void defaultProfile();
    void pointsAtExactlyTheFilesOfTheProfile_data();
    void pointsAtExactlyTheFilesOfTheProfile();
};

void tst_ListenerConf::defaultProfile()
{
    QCOMPARE(ListenerConf::render(StationProfile()),
             QByteArray("# mosquitto listeners for the live Belchertown page, written by WeeWX "
                        "MQTT Wizard.\n"
                        "# Replaced on every run. Backups are kept outside this folder, because "
                        "mosquitto\n"
                        "# reads every *.conf file in it.\n"
                        "\n"
                        "# Every client needs a user name and password.\n"
                        "allow_anonymous false\n"
                        "password_file /etc/mosquitto/passwd\n"
                        "acl_file /etc/mosquitto/acl\n"
                        "\n"
                        "# weewx-mqtt publishes here (server_url).\n"
                        "listener 1883\n"
                        "protocol mqtt\n"
                        "\n"
                        "# Visitors' browsers connect here (mqtt_websockets_port). mosquitto 2.0 "
                        "does not\n"
                        "# start with a websockets listener alone, so the mqtt one above stays.\n"
                        "listener 9001\n"
                        "protocol websockets\n"));
}

void tst_ListenerConf::pointsAtExactlyTheFilesOfTheProfile_data()
{
    QTest::addColumn<bool>("readLoop");
    QTest::newRow("listener: anonymous denied") << false;
    QTest::newRow("listener: anonymous may read the loop topic") << true;
}

void tst_ListenerConf::pointsAtExactlyTheFilesOfTheProfile()
{
    QFETCH(bool, readLoop);
    StationProfile p;
    p.aclFilePath = QStringLiteral("/etc/mosquitto/aclfile");
    p.passwordFilePath = QStringLiteral("/etc/mosquitto/pwfile");
    p.mqttPort = 11883;
    p.websocketPort = 8080;
    p.anonymousPolicy = readLoop ? AnonymousPolicy::ReadLoop : AnonymousPolicy::Deny;
    const QList<QByteArray> lines = ListenerConf::render(p).split('\n');

    QList<QByteArray> settings;
    for (const QByteArray &line : lines) {
        if (!line.isEmpty() && !line.startsWith('#'))
            settings << line;
    }
    QCOMPARE(settings,
             QList<QByteArray>({readLoop ? "allow_anonymous true" : "allow_anonymous false",
                                "password_file /etc/mosquitto/pwfile",
                                "acl_file /etc/mosquitto/aclfile", "listener 11883",
                                "protocol mqtt", "listener 8080", "protocol websockets"}));
}

QTEST_GUILESS_MAIN(tst_ListenerConf)
#include "tst_listenerconf.moc"
