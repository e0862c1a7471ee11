// SPDX-License-Identifier: GPL-3.0-or-later
// Every cause of the diagnosis catalogue end to end: ONE simulated Pi, provisioned healthy,
// gets one small named edit per row (as a user would make it, then restarts what the edit
// needs), the Diagnoser runs over real SSH against the real mosquitto and the WeeWX stand-in,
// and the row expects its finding and only the failures that follow from it. The healthy
// files are written back between rows, so one Pi serves all rows. The causes that are also
// named faults of the simulated Pi are in tst_diagnosissimpi; the rules on recorded facts
// (same edits, same consequences) are in tst_diagnosisrules.

#include "diagnosisfixture.h"

#include <QDateTime>
#include <QTcpServer>
#include <QtTest>

#include <functional>
#include <memory>

using namespace wmw::diagnosis;
using wmw::config::ConfValue;
using wmw::test::SimulatedPi;

namespace {

const QString kPage = QStringLiteral("/var/www/html/weewx/belchertown/js/belchertown.js");
const QString kUserDir = QStringLiteral("/etc/weewx/bin/user");
const QStringList kExtras{QStringLiteral("StdReport"), QStringLiteral("Belchertown"),
                          QStringLiteral("Extras")};
const QStringList kMqtt{QStringLiteral("StdRESTful"), QStringLiteral("MQTT")};

// Causes with a named fault of the simulated Pi: their rows are in tst_diagnosissimpi.
const QStringList kCoveredByFaults{
        QStringLiteral("no-websockets-listener"),  QStringLiteral("broker-not-running"),
        QStringLiteral("weewx-not-running"),       QStringLiteral("acl-file-missing"),
        QStringLiteral("password-file-plaintext"), QStringLiteral("password-file-unreadable"),
        QStringLiteral("locale-invalid"),          QStringLiteral("listener-port-in-use"),
        QStringLiteral("weewx-conf-invalid")};
// Causes the simulated Pi cannot hold, with the reason:
// - page-host-localhost: the simulated Pi is reached on loopback, so it IS this computer and
//   localhost is right for it (the rule passes on purpose); it needs a Pi at another address.
const QStringList kNotOnSimulatedPi{QStringLiteral("page-host-localhost")};

// paho-mqtt 2.0 as weewx-mqtt 0.24 meets it: the version the probe reads, and a Client whose
// first argument became callback_api_version, so `mqtt.Client(client_id=...)` raises. Where
// `pip install paho-mqtt==2.0.0` puts it, with its metadata: /usr/local/lib/python3.X/
// dist-packages, before Debian's 1.6.1. On a tmpfs over /usr/local/lib in the Pi's private
// mount namespace only.
const QByteArray kPaho2 = R"SH(set -e
mountpoint -q /usr/local/lib || mount -t tmpfs -o mode=0755 simpi-paho2 /usr/local/lib
d=/usr/local/lib/$(/usr/bin/python3 -c 'import sys; print("python%d.%d" % sys.version_info[:2])')/dist-packages
p=$d/paho
mkdir -p "$p/mqtt" "$d/paho_mqtt-2.0.0.dist-info"
: >"$p/__init__.py"
echo '__version__ = "2.0.0"' >"$p/mqtt/__init__.py"
cat >"$p/mqtt/client.py" <<'PY'
MQTT_ERR_SUCCESS = 0


class CallbackAPIVersion:
    VERSION1 = 1
    VERSION2 = 2


def error_string(rc):
    return "error %d" % rc


class Client:
    def __init__(self, callback_api_version, client_id="", *args, **kwargs):
        if callback_api_version not in (1, 2):
            raise ValueError("Unsupported callback API version: version 2.0 added a "
                             "callback_api_version, see docs/migrations.rst for details")
PY
)SH";

// Undoes what the rows did outside the four files: the paho shim, a removed weewx-mqtt.
const QByteArray kUndo = R"SH(
while mountpoint -q /usr/local/lib; do umount /usr/local/lib; done
if [ ! -e /etc/weewx/bin/user/mqtt.py ]; then
    cd /tmp && weectl extension install weewx-mqtt.zip -y >/dev/null
fi
)SH";

struct HealthyFile
{
    QString path;
    QByteArray content;
    QString owner;
    QString mode;
};

quint16 freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost);
    return server.serverPort();
}

} // namespace

/// What a row may do to the Pi; a failed step fails the row (Qt Test's QVERIFY in helpers).
class PiEdit
{
public:
    PiEdit(const SimulatedPi &pi, const wmw::test::Station &station)
        : m_pi(pi)
        , m_station(station)
    { }

    const wmw::config::StationProfile &profile() const { return m_station.profile; }
    QByteArray mqttPort() const { return QByteArray::number(profile().mqttPort); }
    QByteArray wsPort() const { return QByteArray::number(profile().websocketPort); }

    void replaceIn(const QString &path, const QByteArray &from, const QByteArray &to) const
    {
        bool ok = false;
        QByteArray content = m_pi.readFile(path, &ok);
        QVERIFY2(ok, qPrintable(path));
        QVERIFY2(content.contains(from), qPrintable(path + u": no " + QString::fromUtf8(from)));
        content.replace(from, to);
        QVERIFY2(m_pi.writeFile(path, content), qPrintable(path));
    }
    void append(const QString &path, const QByteArray &text) const
    {
        bool ok = false;
        const QByteArray content = m_pi.readFile(path, &ok);
        QVERIFY2(ok, qPrintable(path));
        QVERIFY2(m_pi.writeFile(path, content + text), qPrintable(path));
    }
    void setWeewx(const QStringList &section, const QString &key, const ConfValue &value) const
    {
        const QString path = profile().weewxConfPath;
        bool ok = false;
        const QByteArray bytes = m_pi.readFile(path, &ok);
        QVERIFY2(ok, qPrintable(path));
        wmw::config::WeewxConfStatus status;
        wmw::config::WeewxConf conf = wmw::config::WeewxConf::parse(bytes, &status);
        QVERIFY2(status.ok(), qPrintable(status.message));
        QVERIFY2(conf.setValue(section, key, value).ok(), qPrintable(key));
        QVERIFY2(m_pi.writeFile(path, conf.toBytes()), qPrintable(path));
    }
    void setExtra(const QString &key, const QString &value) const
    {
        setWeewx(kExtras, key, ConfValue::fromString(value));
    }
    void setMqtt(const QString &key, const QString &value) const
    {
        setWeewx(kMqtt, key, ConfValue::fromString(value));
    }
    void run(const QStringList &command, const QByteArray &input = {}) const
    {
        const SimulatedPi::Result r = m_pi.exec(command, input);
        QVERIFY2(r.ok(), qPrintable(command.join(u' ') + u": " + QString::fromUtf8(r.err)));
    }
    void shell(const QByteArray &script) const
    {
        run({QStringLiteral("/bin/sh"), QStringLiteral("-s")}, script);
    }
    /// Restarts the broker; a broker the edit keeps from starting is part of the cause.
    void restartMosquitto() const
    {
        m_pi.exec({QStringLiteral("systemctl"), QStringLiteral("restart"),
                   QStringLiteral("mosquitto")});
    }
    /// Restarts weewx and waits until the page is regenerated from the edited weewx.conf, as
    /// it is at weewxd's start (so the page is not stale by accident).
    void restartWeewx() const
    {
        run({QStringLiteral("rm"), QStringLiteral("-f"), kPage});
        run({QStringLiteral("systemctl"), QStringLiteral("restart"), QStringLiteral("weewx")});
        QVERIFY2(QTest::qWaitFor([&]() { return m_pi.readFile(kPage).contains("Paho.Client"); },
                                 20000),
                 "the page was not regenerated");
    }
    /// Restarts the broker that stays up, then weewx: a broker restart under a running
    /// weewx-mqtt makes it log "publish failed" for the packets of that moment, which is not
    /// the row's cause (users restart both, as provisioning does).
    void restartBoth() const
    {
        restartMosquitto();
        restartWeewx();
    }
    /// Restarts weewx when it is expected to die at start (no page then).
    void restartWeewxNoPage() const
    {
        m_pi.exec(
                {QStringLiteral("systemctl"), QStringLiteral("restart"), QStringLiteral("weewx")});
    }

private:
    const SimulatedPi &m_pi;
    const wmw::test::Station &m_station;
};

using Edit = std::function<void(const PiEdit &)>;
Q_DECLARE_METATYPE(Edit)

class TestDiagnosisCauses : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void causeYieldsItsFinding_data();
    void causeYieldsItsFinding();
    void everyCauseOfTheCatalogueHasARow();

private:
    bool restoreHealthy(QString *error);

    std::unique_ptr<SimulatedPi> m_pi;
    wmw::test::Station m_station;
    QList<HealthyFile> m_healthy;
    bool m_dirty = false;
    QStringList m_rowsFor;
};

void TestDiagnosisCauses::initTestCase()
{
    if (const QString why = SimulatedPi::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    m_pi = std::make_unique<SimulatedPi>();
    QString error;
    QVERIFY2(m_pi->start(&error), qPrintable(error));
    m_station = wmw::test::healthyStation(*m_pi);
    QVERIFY2(wmw::test::provision(*m_pi, m_station, &error), qPrintable(error));
    const wmw::config::StationProfile &p = m_station.profile;
    const QString mosquitto = QStringLiteral("mosquitto:mosquitto");
    const QString rw = QStringLiteral("0600");
    for (const HealthyFile &f :
         {HealthyFile{p.aclFilePath, {}, mosquitto, rw},
          HealthyFile{p.passwordFilePath, {}, mosquitto, rw},
          HealthyFile{p.listenerConfPath, {}, QStringLiteral("root:root"), QStringLiteral("0644")},
          HealthyFile{
                  p.weewxConfPath, {}, QStringLiteral("weewx:weewx"), QStringLiteral("0660")}}) {
        bool ok = false;
        HealthyFile copy = f;
        copy.content = m_pi->readFile(f.path, &ok);
        QVERIFY2(ok, qPrintable(f.path));
        m_healthy.append(copy);
    }
}

bool TestDiagnosisCauses::restoreHealthy(QString *error)
{
    if (!m_pi->exec({QStringLiteral("/bin/sh"), QStringLiteral("-s")}, kUndo).ok()) {
        *error = QStringLiteral("undoing the row's edit failed");
        return false;
    }
    for (const HealthyFile &f : std::as_const(m_healthy)) {
        if (!m_pi->writeFile(f.path, f.content, f.owner, f.mode)) {
            *error = QStringLiteral("restoring %1 failed").arg(f.path);
            return false;
        }
    }
    m_pi->exec({QStringLiteral("rm"), QStringLiteral("-f"), kPage});
    for (const char *service : {"mosquitto", "weewx"}) {
        const SimulatedPi::Result r = m_pi->exec(
                {QStringLiteral("systemctl"), QStringLiteral("restart"), QLatin1String(service)});
        if (!r.ok()) {
            *error = QStringLiteral("restart %1: %2")
                             .arg(QLatin1String(service), QString::fromUtf8(r.err));
            return false;
        }
    }
    const QByteArray port = ", " + QByteArray::number(m_station.profile.pagePort()) + ',';
    if (!QTest::qWaitFor([&]() { return m_pi->readFile(kPage).contains(port); }, 20000)) {
        *error = QStringLiteral("the page was not regenerated");
        return false;
    }
    return true;
}

void TestDiagnosisCauses::init()
{
    if (!m_dirty)
        return;
    QString error;
    QVERIFY2(restoreHealthy(&error), qPrintable(error));
    m_dirty = false;
}

void TestDiagnosisCauses::causeYieldsItsFinding_data()
{
    QTest::addColumn<Edit>("edit");
    QTest::addColumn<QString>("pageUrl");
    QTest::addColumn<QString>("finding");
    QTest::addColumn<int>("severity");
    QTest::addColumn<QStringList>("consequences"); // failures that follow from the cause

    const int fail = int(Severity::Fail);
    const int warn = int(Severity::Warn);
    const QString live = QStringLiteral("live-check");
    const QString down = QStringLiteral("broker-not-running");
    // weewx-mqtt's thread dies or its publishes fail: the log says so, the page hears nothing.
    const QString publishing = QStringLiteral("weewx-publish-failing");
    const QString http = QStringLiteral("http://127.0.0.1/weewx/belchertown/");
    auto row = [&](const char *name, const char *finding, int severity, Edit edit,
                   QStringList consequences = {}, const QString &pageUrl = {}) {
        QTest::newRow(name) << edit << (pageUrl.isEmpty() ? http : pageUrl)
                            << QString::fromLatin1(finding) << severity << consequences;
    };

    // --- the broker's files -------------------------------------------------------------------
    row("password_file names a missing file", "password-file-missing", fail,
        [](const PiEdit &e) {
            e.run({QStringLiteral("rm"), e.profile().passwordFilePath});
            e.restartMosquitto();
        },
        {down, live});
    row("password file holds a malformed line", "password-file-malformed", fail,
        [](const PiEdit &e) {
            e.append(e.profile().passwordFilePath, "someone:$7$101$c2hvcnQ=$c2hvcnQ=\n");
            e.restartBoth();
        },
        {down, live});
    row("acl file root:root 0600", "acl-file-unreadable", fail,
        [](const PiEdit &e) {
            e.run({QStringLiteral("chown"), QStringLiteral("root:root"), e.profile().aclFilePath});
            e.restartMosquitto();
        },
        {down, live});
    row("acl file with a tab-separated line", "acl-file-invalid", fail,
        [](const PiEdit &e) {
            e.append(e.profile().aclFilePath, "topic\tread\tfoo/#\n");
            e.restartMosquitto();
        },
        {down, live});
    row("password_file set twice", "security-option-duplicated", fail,
        [](const PiEdit &e) {
            e.append(e.profile().listenerConfPath,
                     "password_file " + e.profile().passwordFilePath.toUtf8() + '\n');
            e.restartMosquitto();
        },
        {down, live});
    row("no plain mqtt listener (websockets alone)", "no-mqtt-listener", fail,
        [](const PiEdit &e) {
            e.replaceIn(e.profile().listenerConfPath,
                        "listener " + e.mqttPort() + "\nprotocol mqtt\n", "");
            e.restartMosquitto();
        },
        {down, live, publishing});
    row("two listeners on one port", "listener-port-duplicated", fail,
        [](const PiEdit &e) {
            e.replaceIn(e.profile().listenerConfPath, "listener " + e.wsPort(),
                        "listener " + e.mqttPort());
            e.restartMosquitto();
        },
        {down, live, QStringLiteral("page-port-no-listener")});
    row("acl edited after the broker started", "broker-config-stale", warn, [](const PiEdit &e) {
        // A change within the broker's start second would not count: stamp it later.
        e.run({QStringLiteral("touch"), QStringLiteral("-d"),
               u'@' + QString::number(QDateTime::currentSecsSinceEpoch() + 30),
               e.profile().aclFilePath});
    });
    row("the ACL lets the publishing user only read", "publish-acl-denies-write", fail,
        [](const PiEdit &e) {
            e.replaceIn(e.profile().aclFilePath, "topic readwrite weather/#",
                        "topic read weather/#");
            e.restartBoth();
        },
        {live});
    row("web user's ACL does not allow the page's topic", "web-acl-denies-page-topic", fail,
        [](const PiEdit &e) {
            e.replaceIn(e.profile().aclFilePath, "topic read weather/loop",
                        "topic read other/loop");
            e.restartBoth();
        },
        {live});

    // --- weewx.conf and weewx-mqtt ------------------------------------------------------------
    row("weewx-mqtt removed, still in the services", "weewx-mqtt-not-installed", fail,
        [](const PiEdit &e) {
            e.run({QStringLiteral("rm"), QStringLiteral("-rf"), kUserDir + u"/installer/mqtt",
                   kUserDir + u"/mqtt.py"});
            e.restartWeewxNoPage();
        },
        {QStringLiteral("weewx-not-running"), live});
    row("weewx-mqtt not in the services", "weewx-mqtt-not-in-services", fail,
        [](const PiEdit &e) {
            e.setWeewx({QStringLiteral("Engine"), QStringLiteral("Services")},
                       QStringLiteral("restful_services"),
                       ConfValue::fromList({QStringLiteral("weewx.restx.StdCWOP")}));
            e.restartWeewx();
        },
        {live});
    row("weewx-mqtt switched off (enable = false)", "weewx-mqtt-disabled", fail,
        [](const PiEdit &e) {
            e.setMqtt(QStringLiteral("enable"), QStringLiteral("false"));
            e.restartWeewx();
        },
        {live});
    row("server_url still the installer's placeholder", "server-url-placeholder", fail,
        [](const PiEdit &e) {
            e.setMqtt(QStringLiteral("server_url"), QStringLiteral("INSERT_SERVER_URL_HERE"));
            e.restartWeewx();
        },
        {live, publishing});
    row("server_url without a port", "server-url-no-port", fail,
        [](const PiEdit &e) {
            e.setMqtt(QStringLiteral("server_url"),
                      QStringLiteral("mqtt://weewx:pub-Secret-4711@127.0.0.1/"));
            e.restartWeewx();
        },
        {live, publishing});
    row("server_url with a character urlparse cannot take", "server-url-unparseable", fail,
        [](const PiEdit &e) {
            e.setMqtt(QStringLiteral("server_url"),
                      QStringLiteral("mqtt://weewx:pub/Secret@127.0.0.1:%1/")
                              .arg(e.profile().mqttPort));
            e.restartWeewx();
        },
        {live, publishing, QStringLiteral("publish-credentials-rejected")});
    row("binding = archive", "binding-lacks-loop", fail,
        [](const PiEdit &e) {
            e.setMqtt(QStringLiteral("binding"), QStringLiteral("archive"));
            e.restartWeewx();
        },
        {live});
    row("aggregation written as a list", "aggregation-is-list", fail,
        [](const PiEdit &e) {
            e.setWeewx(kMqtt, QStringLiteral("aggregation"),
                       ConfValue::fromList(
                               {QStringLiteral("individual"), QStringLiteral("aggregate")}));
            e.restartWeewx();
        },
        {live, publishing});
    row("aggregation individual only", "aggregation-lacks-aggregate", fail,
        [](const PiEdit &e) {
            e.setMqtt(QStringLiteral("aggregation"), QStringLiteral("individual"));
            e.restartWeewx();
        },
        {live});
    row("paho-mqtt 2.0 on the Pi", "paho-mqtt-incompatible", fail,
        [](const PiEdit &e) {
            e.shell(kPaho2);
            e.restartWeewx();
        },
        {live, publishing});
    row("weewx-mqtt's password rejected by the broker", "publish-credentials-rejected", fail,
        [](const PiEdit &e) {
            e.setMqtt(QStringLiteral("server_url"),
                      QStringLiteral("mqtt://weewx:wrong@127.0.0.1:%1/").arg(e.profile().mqttPort));
            e.restartWeewx();
        },
        {live, publishing});
    row("server_url port where no broker listens", "weewx-publish-failing", fail,
        [](const PiEdit &e) {
            // Nothing else explains it: weewx-mqtt logs "Failed to connect" and, with
            // log_success, still "Published record" for the same packets.
            e.setMqtt(QStringLiteral("server_url"),
                      QStringLiteral("mqtt://weewx:pub-Secret-4711@127.0.0.1:%1/").arg(freePort()));
            e.restartWeewx();
        },
        {live});
    row("server_url host and page host disagree", "server-url-host-mismatch", warn,
        [](const PiEdit &e) {
            // A name under .invalid never resolves (RFC 6761): another broker than the page's,
            // and no packet leaves this machine for it.
            e.setMqtt(QStringLiteral("server_url"),
                      QStringLiteral("mqtt://weewx:pub-Secret-4711@broker.invalid:%1/")
                              .arg(e.profile().mqttPort));
            e.restartWeewx();
        },
        {live, publishing});

    // --- the page -----------------------------------------------------------------------------
    row("mqtt_websockets_enabled = true", "websockets-enabled-not-1", fail, [](const PiEdit &e) {
        e.setExtra(QStringLiteral("mqtt_websockets_enabled"), QStringLiteral("true"));
        e.restartWeewx();
    });
    row("page topic without /loop", "page-topic-not-loop", fail,
        [](const PiEdit &e) {
            e.setExtra(QStringLiteral("mqtt_websockets_topic"), QStringLiteral("weather"));
            e.restartWeewx();
        },
        {live, QStringLiteral("web-acl-denies-page-topic")});
    row("page port is the plain MQTT port", "page-port-is-mqtt-port", fail,
        [](const PiEdit &e) {
            e.setExtra(QStringLiteral("mqtt_websockets_port"),
                       QString::number(e.profile().mqttPort));
            e.restartWeewx();
        },
        {live});
    row("page port where no listener is", "page-port-no-listener", fail,
        [](const PiEdit &e) {
            e.setExtra(QStringLiteral("mqtt_websockets_port"), QString::number(freePort()));
            e.restartWeewx();
        },
        {live});
    row("page host empty", "page-host-empty", fail,
        [](const PiEdit &e) {
            e.setExtra(QStringLiteral("mqtt_websockets_host"), QString());
            e.restartWeewx();
        },
        {live});
    row("page host does not resolve", "page-host-unresolved", fail,
        [](const PiEdit &e) {
            e.setExtra(QStringLiteral("mqtt_websockets_host"), QStringLiteral("nowhere.invalid"));
            e.restartWeewx();
        },
        {live});
    row("page host does not reach the broker", "page-host-unreachable", fail,
        [](const PiEdit &e) {
            // The broker's websockets listener on 127.0.0.1 only (an interface name binds it
            // there, see mosquitto.md), the page pointed at another loopback address: the port
            // is refused there, as from a laptop whose route or firewall does not lead to the
            // Pi. Only loopback is ever contacted.
            e.replaceIn(e.profile().listenerConfPath, "listener " + e.wsPort() + '\n',
                        "listener " + e.wsPort() + " lo\n");
            e.setExtra(QStringLiteral("mqtt_websockets_host"), QStringLiteral("127.0.0.2"));
            e.restartBoth();
        },
        {live});
    row("anonymous off, page without credentials", "anonymous-page-refused", fail,
        [](const PiEdit &e) {
            e.setExtra(QStringLiteral("mqtt_websockets_username"), QString());
            e.setExtra(QStringLiteral("mqtt_websockets_password"), QString());
            e.restartWeewx();
        },
        {live});
    row("web user's password does not verify", "web-password-mismatch", fail,
        [](const PiEdit &e) {
            e.setExtra(QStringLiteral("mqtt_websockets_password"), QStringLiteral("wrong-pw"));
            e.restartWeewx();
        },
        {live});
    row("anonymous page, ACL gives anonymous nothing", "anonymous-acl-denies-page-topic", fail,
        [](const PiEdit &e) {
            e.replaceIn(e.profile().listenerConfPath, "allow_anonymous false",
                        "allow_anonymous true");
            e.setExtra(QStringLiteral("mqtt_websockets_username"), QString());
            e.setExtra(QStringLiteral("mqtt_websockets_password"), QString());
            e.restartBoth();
        },
        {live});
    row("page JavaScript still holds the old port", "page-stale", fail, [](const PiEdit &e) {
        // The report was not run since the port changed: the page is from before.
        e.replaceIn(kPage, ", " + e.wsPort() + ',', ", 9001,");
    });
    row(
            "https page while mqtt_websockets_ssl is 0", "page-https-ws-plain", fail,
            [](const PiEdit &) {}, {}, QStringLiteral("https://127.0.0.1/weewx/belchertown/"));
}

void TestDiagnosisCauses::causeYieldsItsFinding()
{
    QFETCH(Edit, edit);
    QFETCH(QString, pageUrl);
    QFETCH(QString, finding);
    QFETCH(int, severity);
    QFETCH(QStringList, consequences);

    m_dirty = true;
    edit(PiEdit(*m_pi, m_station));
    if (QTest::currentTestFailed())
        return;

    // 8 s without a loop message (one comes every 2 s) is a verdict; it keeps the rows short.
    const wmw::test::DiagnosisOutcome outcome = wmw::test::diagnose(*m_pi, pageUrl, 8000);
    QVERIFY2(outcome.state == Diagnoser::State::Finished, qPrintable(outcome.error));
    const QList<Finding> &findings = outcome.report.findings;
    const QString all = wmw::test::describeFindings(findings);
    bool found = false;
    for (const Finding &f : findings) {
        if (f.id == finding) {
            found = true;
            QVERIFY2(int(f.severity) == severity, qPrintable(all));
            QVERIFY2(!f.evidence.isEmpty(), qPrintable(all));
            QVERIFY2(!f.fix.isEmpty(), qPrintable(all));
        } else if (f.severity == Severity::Fail || f.severity == Severity::Warn) {
            QVERIFY2(consequences.contains(f.id), qPrintable(u"unrelated: " + f.id + u'\n' + all));
        }
    }
    QVERIFY2(found, qPrintable(all));
    m_rowsFor << finding;
}

void TestDiagnosisCauses::everyCauseOfTheCatalogueHasARow()
{
    // causeYieldsItsFinding ran before (declaration order) and noted each finding it saw.
    QStringList missing;
    for (const QString &id : Rules::catalogue()) {
        if (id != u"live-check" && !kCoveredByFaults.contains(id) && !kNotOnSimulatedPi.contains(id)
            && !m_rowsFor.contains(id))
            missing << id;
    }
    QVERIFY2(missing.isEmpty(),
             qPrintable(u"causes without a passing row: " + missing.join(u", ")));
}

QTEST_GUILESS_MAIN(TestDiagnosisCauses)
#include "tst_diagnosiscauses.moc"
