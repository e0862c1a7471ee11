// SPDX-License-Identifier: GPL-3.0-or-later
// `weewx-mqtt-wizard diagnose` as a user or a script runs it, against simulated Pis (a real
// sshd, mosquitto and the WeeWX stand-in): a healthy Pi exits 0 with readings, a fault exits
// non-zero naming its finding, --json parses, --report files hold no password, the host key
// is refused unless its fingerprint is named, and bad arguments exit 2 naming the option.
#include "diagnosisfixture.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "support/programrun.h"

using wmw::test::SimulatedPi;

namespace {

using Run = wmw::test::ProgramRun;

} // namespace

class tst_DiagnoseCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void badArguments_data();
    void badArguments();
    void unknownHostKeyIsRefusedWithoutItsFingerprint();
    void healthyPiExitsZeroWithReadings();
    void faultExitsNonZeroNamingTheFinding();

private:
    Run run(const QStringList &arguments, const QByteArray &stdinBytes = {});
    QStringList piArguments(const SimulatedPi &pi) const;
    static void verifyNoSecret(const QByteArray &bytes, const SimulatedPi &pi,
                               const wmw::test::Station &station);

    QTemporaryDir m_home;
};

void tst_DiagnoseCli::initTestCase()
{
    QVERIFY(m_home.isValid());
}

Run tst_DiagnoseCli::run(const QStringList &arguments, const QByteArray &stdinBytes)
{
    return wmw::test::runProgram(QStringLiteral(WMW_BINARY),
                                 QStringList{QStringLiteral("diagnose")} + arguments, m_home.path(),
                                 stdinBytes, 240000);
}

QStringList tst_DiagnoseCli::piArguments(const SimulatedPi &pi) const
{
    // The stand-in publishes every 2 s: 10 s without a loop packet is a verdict.
    return {QStringLiteral("--host"),         pi.host(),
            QStringLiteral("--port"),         QString::number(pi.sshPort()),
            QStringLiteral("--user"),         pi.user(),
            QStringLiteral("--known-hosts"),  pi.knownHostsFile(),
            QStringLiteral("--live-timeout"), QStringLiteral("10")};
}

void tst_DiagnoseCli::verifyNoSecret(const QByteArray &bytes, const SimulatedPi &pi,
                                     const wmw::test::Station &station)
{
    for (const QByteArray &secret : {station.secrets.publishPassword.toUtf8(),
                                     station.secrets.webPassword.toUtf8(), pi.password()}) {
        QVERIFY2(!bytes.contains(secret), bytes.constData());
    }
    QVERIFY2(!bytes.contains("$7$"), "a password hash is in the output");
}

void tst_DiagnoseCli::badArguments_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("named");

    const QStringList host = {QStringLiteral("--host"), QStringLiteral("127.0.0.1")};
    auto with = [&host](std::initializer_list<const char *> more) {
        QStringList list = host;
        for (const char *a : more)
            list << QString::fromUtf8(a);
        return list;
    };
    QTest::newRow("no --host") << QStringList{} << QByteArray() << "--host";
    QTest::newRow("--host with a shell character")
            << QStringList{QStringLiteral("--host"), QStringLiteral("pi;reboot")} << QByteArray()
            << "--host";
    QTest::newRow("--port out of range") << with({"--port", "70000"}) << QByteArray() << "--port";
    QTest::newRow("--port not a number") << with({"--port", "ssh"}) << QByteArray() << "--port";
    QTest::newRow("--report neither .md nor .html")
            << with({"--report", "out.txt"}) << QByteArray() << "--report";
    QTest::newRow("--page-url not http")
            << with({"--page-url", "ftp://example.org/"}) << QByteArray() << "--page-url";
    QTest::newRow("--live-timeout not a number")
            << with({"--live-timeout", "soon"}) << QByteArray() << "--live-timeout";
    QTest::newRow("--accept-host-key not SHA256")
            << with({"--accept-host-key", "md5:aa"}) << QByteArray() << "--accept-host-key";
    QTest::newRow("--identity missing file")
            << with({"--identity", "/nonexistent/id_ed25519"}) << QByteArray() << "--identity";
    QTest::newRow("a password as an argument")
            << with({"--password=hunter2"}) << QByteArray() << "--passwords-stdin";
    QTest::newRow("an unknown option") << with({"--frobnicate"}) << QByteArray() << "frobnicate";
    QTest::newRow("a positional argument") << with({"weatherpi"}) << QByteArray() << "--host";
    QTest::newRow("--passwords-stdin line without a key")
            << with({"--passwords-stdin"}) << QByteArray("hunter2\n") << "ssh=";
}

void tst_DiagnoseCli::badArguments()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, input);
    QFETCH(QString, named);
    const Run r = run(arguments, input);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(QString::fromUtf8(r.err).contains(named), r.err.constData());
    // A line that may be a password is never echoed.
    QVERIFY(!r.err.contains("hunter2"));
}

void tst_DiagnoseCli::unknownHostKeyIsRefusedWithoutItsFingerprint()
{
    if (const QString why = SimulatedPi::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    SimulatedPi pi;
    QString error;
    QVERIFY2(pi.start(&error), qPrintable(error));
    QTemporaryDir dir;
    const QString knownHosts = dir.filePath(QStringLiteral("known_hosts"));
    QStringList arguments = piArguments(pi);
    arguments[arguments.indexOf(QStringLiteral("--known-hosts")) + 1] = knownHosts;
    const QByteArray secrets = "ssh=" + pi.password() + '\n';

    // Not a terminal, no fingerprint named: refused, and the fingerprint is shown to check.
    const Run refused = run(arguments << QStringLiteral("--passwords-stdin"), secrets);
    QCOMPARE(refused.exitCode, 3);
    QVERIFY2(refused.err.contains(pi.hostKeyFingerprint().toUtf8()), refused.err.constData());
    QVERIFY(!QFile::exists(knownHosts) || QFile(knownHosts).size() == 0);

    // Another fingerprint: refused too.
    const Run wrong = run(arguments
                                  + QStringList{QStringLiteral("--accept-host-key"),
                                                QStringLiteral("SHA256:AAAA")},
                          secrets);
    QCOMPARE(wrong.exitCode, 3);
}

void tst_DiagnoseCli::healthyPiExitsZeroWithReadings()
{
    if (const QString why = SimulatedPi::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    SimulatedPi pi;
    QString error;
    QVERIFY2(pi.start(&error), qPrintable(error));
    const wmw::test::Station station = wmw::test::healthyStation(pi);
    QVERIFY2(wmw::test::provision(pi, station, &error), qPrintable(error));

    // A first contact as a script makes it: the host key accepted by its fingerprint (and
    // then remembered in known_hosts), the SSH password on stdin, sudo with the same one.
    QTemporaryDir dir;
    const QString knownHosts = dir.filePath(QStringLiteral("known_hosts"));
    QStringList arguments = piArguments(pi);
    arguments[arguments.indexOf(QStringLiteral("--known-hosts")) + 1] = knownHosts;
    const QString reportPath = dir.filePath(QStringLiteral("report.md"));
    arguments << QStringLiteral("--accept-host-key") << pi.hostKeyFingerprint()
              << QStringLiteral("--passwords-stdin") << QStringLiteral("--report") << reportPath;
    const QByteArray secrets =
            "ssh=" + pi.password() + "\r\nweb=" + station.secrets.webPassword.toUtf8() + '\n';
    const Run r = run(arguments, secrets);
    QVERIFY2(r.exitCode == 0, QByteArray(r.out + r.err).constData());
    const QString out = QString::fromUtf8(r.out);
    QVERIFY2(out.contains(QStringLiteral("Healthy")), r.out.constData());
    // The proof: the live readings as the page would show them.
    QVERIFY2(out.contains(QStringLiteral("outTemp = ")), r.out.constData());
    QVERIFY(QFile(knownHosts).size() > 0);
    verifyNoSecret(r.out + r.err, pi, station);

    QFile report(reportPath);
    QVERIFY(report.open(QIODevice::ReadOnly));
    const QByteArray md = report.readAll();
    QVERIFY(md.startsWith("# "));
    QVERIFY(md.contains("outTemp"));
    verifyNoSecret(md, pi, station);
}

void tst_DiagnoseCli::faultExitsNonZeroNamingTheFinding()
{
    if (const QString why = SimulatedPi::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    SimulatedPi pi;
    QString error;
    QVERIFY2(pi.start(&error), qPrintable(error));
    const wmw::test::Station station = wmw::test::healthyStation(pi);
    QVERIFY2(wmw::test::provision(pi, station, &error), qPrintable(error));
    QVERIFY2(pi.injectFault(QStringLiteral("no-websockets-listener"), &error), qPrintable(error));

    QTemporaryDir dir;
    const QString html = dir.filePath(QStringLiteral("report.html"));
    const QString md = dir.filePath(QStringLiteral("report.md"));
    const QStringList key = {QStringLiteral("--identity"), pi.clientKeyFile()};
    const QByteArray sudo = "sudo=" + pi.password() + '\n';

    // Text: the finding named with its evidence and fix, exit 1.
    const Run text = run(piArguments(pi) + key
                                 + QStringList{QStringLiteral("--passwords-stdin"),
                                               QStringLiteral("--report"), md},
                         sudo);
    QVERIFY2(text.exitCode == 1, QByteArray(text.out + text.err).constData());
    const QString out = QString::fromUtf8(text.out);
    QVERIFY2(out.contains(QStringLiteral("[no-websockets-listener]")), text.out.constData());
    QVERIFY2(out.contains(QStringLiteral("Fix: ")), text.out.constData());
    verifyNoSecret(text.out + text.err, pi, station);

    // JSON: parses, carries the finding ids with their severity and the exit code.
    const Run json =
            run(piArguments(pi) + key
                        + QStringList{QStringLiteral("--json"), QStringLiteral("--passwords-stdin"),
                                      QStringLiteral("--report"), html},
                sudo);
    QCOMPARE(json.exitCode, 1);
    QJsonParseError parseError;
    const QJsonObject root = QJsonDocument::fromJson(json.out, &parseError).object();
    QVERIFY2(parseError.error == QJsonParseError::NoError, json.out.constData());
    QCOMPARE(root.value(QStringLiteral("verdict")).toString(), QStringLiteral("fail"));
    QCOMPARE(root.value(QStringLiteral("exit_code")).toInt(), 1);
    QHash<QString, QString> severities;
    for (const QJsonValue &f : root.value(QStringLiteral("findings")).toArray())
        severities.insert(f[QStringLiteral("id")].toString(),
                          f[QStringLiteral("severity")].toString());
    QCOMPARE(severities.value(QStringLiteral("no-websockets-listener")), QStringLiteral("fail"));
    QCOMPARE(severities.value(QStringLiteral("weewx-not-running")), QStringLiteral("pass"));
    verifyNoSecret(json.out + json.err, pi, station);

    for (const QString &path : {md, html}) {
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
        const QByteArray bytes = file.readAll();
        QVERIFY2(bytes.contains("no-websockets-listener"), qPrintable(path));
        verifyNoSecret(bytes, pi, station);
    }
    QFile htmlFile(html);
    QVERIFY(htmlFile.open(QIODevice::ReadOnly));
    QVERIFY(htmlFile.readAll().startsWith("<!DOCTYPE html>"));
}

QTEST_GUILESS_MAIN(tst_DiagnoseCli)
#include "tst_diagnosecli.moc"
