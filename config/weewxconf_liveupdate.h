// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/weewxconf.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace wmw::config {

// What the live-update edit writes into weewx.conf. Holds two passwords: never log it.
struct LiveUpdateSettings
{
    // [StdRESTful] [[MQTT]]: how weewxd (on the Pi) publishes.
    QString brokerHost = QStringLiteral("localhost");
    int brokerPort = 1883; // always written: weewx-mqtt passes url.port to paho unchecked
    QString publishUser;
    QString publishPassword;
    QString topic = QStringLiteral("weather");
    bool logSuccess = false;
    bool logFailure = true;

    // [StdReport] [[Belchertown]] [[[Extras]]]: how the visitor's browser subscribes.
    QString pageHost; // as the browser reaches the broker, without ws://
    int pagePort = 9001; // the broker's websockets listener, not its MQTT port
    bool pageSsl = false;
    QString pageTopic; // empty: <topic>/loop, where weewx-mqtt's aggregate messages go
    QString webUser; // empty (with an empty password): the page connects anonymously
    QString webPassword; // public: it ends up in the page's JavaScript
    qint64 visitorDisconnectMs = 1800000; // 0 keeps visitors connected

    QString effectivePageTopic() const
    {
        return pageTopic.isEmpty() ? topic + QStringLiteral("/loop") : pageTopic;
    }
};

class LiveUpdateEdit
{
    Q_DECLARE_TR_FUNCTIONS(wmw::config::LiveUpdateEdit)
public:
    // `mqtt://user:password@host:port/` as weewx-mqtt needs it. Empty when a field cannot be
    // carried by it (see check()).
    static QString serverUrl(const LiveUpdateSettings &s);

    // Refuses what would break weewx-mqtt's urlparse() or the skin: the message names the field.
    static WeewxConfStatus check(const LiveUpdateSettings &s);

    // Writes [StdRESTful] [[MQTT]] (enable, server_url, topic, binding = archive, loop as a
    // two-item list, aggregation = aggregate as one string, log_success, log_failure), adds
    // user.mqtt.MQTT once to [Engine] [[Services]] restful_services, and writes the
    // mqtt_websockets_* Extras with the exact strings the skin compares (`1`, `0`). A missing
    // [[Belchertown]] report is added with its skin line and named in `notes`. All or nothing:
    // on an error `conf` is unchanged.
    static WeewxConfStatus apply(WeewxConf &conf, const LiveUpdateSettings &s,
                                 QStringList *notes = nullptr);

    static const QStringList mqttPath; // {"StdRESTful", "MQTT"}
    static const QStringList extrasPath; // {"StdReport", "Belchertown", "Extras"}
    static const QStringList servicesPath; // {"Engine", "Services"}
    static const QString mqttService; // "user.mqtt.MQTT"
};

} // namespace wmw::config
