// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/diagnosisdemo.h"

#include "remote/diagnosis/rules.h"

#include <QSet>

namespace wmw {

using diagnosis::Evidence;
using diagnosis::Finding;
using diagnosis::FixHint;
using diagnosis::Rules;
using diagnosis::Severity;
using mqtt::LiveCheck;

diagnosis::DiagnosisReport demoDiagnosisReport(const config::StationProfile &profile)
{
    // The texts are the rules' own (Rules::tr with the same words), so the demo needs no
    // translation of its own and looks exactly like a real report.
    diagnosis::DiagnosisReport report;
    report.host = profile.piHost;
    report.hostname = QStringLiteral("weatherpi");
    report.time = QDateTime(QDate(2026, 11, 25), QTime(16, 12, 4), Qt::UTC);
    const QString conf = profile.weewxConfPath;
    const QString js = QStringLiteral("/var/www/html/weewx/belchertown/js/belchertown.js");
    const QString topic = profile.pageTopic();
    const QString user = profile.webUser;

    diagnosis::LiveOutcome &live = report.live;
    live.ran = true;
    live.url = QStringLiteral("ws://%1:%2/mqtt").arg(profile.pageHost()).arg(profile.pagePort());
    live.user = user;
    live.topic = topic;
    live.state = LiveCheck::State::Failed;
    live.failure = LiveCheck::Failure::NoMessage;
    live.layer = LiveCheck::Layer::Publishing;
    live.message = LiveCheck::tr("Subscribed to %1, but no message arrived within %2 s.")
                           .arg(topic, QStringLiteral("30"));

    QList<Finding> problems;
    {
        Finding f;
        f.id = QStringLiteral("web-acl-denies-page-topic");
        f.severity = Severity::Fail;
        f.title = Rules::tr("The ACL does not let the page's user read the page's topic");
        f.evidence = {Evidence::file(conf, 412, QStringLiteral("mqtt_websockets_topic = ") + topic),
                      Evidence::file(profile.aclFilePath, 0,
                                     QStringLiteral("user %1: topic read weewx/#").arg(user))};
        f.fix = Rules::tr("mosquitto grants the subscription and then silently delivers "
                          "nothing (\"Waiting for data\" forever). Add \"topic read %1\" to "
                          "user %2's acl section.")
                        .arg(topic, user);
        f.fixIt = FixHint{};
        problems << f;
    }
    {
        Finding f;
        f.id = QStringLiteral("server-url-no-port");
        f.severity = Severity::Fail;
        f.title = Rules::tr("server_url has no port");
        f.evidence = {Evidence::file(conf, 371,
                                     QStringLiteral("server_url = mqtt://%1:••••••@localhost/")
                                             .arg(profile.publishUser)),
                      Evidence::log(QStringLiteral("journalctl -u weewx"),
                                    QStringLiteral("weewxd[812]: TypeError: '<' not supported "
                                                   "between instances of 'NoneType' and 'int'"))};
        f.fix = Rules::tr("weewx-mqtt passes the URL's port to paho unchecked and its thread "
                          "dies: write the port, e.g. mqtt://USER:PASSWORD@localhost:1883/.");
        f.fixIt = FixHint{{{QStringLiteral("weewx.serverUrlHost"), QStringLiteral("localhost")}}};
        problems << f;
    }
    {
        Finding f;
        f.id = QStringLiteral("page-stale");
        f.severity = Severity::Fail;
        f.title = Rules::tr("The Belchertown page was not regenerated since the settings "
                            "changed");
        f.evidence = {Evidence::file(js, 0,
                                     Rules::tr("%1 in the page: \"%2\"; in weewx.conf: \"%3\"")
                                             .arg(QStringLiteral("port"), QStringLiteral("1883"),
                                                  QString::number(profile.pagePort())))};
        f.fix = Rules::tr("Its JavaScript still holds the old values. Run the report "
                          "(sudo weectl report run Belchertown) or wait for the next "
                          "archive interval, then reload the page.");
        problems << f;
    }
    {
        Finding f;
        f.id = QStringLiteral("locale-invalid");
        f.severity = Severity::Warn;
        f.title = Rules::tr("The locale is set but not generated (invalid locale)");
        f.evidence = {Evidence::command(QStringLiteral("locale"),
                                        QStringLiteral("locale: Cannot set LC_ALL to default "
                                                       "locale: No such file or directory")),
                      Evidence::file(QStringLiteral("/etc/default/locale"), 0,
                                     QStringLiteral("LANG=en_GB.UTF-8"))};
        f.fix = Rules::tr("Generate the locale that /etc/default/locale names (Raspberry Pi: "
                          "sudo raspi-config, Localisation Options, Locale), or set LANG to "
                          "one that `locale -a` lists.");
        problems << f;
    }
    Finding liveFinding;
    liveFinding.id = QStringLiteral("live-check");
    liveFinding.severity = Severity::Fail;
    liveFinding.title =
            Rules::tr("The page's live connection fails: %1").arg(LiveCheck::stateText(live.state));
    liveFinding.evidence = {
            Evidence{Evidence::Kind::LiveCheck, live.url, 0,
                     Rules::tr("subscribed to %1 %2").arg(topic, Rules::tr("as %1").arg(user))},
            Evidence{Evidence::Kind::LiveCheck, live.url, 0,
                     LiveCheck::failureId(live.failure) + QStringLiteral(": ") + live.message}};
    liveFinding.fix =
            LiveCheck::tr("Three causes look alike here: (1) WeeWX is not publishing: check "
                          "[StdRESTful] "
                          "[[MQTT]] in weewx.conf and the WeeWX log (\"Published record\" proves "
                          "nothing); "
                          "(2) the topic differs: the page needs the [[MQTT]] topic plus "
                          "\"/loop\", e.g. "
                          "weather/loop; (3) the broker's ACL denies this user reading the topic: "
                          "mosquitto still confirms the subscription and then silently drops "
                          "every "
                          "message; add \"topic read %1\" for this user (or for anonymous users "
                          "before the "
                          "first \"user\" line).")
                    .arg(topic);
    live.fix = liveFinding.fix;
    problems << liveFinding;

    // Every other rule passed: their titles are what the rules say when they cannot check
    // (the pass title), taken from a run on no facts at all.
    QSet<QString> shown;
    for (const Finding &f : std::as_const(problems))
        shown.insert(f.id);
    QHash<QString, QString> passTitles;
    for (const Finding &f : Rules::run({})) {
        if (f.severity == Severity::NotChecked || f.severity == Severity::Pass)
            passTitles.insert(f.id, f.title);
    }
    for (const QString &id : Rules::catalogue()) {
        const auto problem = std::find_if(problems.cbegin(), problems.cend(),
                                          [&id](const Finding &f) { return f.id == id; });
        if (problem != problems.cend()) {
            report.findings << *problem;
        } else if (passTitles.contains(id)) {
            Finding f;
            f.id = id;
            f.severity = Severity::Pass;
            f.title = passTitles.value(id);
            report.findings << f;
        }
    }
    return report;
}

} // namespace wmw
