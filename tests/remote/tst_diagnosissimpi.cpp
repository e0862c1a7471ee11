// SPDX-License-Identifier: GPL-3.0-or-later
// The diagnosis end to end: a Diagnoser over a real SSH session to a simulated Pi, a real
// mosquitto and the WeeWX stand-in. A healthy Pi passes every rule with live readings as
// proof; each named fault of the simulated Pi yields its own finding and no unrelated one.

#include "diagnosisfixture.h"
#include "remote/diagnosis/diagnoser.h"
#include "remote/diagnosis/rules.h"
#include "remote/hostfacts/hostfactsprobe.h"
#include "remote/ssh/sshsession.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QtTest>

using namespace wmw::diagnosis;
using wmw::test::SimulatedPi;

namespace {

using wmw::test::describeFindings;
using wmw::test::diagnose;

} // namespace

class TestDiagnosisSimPi : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void healthyPiPassesEveryRule();
    void faultYieldsItsFinding_data();
    void faultYieldsItsFinding();
};

void TestDiagnosisSimPi::init()
{
    if (const QString why = SimulatedPi::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
}

void TestDiagnosisSimPi::healthyPiPassesEveryRule()
{
    SimulatedPi pi;
    QString error;
    QVERIFY2(pi.start(&error), qPrintable(error));
    const wmw::test::Station station = wmw::test::healthyStation(pi);
    QVERIFY2(wmw::test::provision(pi, station, &error), qPrintable(error));

    // WMW_RECORD_DIAGNOSIS=DIR keeps this Pi's facts for tst_diagnosisrules.
    if (const QString dir = qEnvironmentVariable("WMW_RECORD_DIAGNOSIS"); !dir.isEmpty()) {
        QTRY_VERIFY_WITH_TIMEOUT(pi.journal(QStringLiteral("weewx")).contains("Published record"),
                                 20000);
        const SimulatedPi::Result run = pi.ssh(QStringLiteral("sudo -S -p '' sh -s"),
                                               pi.password() + '\n' + wmw::hostFactsProbeScript());
        QVERIFY(run.ok());
        QDir().mkpath(dir);
        QFile facts(dir + QStringLiteral("/healthy-pi.txt"));
        QVERIFY(facts.open(QIODevice::WriteOnly));
        facts.write(run.out);
        QFile js(dir + QStringLiteral("/healthy-pi.js"));
        QVERIFY(js.open(QIODevice::WriteOnly));
        js.write(pi.readFile(QStringLiteral("/var/www/html/weewx/belchertown/js/belchertown.js")));
    }

    const wmw::test::DiagnosisOutcome outcome =
            diagnose(pi, QStringLiteral("http://127.0.0.1/weewx/belchertown/"));
    QVERIFY2(outcome.state == Diagnoser::State::Finished, qPrintable(outcome.error));
    const DiagnosisReport &report = outcome.report;
    QCOMPARE(report.findings.size(), Rules::catalogue().size());
    QVERIFY2(report.withSeverity(Severity::Pass).size() == report.findings.size(),
             qPrintable(describeFindings(report.findings)));
    // The proof: live readings from the stand-in, as the page would show them.
    QVERIFY(report.live.receiving());
    QVERIFY(report.live.readings.size() > 5);
    QCOMPARE(report.live.user, station.profile.webUser);
    QVERIFY(ReportWriter::summary(report).startsWith(QStringLiteral("Healthy")));
    // Nothing secret in any output.
    const QByteArray md = ReportWriter::markdown(report);
    const QByteArray html = ReportWriter::html(report);
    for (const QString &secret : {station.secrets.publishPassword, station.secrets.webPassword}) {
        QVERIFY(!md.contains(secret.toUtf8()));
        QVERIFY(!html.contains(secret.toUtf8()));
    }
    QVERIFY(!md.contains("$7$"));
    QVERIFY(md.contains("outTemp"));
}

void TestDiagnosisSimPi::faultYieldsItsFinding_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<QString>("finding");
    QTest::addColumn<int>("severity");
    // Failures that follow from the fault itself (the live page fails too, a broker that
    // cannot start is not running).
    QTest::addColumn<QStringList>("consequences");

    const int fail = int(Severity::Fail);
    const QString live = QStringLiteral("live-check");
    const QString down = QStringLiteral("broker-not-running");
    QTest::newRow("no-websockets-listener: named, the page fails")
            << "no-websockets-listener"
            << "no-websockets-listener" << fail << QStringList{live};
    QTest::newRow("mosquitto-stopped: broker not running")
            << "mosquitto-stopped" << down << fail << QStringList{live};
    QTest::newRow("weewx-stopped: WeeWX not running")
            << "weewx-stopped"
            << "weewx-not-running" << fail << QStringList{live};
    // The provisioned listener file names an acl_file too: the fault's second one is a
    // duplicate, which mosquitto refuses first.
    QTest::newRow("acl-missing: acl_file names a missing file")
            << "acl-missing"
            << "acl-file-missing" << fail
            << QStringList{live, down, QStringLiteral("security-option-duplicated")};
    QTest::newRow("pwfile-plaintext: plain-text line")
            << "pwfile-plaintext"
            << "password-file-plaintext" << fail << QStringList{};
    QTest::newRow("pwfile-unreadable: not readable for mosquitto")
            << "pwfile-unreadable"
            << "password-file-unreadable" << fail << QStringList{live, down};
    QTest::newRow("bad-locale: a warning only")
            << "bad-locale"
            << "locale-invalid" << int(Severity::Warn) << QStringList{};
    QTest::newRow("port-taken: another program holds the websockets port")
            << "port-taken"
            << "listener-port-in-use" << fail << QStringList{live, down};
    QTest::newRow("weewx-conf-broken: weewx.conf does not parse")
            << "weewx-conf-broken"
            << "weewx-conf-invalid" << fail << QStringList{QStringLiteral("weewx-not-running")};
}

void TestDiagnosisSimPi::faultYieldsItsFinding()
{
    QFETCH(QString, fault);
    QFETCH(QString, finding);
    QFETCH(int, severity);
    QFETCH(QStringList, consequences);

    SimulatedPi pi;
    QString error;
    QVERIFY2(pi.start(&error), qPrintable(error));
    QVERIFY2(wmw::test::provision(pi, wmw::test::healthyStation(pi), &error), qPrintable(error));
    QVERIFY2(pi.injectFault(fault, &error), qPrintable(error));

    const wmw::test::DiagnosisOutcome outcome =
            diagnose(pi, QStringLiteral("http://127.0.0.1/weewx/belchertown/"));
    QVERIFY2(outcome.state == Diagnoser::State::Finished, qPrintable(outcome.error));
    const QList<Finding> &findings = outcome.report.findings;
    const QString all = describeFindings(findings);
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
    QVERIFY(found);
}

QTEST_GUILESS_MAIN(TestDiagnosisSimPi)
#include "tst_diagnosissimpi.moc"
