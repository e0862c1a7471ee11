// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/diagnosis/diagnosisinput.h"

#include "config/weewxconf_liveupdate.h"

#include <QCoreApplication>

namespace wmw::diagnosis {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("wmw::diagnosis::WeewxSettings", text);
}

ConfEntry entry(const config::WeewxConf &conf, const QStringList &path, const QString &key)
{
    ConfEntry e;
    const auto value = conf.value(path, key);
    if (!value)
        return e;
    e.present = true;
    e.value = *value;
    if (const auto lines = conf.valueLines(path, key))
        e.line = lines->first;
    return e;
}

} // namespace

QString WeewxSettings::pageScriptPath() const
{
    QString root = htmlRoot.present ? htmlRoot.text() : QStringLiteral("belchertown");
    if (!root.startsWith(u'/')) {
        // weectl prepends [StdReport] HTML_ROOT to a skin's relative one (extension.py).
        QString base = QStringLiteral("/var/www/html/weewx");
        if (conf) {
            if (const auto top =
                        conf->value({QStringLiteral("StdReport")}, QStringLiteral("HTML_ROOT"));
                top && !top->isList && top->string.startsWith(u'/'))
                base = top->string;
        }
        root = base + u'/' + root;
    }
    return root + QStringLiteral("/js/belchertown.js");
}

WeewxSettings WeewxSettings::read(const HostFacts &facts)
{
    WeewxSettings s;
    const QList<FileFacts> confs = facts.filesWithRole(QStringLiteral("weewx-conf"));
    if (confs.isEmpty()) {
        s.problem = tr("No weewx.conf was found on the Pi (neither /etc/weewx/weewx.conf nor "
                       "~/weewx-data/weewx.conf).");
        return s;
    }
    const FileFacts &file = confs.first();
    s.path = file.path;
    if (!file.error.isEmpty()) {
        s.problem = tr("%1 could not be read (%2); run the diagnosis with sudo rights.")
                            .arg(file.path, file.error);
        return s;
    }
    config::WeewxConfStatus status;
    config::WeewxConf conf = config::WeewxConf::parse(file.content, &status);
    if (!status.ok()) {
        s.problem = status.message;
        s.problemLine = status.line;
        return s;
    }
    s.readable = true;
    using E = config::LiveUpdateEdit;
    s.hasMqttSection = conf.hasSection(E::mqttPath);
    s.enable = entry(conf, E::mqttPath, QStringLiteral("enable"));
    s.serverUrl = entry(conf, E::mqttPath, QStringLiteral("server_url"));
    s.topic = entry(conf, E::mqttPath, QStringLiteral("topic"));
    s.binding = entry(conf, E::mqttPath, QStringLiteral("binding"));
    s.aggregation = entry(conf, E::mqttPath, QStringLiteral("aggregation"));
    s.restfulServices = entry(conf, E::servicesPath, QStringLiteral("restful_services"));
    const QStringList report{QStringLiteral("StdReport"), QStringLiteral("Belchertown")};
    s.hasBelchertownReport = conf.hasSection(report);
    s.htmlRoot = entry(conf, report, QStringLiteral("HTML_ROOT"));
    s.wsEnabled = entry(conf, E::extrasPath, QStringLiteral("mqtt_websockets_enabled"));
    s.wsHost = entry(conf, E::extrasPath, QStringLiteral("mqtt_websockets_host"));
    s.wsPort = entry(conf, E::extrasPath, QStringLiteral("mqtt_websockets_port"));
    s.wsSsl = entry(conf, E::extrasPath, QStringLiteral("mqtt_websockets_ssl"));
    s.wsTopic = entry(conf, E::extrasPath, QStringLiteral("mqtt_websockets_topic"));
    s.wsUser = entry(conf, E::extrasPath, QStringLiteral("mqtt_websockets_username"));
    s.wsPassword = entry(conf, E::extrasPath, QStringLiteral("mqtt_websockets_password"));
    s.conf = std::move(conf);
    return s;
}

LiveOutcome LiveOutcome::from(const mqtt::LiveCheck &check, const QString &user,
                              const QString &topic)
{
    LiveOutcome o;
    o.ran = true;
    o.url = check.url().toString(QUrl::RemoveUserInfo);
    o.user = user;
    o.topic = topic;
    o.state = check.state();
    o.failure = check.failure();
    o.layer = check.layer();
    o.message = check.message();
    o.fix = check.fix();
    o.readings = check.latest().readings();
    o.dataTime = check.latest().dateTime();
    o.loopCount = check.loopCount();
    o.archiveCount = check.archiveCount();
    return o;
}

} // namespace wmw::diagnosis
