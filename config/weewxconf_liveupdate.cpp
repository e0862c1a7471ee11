// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/weewxconf_liveupdate.h"

#include <QHostAddress>

namespace wmw::config {

const QStringList LiveUpdateEdit::mqttPath = {QStringLiteral("StdRESTful"), QStringLiteral("MQTT")};
const QStringList LiveUpdateEdit::extrasPath = {
        QStringLiteral("StdReport"), QStringLiteral("Belchertown"), QStringLiteral("Extras")};
const QStringList LiveUpdateEdit::servicesPath = {QStringLiteral("Engine"),
                                                  QStringLiteral("Services")};
const QString LiveUpdateEdit::mqttService = QStringLiteral("user.mqtt.MQTT");

namespace {

bool hasControlOrSpace(const QString &s)
{
    for (const QChar c : s) {
        if (c.isSpace() || c.category() == QChar::Other_Control)
            return true;
    }
    return false;
}

// weewx-mqtt reads server_url with urllib's urlparse(), which does not percent-decode: the
// netloc ends at the first / ? #, brackets must pair up for an IPv6 host, the user name ends at
// the first ':' and the host starts after the last '@'.
bool breaksUrl(const QString &s, bool isUser)
{
    static const QString forbidden = QStringLiteral("/?#[]");
    for (const QChar c : s) {
        if (forbidden.contains(c) || (isUser && (c == u':' || c == u'@')))
            return true;
    }
    return hasControlOrSpace(s);
}

WeewxConfStatus bad(const QString &message)
{
    return WeewxConfStatus::failure(WeewxConfError::BadSetting, 0, message);
}

QString boolText(bool b)
{
    return b ? QStringLiteral("true") : QStringLiteral("false");
}

} // namespace

WeewxConfStatus LiveUpdateEdit::check(const LiveUpdateSettings &s)
{
    if (s.brokerHost.isEmpty() || breaksUrl(s.brokerHost, true)
        || (s.brokerHost.contains(u':') && QHostAddress(s.brokerHost).isNull()))
        return bad(tr("The broker host for weewx-mqtt (server_url) must be a host name or an IP "
                      "address."));
    if (s.brokerPort < 1 || s.brokerPort > 65535)
        return bad(tr("The broker port for weewx-mqtt (server_url) must be between 1 and 65535."));
    if (breaksUrl(s.publishUser, true))
        return bad(tr("The publishing user name cannot be put into server_url: it contains a "
                      "space, a control character or one of : @ / ? # [ ]."));
    if (breaksUrl(s.publishPassword, false))
        return bad(tr("The publishing user's password cannot be put into server_url, which "
                      "weewx-mqtt reads without decoding: it contains a space, a control "
                      "character or one of / ? # [ ]."));
    if (s.publishUser.isEmpty() && !s.publishPassword.isEmpty())
        return bad(tr("A publishing password needs a publishing user name."));
    if (s.topic.isEmpty() || s.topic.contains(u'+') || s.topic.contains(u'#')
        || hasControlOrSpace(s.topic))
        return bad(tr("The MQTT topic must be a topic name without wildcards or spaces."));
    if (s.pageHost.isEmpty() || hasControlOrSpace(s.pageHost) || s.pageHost.contains(u'/'))
        return bad(tr("The host the Belchertown page connects to (mqtt_websockets_host) must be a "
                      "host name or address the visitor's browser can reach, without ws://."));
    if (s.pagePort < 1 || s.pagePort > 65535)
        return bad(tr("The websocket port of the Belchertown page (mqtt_websockets_port) must be "
                      "between 1 and 65535."));
    if (s.webUser.isEmpty() != s.webPassword.isEmpty())
        return bad(tr("The Belchertown page sends a user name only together with a password: "
                      "give both (mqtt_websockets_username and _password) or neither."));
    // The skin pastes both into a JavaScript string literal in the public page.
    for (const QString &v : {s.webUser, s.webPassword}) {
        if (v.contains(u'"') || v.contains(u'\'') || v.contains(u'\\') || hasControlOrSpace(v))
            return bad(tr("The page user name and password (mqtt_websockets_username and "
                          "_password) cannot contain quotes, backslashes, spaces or control "
                          "characters: the skin pastes them into the page's JavaScript."));
    }
    if (s.visitorDisconnectMs < 0)
        return bad(tr("The visitor disconnect time (disconnect_live_website_visitor) cannot be "
                      "negative."));
    return WeewxConfStatus::success();
}

QString LiveUpdateEdit::serverUrl(const LiveUpdateSettings &s)
{
    if (!check(s).ok())
        return QString();
    QString host = s.brokerHost;
    if (host.contains(u':'))
        host = u'[' + host + u']'; // an IPv6 literal
    QString userInfo;
    if (!s.publishUser.isEmpty()) {
        userInfo = s.publishUser;
        if (!s.publishPassword.isEmpty())
            userInfo += u':' + s.publishPassword;
        userInfo += u'@';
    }
    return QStringLiteral("mqtt://") + userInfo + host + u':' + QString::number(s.brokerPort)
           + u'/';
}

WeewxConfStatus LiveUpdateEdit::apply(WeewxConf &conf, const LiveUpdateSettings &s,
                                      QStringList *notes)
{
    if (const WeewxConfStatus checked = check(s); !checked.ok())
        return checked;
    if (!conf.hasSection(servicesPath))
        return WeewxConfStatus::failure(WeewxConfError::NotWeewxConf, 0,
                                        tr("weewx.conf has no [Engine] [[Services]] section; it "
                                           "does not look like a WeeWX configuration."));
    WeewxConf edited = conf;
    QStringList added;
    const QList<std::pair<QString, ConfValue>> mqtt = {
            {QStringLiteral("enable"), ConfValue::fromString(QStringLiteral("true"))},
            {QStringLiteral("server_url"), ConfValue::fromString(serverUrl(s))},
            {QStringLiteral("topic"), ConfValue::fromString(s.topic)},
            // Both, as a list: only loop packets make the page "live" (archive records carry
            // interval_minute); weewx-mqtt tests `'loop' in binding`.
            {QStringLiteral("binding"),
             ConfValue::fromList({QStringLiteral("archive"), QStringLiteral("loop")})},
            // One string: weewx-mqtt calls aggregation.find(), which a ConfigObj list lacks.
            {QStringLiteral("aggregation"), ConfValue::fromString(QStringLiteral("aggregate"))},
            {QStringLiteral("log_success"), ConfValue::fromString(boolText(s.logSuccess))},
            {QStringLiteral("log_failure"), ConfValue::fromString(boolText(s.logFailure))},
    };
    for (const auto &[key, value] : mqtt) {
        if (WeewxConfStatus st = edited.setValue(mqttPath, key, value); !st.ok())
            return st;
    }

    // restful_services may be one string, a list or empty; append, never duplicate.
    const QString restful = QStringLiteral("restful_services");
    const std::optional<ConfValue> services = edited.value(servicesPath, restful);
    QStringList list;
    if (services)
        list = services->isList ? services->list : QStringList{services->string};
    list.removeAll(QString());
    if (!list.contains(mqttService)) {
        list.append(mqttService);
        const ConfValue value =
                list.size() == 1 ? ConfValue::fromString(list.front()) : ConfValue::fromList(list);
        if (WeewxConfStatus st = edited.setValue(servicesPath, restful, value); !st.ok())
            return st;
    }

    const QStringList report = extrasPath.mid(0, 2);
    if (!edited.hasSection(report)) {
        // Without a skin line WeeWX cannot run the report; add what Belchertown's installer
        // writes, with HTML_ROOT under [StdReport]'s as `weectl extension install` does.
        const std::optional<ConfValue> root =
                edited.value({extrasPath.front()}, QStringLiteral("HTML_ROOT"));
        const QString htmlRoot = (root && !root->isList && !root->string.isEmpty())
                                         ? root->string + QStringLiteral("/belchertown")
                                         : QStringLiteral("belchertown");
        const QList<std::pair<QString, QString>> skin = {
                {QStringLiteral("skin"), QStringLiteral("Belchertown")},
                {QStringLiteral("HTML_ROOT"), htmlRoot},
                {QStringLiteral("enable"), QStringLiteral("true")},
        };
        for (const auto &[key, value] : skin) {
            if (WeewxConfStatus st = edited.setValue(report, key, ConfValue::fromString(value));
                !st.ok())
                return st;
        }
        added << tr("weewx.conf had no [StdReport] [[Belchertown]] report; it was added. Install "
                    "the Belchertown skin too, or WeeWX cannot generate that report.");
    }
    const QList<std::pair<QString, QString>> extras = {
            // The templates compare these with the strings '1' and '0', not true/false.
            {QStringLiteral("mqtt_websockets_enabled"), QStringLiteral("1")},
            {QStringLiteral("mqtt_websockets_host"), s.pageHost},
            // Inserted unquoted into the page's JavaScript as a number.
            {QStringLiteral("mqtt_websockets_port"), QString::number(s.pagePort)},
            {QStringLiteral("mqtt_websockets_ssl"),
             s.pageSsl ? QStringLiteral("1") : QStringLiteral("0")},
            {QStringLiteral("mqtt_websockets_topic"), s.effectivePageTopic()},
            {QStringLiteral("mqtt_websockets_username"), s.webUser},
            {QStringLiteral("mqtt_websockets_password"), s.webPassword},
            {QStringLiteral("disconnect_live_website_visitor"),
             QString::number(s.visitorDisconnectMs)},
    };
    for (const auto &[key, value] : extras) {
        if (WeewxConfStatus st = edited.setValue(extrasPath, key, ConfValue::fromString(value));
            !st.ok())
            return st;
    }
    conf = edited;
    if (notes)
        *notes += added;
    return WeewxConfStatus::success();
}

} // namespace wmw::config
