// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/demostate.h"

#include "wizard/connectiontest.h"
#include "wizard/livemonitor.h"
#include "wizard/provisioningdemo.h"
#include "wizard/wizardcontroller.h"

#include <QCoreApplication>
#include <QtMath>

namespace wmw {

namespace {
class Demo
{
    Q_DECLARE_TR_FUNCTIONS(wmw::Demo)
public:
    static QList<ConnectionTest::Fact> facts()
    {
        return {
                {tr("Operating system"), QStringLiteral("Debian GNU/Linux 12 (bookworm) (aarch64)"),
                 false},
                {tr("mosquitto"), QStringLiteral("2.0.11"), false},
                {tr("WeeWX"), tr("%1, %2").arg(QStringLiteral("5.1.0"), tr("Debian package")),
                 false},
                {tr("Belchertown skin"), tr("installed"), false},
                {tr("weewx-mqtt"), tr("not installed") + tr(" (weectl extension install …)"), true},
                {tr("Locale"), QStringLiteral("en_GB.UTF-8"), false},
        };
    }
};

QList<QPointF> series(double base, double amplitude, double period, int count)
{
    QList<QPointF> points;
    for (int i = 0; i < count; ++i) {
        const double t = i * 2.5; // a loop packet every 2.5 s
        points.append(QPointF(t, base + amplitude * qSin(t / period)
                                         + 0.15 * amplitude * qSin(t / (period / 7.0))));
    }
    return points;
}
} // namespace

void applyDemoState(WizardController &controller, bool failure)
{
    controller.setOffline(true);
    config::StationProfile profile;
    profile.piHost = QStringLiteral("weatherpi.local");
    profile.sshUser = QStringLiteral("pi");
    profile.pageHostOverride = QStringLiteral("weather.example.org");
    config::Secrets secrets;
    secrets.publishPassword = QStringLiteral("q7Tz-Lm2xKp9.Rw4VbN8sJc3");
    secrets.webPassword = QStringLiteral("Hd6_fPz3YkW8mQa2.Tn5Ex7R");
    secrets.sudoPassword = QStringLiteral("raspberry");
    controller.replaceProfile(profile, secrets);

    controller.connectionTest()->present(
            ConnectionTest::State::Succeeded,
            ConnectionTest::tr("Connected to %1 as %2; sudo works.")
                    .arg(QStringLiteral("weatherpi"), QStringLiteral("pi")),
            Demo::facts());

    LiveStatus status = LiveStatus::initial();
    status.url = QStringLiteral("ws://weather.example.org:9001/mqtt");
    status.chain[LiveStatus::Name].detail = QStringLiteral("weather.example.org → 192.168.1.20");
    status.chain[LiveStatus::TcpPort].detail = QStringLiteral("9001");
    status.chain[LiveStatus::Login].detail = QStringLiteral("belchertown");
    status.chain[LiveStatus::Subscription].detail = QStringLiteral("weather/loop");
    if (failure) {
        status.state = mqtt::LiveCheck::State::Failed;
        for (int link :
             {LiveStatus::Laptop, LiveStatus::Name, LiveStatus::TcpPort, LiveStatus::WebSocket})
            status.chain[link].state = ChainLink::State::Ok;
        status.chain[LiveStatus::Login].state = ChainLink::State::Failed;
        status.layer = mqtt::LiveCheck::tr("MQTT login and permissions");
        status.message =
                mqtt::LiveCheck::tr("The broker refused the login: not authorised (CONNACK 5).");
        status.chain[LiveStatus::Login].reason = status.message;
        status.fix = mqtt::LiveCheck::tr(
                "mosquitto answers 5 for a wrong password, an unknown user, and an anonymous "
                "login while allow_anonymous is false. Check the user and password against "
                "the password_file (hashed with mosquitto_passwd), or for an anonymous page "
                "set \"allow_anonymous true\" with an ACL that lets anonymous users read "
                "only the loop topic.");
    } else {
        status.state = mqtt::LiveCheck::State::Receiving;
        for (ChainLink &link : status.chain)
            link.state = ChainLink::State::Ok;
        status.lastData = QDateTime(QDate(2026, 11, 25), QTime(16, 8, 10));
        status.loopCount = 48;
        const QList<QPointF> temperature = series(0.6, 0.25, 40, 48);
        const QList<QPointF> humidity = series(80, 1.5, 55, 48);
        const QList<QPointF> wind = series(11, 5, 9, 48);
        const QList<QPointF> pressure = series(1053.2, 0.15, 70, 48);
        QList<QPointF> rain;
        for (int i = 0; i < 48; ++i)
            rain.append(QPointF(i * 2.5, i < 30 ? 0.0 : 0.2));
        const QString kmh = LiveMonitor::displayUnit(QStringLiteral("km_per_hour"));
        status.readings[0] = {status.readings[0].label, QStringLiteral("0.6"), QStringLiteral("°C"),
                              QString(), temperature};
        status.readings[1] = {status.readings[1].label, QStringLiteral("80"), QStringLiteral("%"),
                              QString(), humidity};
        status.readings[2] = {status.readings[2].label, QStringLiteral("12.2"), kmh,
                              LiveMonitor::tr("from %1°, gusts %2")
                                      .arg(QStringLiteral("225"), QStringLiteral("19.8 ") + kmh),
                              wind};
        status.readings[3] = {status.readings[3].label, QStringLiteral("1053.3"),
                              QStringLiteral("hPa"), QString(), pressure};
        status.readings[4] = {status.readings[4].label, QStringLiteral("0.2"), QStringLiteral("mm"),
                              LiveMonitor::tr("rate %1").arg(QStringLiteral("0.0 mm/h")), rain};
    }
    status.log = {QStringLiteral("16:06  TCP connection established"),
                  QStringLiteral("16:06  websocket open (subprotocol mqtt), sent CONNECT and "
                                 "SUBSCRIBE to weather/loop")};
    controller.liveMonitor()->present(status);
    applyProvisioningDemo(controller); // review, apply, export and done pages
}

} // namespace wmw
