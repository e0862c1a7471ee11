// SPDX-License-Identifier: GPL-3.0-or-later
// The diagnosis rules on recorded HostFacts: the facts of a healthy simulated Pi (recorded by
// tst_diagnosissimpi with WMW_RECORD_DIAGNOSIS) pass every rule; each row edits them to hold
// exactly one cause of a failing live page and expects exactly that finding. Also the report
// generators: no password or hash in Markdown, HTML or JSON.

#include "config/passwordfile.h"
#include "config/weewxconf.h"
#include "remote/diagnosis/report.h"
#include "remote/diagnosis/rules.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

#include <functional>

using namespace wmw::diagnosis;
using wmw::FileFacts;
using wmw::mqtt::LiveCheck;

namespace {

const QString kWeewxConf = QStringLiteral("/etc/weewx/weewx.conf");
const QString kAcl = QStringLiteral("/etc/mosquitto/acl");
const QString kPasswd = QStringLiteral("/etc/mosquitto/passwd");
const QString kListener = QStringLiteral("/etc/mosquitto/conf.d/weewx-mqtt-wizard.conf");
const QString kWebPassword = QStringLiteral("web-Secret-0815");
const QString kPubPassword = QStringLiteral("pub-Secret-4711");
const QStringList kExtras{QStringLiteral("StdReport"), QStringLiteral("Belchertown"),
                          QStringLiteral("Extras")};
const QStringList kMqtt{QStringLiteral("StdRESTful"), QStringLiteral("MQTT")};

QByteArray recorded(const char *name)
{
    QFile file(QFINDTESTDATA(QStringLiteral("data/diagnosis/") + QLatin1String(name)));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The healthy Pi: recorded facts and page, and the live check as it went there.
DiagnosisInput healthy()
{
    DiagnosisInput in;
    const auto parsed = wmw::HostFacts::parse(recorded("healthy-pi.txt"));
    if (!parsed.ok())
        qFatal("recorded facts do not parse");
    in.facts = *parsed.facts;
    in.sshHost = QStringLiteral("127.0.0.1");
    in.pageUrl = QStringLiteral("http://127.0.0.1/weewx/belchertown/");
    in.pageScript = {true, QStringLiteral("/var/www/html/weewx/belchertown/js/belchertown.js"),
                     recorded("healthy-pi.js")};
    LiveOutcome &live = in.live;
    live.ran = true;
    live.url = QStringLiteral("ws://127.0.0.1:51253/mqtt");
    live.user = QStringLiteral("belchertown");
    live.topic = QStringLiteral("weather/loop");
    live.state = LiveCheck::State::Receiving;
    const wmw::mqtt::LoopMessage loop = wmw::mqtt::LoopMessage::parse(
            R"({"dateTime": "1795630200.0", "outTemp_F": "55.1", "windSpeed_mph": "3.3"})");
    live.readings = loop.readings();
    live.dataTime = loop.dateTime();
    live.loopCount = 1;
    return in;
}

FileFacts &file(DiagnosisInput &in, const QString &path)
{
    for (FileFacts &f : in.facts.files) {
        if (f.path == path)
            return f;
    }
    qFatal("no such recorded file");
}

void setWeewx(DiagnosisInput &in, const QStringList &section, const QString &key,
              const wmw::config::ConfValue &value)
{
    FileFacts &f = file(in, kWeewxConf);
    wmw::config::WeewxConfStatus status;
    wmw::config::WeewxConf conf = wmw::config::WeewxConf::parse(f.content, &status);
    QVERIFY(status.ok());
    QVERIFY2(conf.setValue(section, key, value).ok(), qPrintable(key));
    f.content = conf.toBytes();
}

void setExtra(DiagnosisInput &in, const QString &key, const QString &value)
{
    setWeewx(in, kExtras, key, wmw::config::ConfValue::fromString(value));
}

// The page regenerated after a settings change, as the report run does.
void regeneratePage(DiagnosisInput &in, const QString &host, const QString &port,
                    const QString &topic)
{
    QByteArray &js = in.pageScript.content;
    js.replace("\"127.0.0.1\", 51253", QByteArray("\"" + host.toUtf8() + "\", " + port.toUtf8()));
    js.replace("subscribe(\"weather/loop\")", QByteArray("subscribe(\"" + topic.toUtf8() + "\")"));
}

void failLive(DiagnosisInput &in, LiveCheck::Failure failure, LiveCheck::Layer layer)
{
    in.live.state = LiveCheck::State::Failed;
    in.live.failure = failure;
    in.live.layer = layer;
    in.live.readings.clear();
    in.live.message = QStringLiteral("recorded failure");
    in.live.fix = QStringLiteral("recorded fix");
}

void replaceIn(DiagnosisInput &in, const QString &path, const QByteArray &from,
               const QByteArray &to)
{
    FileFacts &f = file(in, path);
    QVERIFY2(f.content.contains(from), qPrintable(path));
    f.content.replace(from, to);
}

void appendLog(DiagnosisInput &in, const char *log, const QByteArray &lines)
{
    in.facts.logs[QLatin1String(log)] += lines;
}

using Edit = std::function<void(DiagnosisInput &)>;

QString describe(const QList<Finding> &findings)
{
    QStringList lines;
    for (const Finding &f : findings) {
        if (f.severity != Severity::Pass)
            lines << FindingText::severityId(f.severity) + u' ' + f.id + u": " + f.title;
    }
    return lines.join(u'\n');
}

} // namespace

Q_DECLARE_METATYPE(Edit)

class TestDiagnosisRules : public QObject
{
    Q_OBJECT

private slots:
    void healthyFactsPassEveryRule();
    void oneCausePerRow_data();
    void oneCausePerRow();
    void everyCauseOfTheCatalogueHasARow();
    void serverUrlReadLikeUrlparse_data();
    void serverUrlReadLikeUrlparse();
    void aclEvaluatedLikeMosquitto_data();
    void aclEvaluatedLikeMosquitto();
    void reportsHoldNoSecret();
    void pahoEvidenceSaysWhereTheVersionCameFrom_data();
    void pahoEvidenceSaysWhereTheVersionCameFrom();

private:
    QStringList m_rowsFor;
};

void TestDiagnosisRules::healthyFactsPassEveryRule()
{
    const QList<Finding> findings = Rules::run(healthy());
    QCOMPARE(findings.size(), Rules::catalogue().size());
    for (qsizetype i = 0; i < findings.size(); ++i) {
        QCOMPARE(findings.at(i).id, Rules::catalogue().at(i));
        QVERIFY2(findings.at(i).severity == Severity::Pass, qPrintable(describe(findings)));
    }
}

void TestDiagnosisRules::oneCausePerRow_data()
{
    QTest::addColumn<Edit>("edit");
    QTest::addColumn<QString>("finding");
    QTest::addColumn<int>("severity");
    QTest::addColumn<QStringList>("consequences"); // failures that follow from the cause

    const int fail = int(Severity::Fail);
    const int warn = int(Severity::Warn);
    const QString live = QStringLiteral("live-check");
    const QString down = QStringLiteral("broker-not-running");
    auto row = [&](const char *name, const char *finding, int severity, Edit edit,
                   QStringList consequences = {}) {
        QTest::newRow(name) << edit << QString::fromLatin1(finding) << severity << consequences;
    };
    auto brokerDown = [](DiagnosisInput &in, const QByteArray &error) {
        in.facts.services[QStringLiteral("mosquitto")] = QStringLiteral("failed");
        in.facts.listeningPorts.clear(); // a broker that is down listens nowhere
        appendLog(in, "log.mosquitto",
                  "1795630300: mosquitto version 2.0.11 starting\n1795630300: " + error + '\n');
        failLive(in, LiveCheck::Failure::TcpRefused, LiveCheck::Layer::Tcp);
    };

    row("locale set but not generated", "locale-invalid", warn, [](DiagnosisInput &in) {
        in.facts.locale.valid = false;
        in.facts.locale.errors = "locale: Cannot set LC_CTYPE to default locale: No such file\n";
    });
    row("acl_file names a missing file", "acl-file-missing", fail,
        [=](DiagnosisInput &in) {
            FileFacts &f = file(in, kAcl);
            f.exists = false;
            f.error = QStringLiteral("missing");
            f.content.clear();
            brokerDown(in, "Error: Unable to open acl_file \"/etc/mosquitto/acl\".");
        },
        {down, live});
    row("password_file names a missing file", "password-file-missing", fail,
        [=](DiagnosisInput &in) {
            FileFacts &f = file(in, kPasswd);
            f.exists = false;
            f.error = QStringLiteral("missing");
            f.content.clear();
            brokerDown(in, "Error: Unable to open pwfile \"/etc/mosquitto/passwd\".");
        },
        {down, live});
    row("password file holds a plain-text line", "password-file-plaintext", fail,
        [](DiagnosisInput &in) { file(in, kPasswd).content += "someone:plaintext\n"; });
    row("password file holds a malformed line", "password-file-malformed", fail,
        [](DiagnosisInput &in) {
            file(in, kPasswd).content += "someone:$7$101$c2hvcnQ=$c2hvcnQ=\n";
        });
    row("web user's password does not verify", "web-password-mismatch", fail,
        [](DiagnosisInput &in) {
            setExtra(in, QStringLiteral("mqtt_websockets_password"), QStringLiteral("wrong-pw"));
            failLive(in, LiveCheck::Failure::ConnackNotAuthorised,
                     LiveCheck::Layer::Authentication);
        },
        {live});
    row("acl file root:root 0600", "acl-file-unreadable", fail,
        [=](DiagnosisInput &in) {
            FileFacts &f = file(in, kAcl);
            f.owner = f.group = QStringLiteral("root");
            brokerDown(in, "Error: Unable to open acl_file \"/etc/mosquitto/acl\".");
        },
        {down, live});
    row("password file root:root 0600", "password-file-unreadable", fail,
        [=](DiagnosisInput &in) {
            FileFacts &f = file(in, kPasswd);
            f.owner = f.group = QStringLiteral("root");
            brokerDown(in, "Error: Unable to open pwfile \"/etc/mosquitto/passwd\".");
        },
        {down, live});
    row("acl file with a tab-separated line", "acl-file-invalid", fail,
        [=](DiagnosisInput &in) {
            file(in, kAcl).content += "topic\tread\tfoo/#\n";
            brokerDown(in, "Error: Invalid line in acl_file");
        },
        {down, live});
    row("password_file set twice", "security-option-duplicated", fail,
        [=](DiagnosisInput &in) {
            file(in, kListener).content += "password_file /etc/mosquitto/passwd\n";
            brokerDown(in, "Error: Duplicate password_file value in configuration.");
        },
        {down, live});
    row("no websockets listener", "no-websockets-listener", fail,
        [](DiagnosisInput &in) {
            replaceIn(in, kListener, "listener 51253\nprotocol websockets", "");
            failLive(in, LiveCheck::Failure::NotWebSocket, LiveCheck::Layer::WebSocket);
        },
        {live});
    row("no plain mqtt listener (websockets alone)", "no-mqtt-listener", fail,
        [=](DiagnosisInput &in) {
            replaceIn(in, kListener, "listener 53503\nprotocol mqtt\n", "");
            brokerDown(in, "Error: Unable to start any listening sockets, exiting.");
        },
        {down, live});
    row("broker not running", "broker-not-running", fail,
        [=](DiagnosisInput &in) { brokerDown(in, "Error: something went wrong."); }, {live});
    row("broker runs with a config older than its files", "broker-config-stale", warn,
        [](DiagnosisInput &in) { file(in, kAcl).mtime = 1795630196 + 60; });
    row("two listeners on one port", "listener-port-duplicated", fail,
        [=](DiagnosisInput &in) {
            replaceIn(in, kListener, "listener 51253", "listener 53503");
            brokerDown(in, "Error: Address already in use");
        },
        {down, live, QStringLiteral("page-port-no-listener")});
    row("another program holds the websockets port", "listener-port-in-use", fail,
        [=](DiagnosisInput &in) {
            brokerDown(in, "Error: Unable to create websockets listener on port 51253.");
            in.facts.listeningPorts.append({QStringLiteral("*"), 51253});
            failLive(in, LiveCheck::Failure::NoConnack, LiveCheck::Layer::Mqtt);
        },
        {down, live});
    row("anonymous off, page without credentials", "anonymous-page-refused", fail,
        [](DiagnosisInput &in) {
            setExtra(in, QStringLiteral("mqtt_websockets_username"), QString());
            setExtra(in, QStringLiteral("mqtt_websockets_password"), QString());
            failLive(in, LiveCheck::Failure::ConnackNotAuthorised,
                     LiveCheck::Layer::Authentication);
            in.live.user.clear();
        },
        {live});
    row("web user's ACL does not allow the page's topic", "web-acl-denies-page-topic", fail,
        [](DiagnosisInput &in) {
            replaceIn(in, kAcl, "user belchertown\ntopic read weather/loop",
                      "user belchertown\ntopic read other/loop");
            failLive(in, LiveCheck::Failure::NoMessage, LiveCheck::Layer::Publishing);
        },
        {live});
    row("page topic without /loop", "page-topic-not-loop", fail,
        [](DiagnosisInput &in) {
            setExtra(in, QStringLiteral("mqtt_websockets_topic"), QStringLiteral("weather"));
            regeneratePage(in, QStringLiteral("127.0.0.1"), QStringLiteral("51253"),
                           QStringLiteral("weather"));
            failLive(in, LiveCheck::Failure::NoMessage, LiveCheck::Layer::Publishing);
        },
        {live, QStringLiteral("web-acl-denies-page-topic")});
    row("page port is the plain MQTT port", "page-port-is-mqtt-port", fail,
        [](DiagnosisInput &in) {
            setExtra(in, QStringLiteral("mqtt_websockets_port"), QStringLiteral("53503"));
            regeneratePage(in, QStringLiteral("127.0.0.1"), QStringLiteral("53503"),
                           QStringLiteral("weather/loop"));
            failLive(in, LiveCheck::Failure::NotWebSocket, LiveCheck::Layer::WebSocket);
        },
        {live});
    row("page host empty", "page-host-empty", fail, [](DiagnosisInput &in) {
        setExtra(in, QStringLiteral("mqtt_websockets_host"), QString());
        regeneratePage(in, QString(), QStringLiteral("51253"), QStringLiteral("weather/loop"));
        in.live = {};
        in.live.notRunReason = QStringLiteral("The page's host is empty.");
    });
    row("page host localhost, Pi elsewhere", "page-host-localhost", fail, [](DiagnosisInput &in) {
        in.sshHost = QStringLiteral("weatherpi.lan");
        setExtra(in, QStringLiteral("mqtt_websockets_host"), QStringLiteral("localhost"));
        regeneratePage(in, QStringLiteral("localhost"), QStringLiteral("51253"),
                       QStringLiteral("weather/loop"));
    });
    row("page host does not resolve", "page-host-unresolved", fail,
        [](DiagnosisInput &in) {
            setExtra(in, QStringLiteral("mqtt_websockets_host"), QStringLiteral("nowhere.invalid"));
            regeneratePage(in, QStringLiteral("nowhere.invalid"), QStringLiteral("51253"),
                           QStringLiteral("weather/loop"));
            failLive(in, LiveCheck::Failure::NameNotResolved, LiveCheck::Layer::Dns);
        },
        {live});
    row("page host does not reach the broker", "page-host-unreachable", fail,
        [](DiagnosisInput &in) {
            failLive(in, LiveCheck::Failure::TcpTimeout, LiveCheck::Layer::Tcp);
        },
        {live});
    row("server_url host and page host disagree", "server-url-host-mismatch", warn,
        [](DiagnosisInput &in) {
            setWeewx(in, kMqtt, QStringLiteral("server_url"),
                     wmw::config::ConfValue::fromString(
                             QStringLiteral("mqtt://weewx:pub-Secret-4711@192.168.1.20:53503/")));
        });
    row("mqtt_websockets_enabled = true", "websockets-enabled-not-1", fail, [](DiagnosisInput &in) {
        setExtra(in, QStringLiteral("mqtt_websockets_enabled"), QStringLiteral("true"));
    });
    row("weewx-mqtt not installed", "weewx-mqtt-not-installed", fail, [](DiagnosisInput &in) {
        in.facts.weewx.extensions.removeAll(QStringLiteral("mqtt"));
        in.facts.weewx.extensionListOutput.replace("mqtt", "");
    });
    row("weewx-mqtt not in the services", "weewx-mqtt-not-in-services", fail,
        [](DiagnosisInput &in) {
            setWeewx(in, {QStringLiteral("Engine"), QStringLiteral("Services")},
                     QStringLiteral("restful_services"),
                     wmw::config::ConfValue::fromList({QStringLiteral("weewx.restx.StdCWOP")}));
            failLive(in, LiveCheck::Failure::NoMessage, LiveCheck::Layer::Publishing);
        },
        {live});
    row("binding lacks loop", "binding-lacks-loop", fail,
        [](DiagnosisInput &in) {
            setWeewx(in, kMqtt, QStringLiteral("binding"),
                     wmw::config::ConfValue::fromString(QStringLiteral("archive")));
            failLive(in, LiveCheck::Failure::ArchiveOnly, LiveCheck::Layer::Publishing);
        },
        {live});
    row("aggregation written as a list", "aggregation-is-list", fail, [](DiagnosisInput &in) {
        setWeewx(in, kMqtt, QStringLiteral("aggregation"),
                 wmw::config::ConfValue::fromList(
                         {QStringLiteral("individual"), QStringLiteral("aggregate")}));
    });
    row("server_url without a port", "server-url-no-port", fail, [](DiagnosisInput &in) {
        setWeewx(in, kMqtt, QStringLiteral("server_url"),
                 wmw::config::ConfValue::fromString(
                         QStringLiteral("mqtt://weewx:pub-Secret-4711@127.0.0.1/")));
    });
    row("server_url with a character urlparse cannot take", "server-url-unparseable", fail,
        [](DiagnosisInput &in) {
            setWeewx(in, kMqtt, QStringLiteral("server_url"),
                     wmw::config::ConfValue::fromString(
                             QStringLiteral("mqtt://weewx:pub/Secret@127.0.0.1:53503/")));
        },
        {QStringLiteral("publish-credentials-rejected")});
    row("paho-mqtt 2.0 on the Pi", "paho-mqtt-incompatible", fail,
        [](DiagnosisInput &in) { in.facts.pahoVersion = QStringLiteral("2.0.0"); });
    row("weewx not running", "weewx-not-running", fail,
        [](DiagnosisInput &in) {
            in.facts.services[QStringLiteral("weewx")] = QStringLiteral("inactive");
            failLive(in, LiveCheck::Failure::NoMessage, LiveCheck::Layer::Publishing);
        },
        {live});
    row("publishes fail though Published record is logged", "weewx-publish-failing", fail,
        [](DiagnosisInput &in) {
            appendLog(in, "journal.weewx",
                      "Nov 25 18:10:00 raspberrypi weewxd[9]: ERROR user.mqtt: publish failed "
                      "for weather/loop: The client is not currently connected.\n"
                      "Nov 25 18:10:00 raspberrypi weewxd[9]: INFO weewx.restx: MQTT: Published "
                      "record 2026-11-25 18:10:00 UTC (1795630200)\n");
            failLive(in, LiveCheck::Failure::NoMessage, LiveCheck::Layer::Publishing);
        },
        {live});
    row("weewx-mqtt's password rejected by the broker", "publish-credentials-rejected", fail,
        [](DiagnosisInput &in) {
            setWeewx(in, kMqtt, QStringLiteral("server_url"),
                     wmw::config::ConfValue::fromString(
                             QStringLiteral("mqtt://weewx:wrong@127.0.0.1:53503/")));
            failLive(in, LiveCheck::Failure::NoMessage, LiveCheck::Layer::Publishing);
        },
        {live});
    row("anonymous page, ACL gives anonymous nothing", "anonymous-acl-denies-page-topic", fail,
        [](DiagnosisInput &in) {
            replaceIn(in, kListener, "allow_anonymous false", "allow_anonymous true");
            setExtra(in, QStringLiteral("mqtt_websockets_username"), QString());
            setExtra(in, QStringLiteral("mqtt_websockets_password"), QString());
            failLive(in, LiveCheck::Failure::NoMessage, LiveCheck::Layer::Publishing);
            in.live.user.clear();
        },
        {live});
    row("page not regenerated since the settings changed", "page-stale", fail,
        [](DiagnosisInput &in) {
            setExtra(in, QStringLiteral("mqtt_websockets_port"), QStringLiteral("9001"));
            replaceIn(in, kListener, "listener 51253", "listener 9001");
            in.live.url = QStringLiteral("ws://127.0.0.1:9001/mqtt");
        });
    row("weewx-mqtt switched off (enable = false)", "weewx-mqtt-disabled", fail,
        [](DiagnosisInput &in) {
            setWeewx(in, kMqtt, QStringLiteral("enable"),
                     wmw::config::ConfValue::fromString(QStringLiteral("false")));
            failLive(in, LiveCheck::Failure::NoMessage, LiveCheck::Layer::Publishing);
        },
        {live});
    row("server_url still the installer's placeholder", "server-url-placeholder", fail,
        [](DiagnosisInput &in) {
            setWeewx(in, kMqtt, QStringLiteral("server_url"),
                     wmw::config::ConfValue::fromString(QStringLiteral("INSERT_SERVER_URL_HERE")));
            failLive(in, LiveCheck::Failure::NoMessage, LiveCheck::Layer::Publishing);
        },
        {live});
    row("aggregation individual only: no JSON on <topic>/loop", "aggregation-lacks-aggregate", fail,
        [](DiagnosisInput &in) {
            setWeewx(in, kMqtt, QStringLiteral("aggregation"),
                     wmw::config::ConfValue::fromString(QStringLiteral("individual")));
            failLive(in, LiveCheck::Failure::NoMessage, LiveCheck::Layer::Publishing);
        },
        {live});
    row("the ACL lets the publishing user only read", "publish-acl-denies-write", fail,
        [](DiagnosisInput &in) {
            replaceIn(in, kAcl, "user weewx\ntopic readwrite weather/#",
                      "user weewx\ntopic read weather/#");
            failLive(in, LiveCheck::Failure::NoMessage, LiveCheck::Layer::Publishing);
        },
        {live});
    row("page port where no listener is", "page-port-no-listener", fail,
        [](DiagnosisInput &in) {
            setExtra(in, QStringLiteral("mqtt_websockets_port"), QStringLiteral("9999"));
            regeneratePage(in, QStringLiteral("127.0.0.1"), QStringLiteral("9999"),
                           QStringLiteral("weather/loop"));
            in.live.url = QStringLiteral("ws://127.0.0.1:9999/mqtt");
            failLive(in, LiveCheck::Failure::TcpRefused, LiveCheck::Layer::Tcp);
        },
        {live});
    row("https page while mqtt_websockets_ssl is 0", "page-https-ws-plain", fail,
        [](DiagnosisInput &in) { in.pageUrl = QStringLiteral("https://wx.example.com/"); });
    row("weewx.conf does not parse", "weewx-conf-invalid", fail,
        [](DiagnosisInput &in) {
            file(in, kWeewxConf).content += "\n[[[Broken]]\n";
            in.facts.services[QStringLiteral("weewx")] = QStringLiteral("failed");
            in.live = {};
            in.live.notRunReason = QStringLiteral("weewx.conf unreadable");
        },
        {QStringLiteral("weewx-not-running")});
}

void TestDiagnosisRules::oneCausePerRow()
{
    QFETCH(Edit, edit);
    QFETCH(QString, finding);
    QFETCH(int, severity);
    QFETCH(QStringList, consequences);

    DiagnosisInput in = healthy();
    edit(in);
    if (QTest::currentTestFailed())
        return;
    m_rowsFor << finding;
    const QList<Finding> findings = Rules::run(in);
    const QString all = describe(findings);
    bool found = false;
    for (const Finding &f : findings) {
        if (f.id == finding) {
            found = true;
            QVERIFY2(int(f.severity) == severity, qPrintable(all));
            QVERIFY2(!f.evidence.isEmpty(), qPrintable(f.id));
            QVERIFY2(!f.fix.isEmpty(), qPrintable(f.id));
        } else if (f.severity == Severity::Fail || f.severity == Severity::Warn) {
            QVERIFY2(consequences.contains(f.id), qPrintable(u"unrelated " + f.id + u"\n" + all));
        }
    }
    QVERIFY(found);
}

void TestDiagnosisRules::everyCauseOfTheCatalogueHasARow()
{
    // oneCausePerRow ran before this function (Qt Test keeps the declaration order) and noted
    // each finding it made fail or warn: every rule but the live check itself needs one.
    QStringList missing;
    for (const QString &id : Rules::catalogue()) {
        if (id != u"live-check" && !m_rowsFor.contains(id))
            missing << id;
    }
    QVERIFY2(missing.isEmpty(), qPrintable(u"rules without a row: " + missing.join(u", ")));
}

void TestDiagnosisRules::serverUrlReadLikeUrlparse_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port"); // -1: none
    QTest::addColumn<bool>("broken");

    QTest::newRow("the usual") << "mqtt://u:p@localhost:1883/"
                               << "localhost" << 1883 << false;
    QTest::newRow("no port") << "mqtt://u:p@localhost/"
                             << "localhost" << -1 << false;
    QTest::newRow("@ in the password: the last @ counts") << "mqtt://u:p@ss@Host:1883/"
                                                          << "host" << 1883 << false;
    QTest::newRow("/ in the password cuts the address") << "mqtt://u:pa/ss@host:1883/"
                                                        << "u" << -1 << true;
    QTest::newRow("IPv6") << "mqtt://u:p@[::1]:1883/"
                          << "::1" << 1883 << false;
}

void TestDiagnosisRules::serverUrlReadLikeUrlparse()
{
    QFETCH(QString, url);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(bool, broken);
    const ServerUrl u = ServerUrl::parse(url);
    QCOMPARE(u.host, host);
    QCOMPARE(u.port.value_or(-1), port);
    QCOMPARE(u.brokenByCharacter || u.portInvalid, broken);
}

void TestDiagnosisRules::aclEvaluatedLikeMosquitto_data()
{
    QTest::addColumn<QByteArray>("acl");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("topic");
    QTest::addColumn<bool>("write");
    QTest::addColumn<bool>("allowed");

    const QByteArray manual = "topic read $SYS/#\n\nuser weemqtt\ntopic weewx/#\n"
                              "topic weather/#\n\npattern write $SYS/broker/connection/%c/state\n";
    QTest::newRow("manual: user reads weather/loop") << manual << "weemqtt"
                                                     << "weather/loop" << false << true;
    QTest::newRow("manual: lines before user are anonymous only")
            << manual << "weemqtt"
            << "$SYS/broker/version" << false << false;
    QTest::newRow("manual: anonymous gets nothing on weather/loop")
            << manual << ""
            << "weather/loop" << false << false;
    QTest::newRow("read-only web user cannot write")
            << QByteArray("user web\ntopic read weather/loop\n") << "web"
            << "weather/loop" << true << false;
    QTest::newRow("deny wins over a broader allow")
            << QByteArray("user a\ntopic house/#\ntopic deny house/secret\n") << "a"
            << "house/secret" << false << false;
    QTest::newRow("%u pattern") << QByteArray("pattern read users/%u/#\n") << "bob"
                                << "users/bob/x" << false << true;
}

void TestDiagnosisRules::aclEvaluatedLikeMosquitto()
{
    QFETCH(QByteArray, acl);
    QFETCH(QString, user);
    QFETCH(QString, topic);
    QFETCH(bool, write);
    QFETCH(bool, allowed);
    const auto parsed = wmw::config::AclFile::parse(acl);
    QVERIFY2(parsed.ok(), qPrintable(parsed.errorString));
    QCOMPARE(Rules::aclAllows(parsed.file, user, topic, write), allowed);
}

void TestDiagnosisRules::reportsHoldNoSecret()
{
    DiagnosisInput in = healthy();
    // A failing case, so evidence quotes the password file and server_url lines.
    setExtra(in, QStringLiteral("mqtt_websockets_password"), QStringLiteral("wrong-pw-123"));
    file(in, kPasswd).content += "someone:plaintext-secret\n";
    DiagnosisReport report;
    report.host = in.sshHost;
    report.findings = Rules::run(in);
    report.live = in.live;
    report.secrets = {QStringLiteral("wrong-pw-123"), kPubPassword};
    const QByteArray md = ReportWriter::markdown(report);
    const QByteArray html = ReportWriter::html(report);
    const QByteArray json = QJsonDocument(ReportWriter::json(report)).toJson();
    for (const QByteArray &out : {md, html, json}) {
        QVERIFY(!out.contains("wrong-pw-123"));
        QVERIFY(!out.contains(kPubPassword.toUtf8()));
        QVERIFY(!out.contains(kWebPassword.toUtf8()));
        QVERIFY(!out.contains("plaintext-secret"));
        QVERIFY(!QString::fromUtf8(out).contains(QRegularExpression(QStringLiteral("\\$7\\$\\d"))));
        QVERIFY(out.contains("web-password-mismatch"));
    }
    QVERIFY(html.startsWith("<!DOCTYPE html>"));
    QCOMPARE(QJsonDocument::fromJson(json).object().value(QStringLiteral("verdict")).toString(),
             QStringLiteral("fail"));
}

void TestDiagnosisRules::pahoEvidenceSaysWhereTheVersionCameFrom_data()
{
    QTest::addColumn<QString>("version");
    QTest::addColumn<QString>("source"); // as the probe says it (paho.source)
    QTest::addColumn<int>("kind"); // Evidence::Kind
    QTest::addColumn<QString>("evidenceSource");
    const QString python =
            QStringLiteral("python3 -c 'import paho.mqtt; print(paho.mqtt.__version__)'");
    const QString pip =
            QStringLiteral("/usr/local/lib/python3.11/dist-packages/paho_mqtt-2.0.0.dist-info");
    QTest::newRow("read from pip's metadata folder: that folder")
            << QStringLiteral("2.0.0") << pip << int(Evidence::Kind::File) << pip;
    QTest::newRow("asked python3: the command")
            << QStringLiteral("2.0.0") << QStringLiteral("python3") << int(Evidence::Kind::Command)
            << python;
    QTest::newRow("no paho-mqtt: the command python3 failed")
            << QString() << QString() << int(Evidence::Kind::Command) << python;
}

void TestDiagnosisRules::pahoEvidenceSaysWhereTheVersionCameFrom()
{
    QFETCH(QString, version);
    QFETCH(QString, source);
    QFETCH(int, kind);
    QFETCH(QString, evidenceSource);
    DiagnosisInput in = healthy();
    in.facts.pahoVersion = version;
    in.facts.pahoSource = source;
    const QList<Finding> findings = Rules::run(in);
    const auto paho = std::find_if(findings.cbegin(), findings.cend(), [](const Finding &f) {
        return f.id == u"paho-mqtt-incompatible";
    });
    QVERIFY(paho != findings.cend());
    QCOMPARE(paho->severity, Severity::Fail);
    QCOMPARE(paho->evidence.size(), 1);
    QCOMPARE(int(paho->evidence.first().kind), kind);
    QCOMPARE(paho->evidence.first().source, evidenceSource);
    QCOMPARE(paho->evidence.first().text,
             version.isEmpty() ? QStringLiteral("(no paho-mqtt)") : version);
}

QTEST_GUILESS_MAIN(TestDiagnosisRules)
#include "tst_diagnosisrules.moc"
