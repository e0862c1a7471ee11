// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/weewxconf.h"
#include "remote/hostfacts/hostfacts.h"
#include "remote/mqtt/livecheck.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace wmw::diagnosis {

/// One value of weewx.conf with where it is; `present` is false when the key is not set (the
/// default applies).
struct ConfEntry
{
    bool present = false;
    config::ConfValue value;
    int line = 0;

    QString text() const
    {
        return value.isList ? value.list.join(QStringLiteral(", ")) : value.string;
    }
};

/// What weewx.conf says about weewx-mqtt and the Belchertown page.
struct WeewxSettings
{
    QString path; ///< the weewx.conf that was read
    bool readable = false;
    QString problem; ///< why it could not be read or parsed (translated); names the line
    int problemLine = 0;
    std::optional<config::WeewxConf> conf;

    bool hasMqttSection = false;
    ConfEntry enable, serverUrl, topic, binding, aggregation, restfulServices;
    bool hasBelchertownReport = false;
    ConfEntry htmlRoot;
    // [StdReport] [[Belchertown]] [[[Extras]]]
    ConfEntry wsEnabled, wsHost, wsPort, wsSsl, wsTopic, wsUser, wsPassword;

    /// weewx-mqtt's topic (default "weather").
    QString mqttTopic() const { return topic.present ? topic.text() : QStringLiteral("weather"); }
    /// Where the page's JavaScript is (HTML_ROOT/js/belchertown.js).
    QString pageScriptPath() const;
    /// The page's values as the skin uses them (skin.conf defaults when unset).
    QString pageHost() const { return wsHost.text(); }
    QString pagePort() const { return wsPort.present ? wsPort.text() : QStringLiteral("1883"); }
    bool pageSsl() const { return wsSsl.present && wsSsl.text() == u"1"; }
    QString pageTopic() const { return wsTopic.text(); }
    /// The page sends user name and password only when both are non-empty.
    bool pageSendsCredentials() const
    {
        return !wsUser.text().isEmpty() && !wsPassword.text().isEmpty();
    }

    /// Reads the weewx.conf of `facts` (the package one, else the pip one).
    static WeewxSettings read(const HostFacts &facts);
};

/// The live check's verdict as plain data, so the rules stay pure.
struct LiveOutcome
{
    bool ran = false;
    QString notRunReason; ///< translated, when !ran
    QString url;
    QString user; ///< empty: anonymous
    QString topic;
    mqtt::LiveCheck::State state = mqtt::LiveCheck::State::Idle;
    mqtt::LiveCheck::Failure failure = mqtt::LiveCheck::Failure::None;
    mqtt::LiveCheck::Layer layer = mqtt::LiveCheck::Layer::None;
    QString message;
    QString fix;
    QList<mqtt::Reading> readings;
    QDateTime dataTime;
    int loopCount = 0;
    int archiveCount = 0;

    bool receiving() const { return ran && state == mqtt::LiveCheck::State::Receiving; }
    static LiveOutcome from(const mqtt::LiveCheck &check, const QString &user,
                            const QString &topic);
};

/// The page's JavaScript as generated (js/belchertown.js): what the visitors' browsers use.
struct PageScript
{
    bool read = false;
    QString path;
    QByteArray content;
};

/// Everything the rules look at. Pure data: recorded facts give the same findings.
struct DiagnosisInput
{
    QString sshHost; ///< how this computer reaches the Pi
    HostFacts facts;
    PageScript pageScript;
    QString pageUrl; ///< the page as visitors open it (optional; https matters)
    LiveOutcome live;
};

} // namespace wmw::diagnosis
