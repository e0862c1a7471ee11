// SPDX-License-Identifier: GPL-3.0-or-later
// `weewx-mqtt-wizard apply` and `undo` as a user or a script runs them, against simulated Pis
// (a real sshd with password sudo, mosquitto and the WeeWX stand-in): --dry-run prints the plan
// with a redacted diff and changes nothing; apply --yes installs, a second apply changes
// nothing, undo restores the files byte for byte; bad arguments exit 2 naming the option; a
// password is never an argument and never in any output.
#include "config/fileset.h"
#include "config/generate.h"
#include "config/stationprofile.h"
#include "support/simulatedpi.h"

#include <QFile>
#include <QHash>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "support/programrun.h"

using namespace wmw;
using test::SimulatedPi;

namespace {

using Run = wmw::test::ProgramRun;

const QString publishPassword = QStringLiteral("Publish-Secret-7");
const QString webPassword = QStringLiteral("Web-Secret-8");

// Every file the profile writes, with owner, group and mode, as the user would check them.
QHash<QString, QByteArray> snapshot(const SimulatedPi &pi, const config::StationProfile &profile)
{
    QHash<QString, QByteArray> files;
    for (const QString &path : config::Generate::paths(profile)) {
        const auto st = pi.exec(
                {QStringLiteral("stat"), QStringLiteral("-c"), QStringLiteral("%U %G %a"), path});
        files.insert(path, st.ok() ? st.out + pi.readFile(path) : QByteArray("absent"));
    }
    return files;
}

} // namespace

class tst_ApplyCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void badArguments_data();
    void badArguments();
    void dryRunPrintsARedactedPlanAndChangesNothing();
    void applyTwiceThenUndo();

private:
    Run run(const QString &command, const QStringList &arguments,
            const QByteArray &stdinBytes = {});
    QString writeProfile(const config::StationProfile &profile);
    static config::StationProfile profileFor(const SimulatedPi &pi);
    static QByteArray secretsFor(const SimulatedPi &pi);
    static void verifyNoSecret(const QByteArray &bytes, const SimulatedPi *pi);

    QTemporaryDir m_home;
    int m_profiles = 0;
};

void tst_ApplyCli::initTestCase()
{
    QVERIFY(m_home.isValid());
}

Run tst_ApplyCli::run(const QString &command, const QStringList &arguments,
                      const QByteArray &stdinBytes)
{
    return wmw::test::runProgram(QStringLiteral(WMW_BINARY), QStringList{command} + arguments,
                                 m_home.path(), stdinBytes);
}

QString tst_ApplyCli::writeProfile(const config::StationProfile &profile)
{
    const QString path = m_home.filePath(QStringLiteral("profile-%1.json").arg(++m_profiles));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(profile.toJson()) < 0)
        return {};
    return path;
}

config::StationProfile tst_ApplyCli::profileFor(const SimulatedPi &pi)
{
    config::StationProfile profile;
    profile.piHost = pi.host();
    profile.sshPort = pi.sshPort();
    profile.sshUser = pi.user();
    profile.mqttPort = pi.mqttPort();
    profile.websocketPort = pi.websocketPort();
    return profile;
}

QByteArray tst_ApplyCli::secretsFor(const SimulatedPi &pi)
{
    // CR/LF line ends as a Windows-made file has them; sudo takes the SSH password.
    return "ssh=" + pi.password() + "\r\npublish=" + publishPassword.toUtf8()
           + "\nweb=" + webPassword.toUtf8() + '\n';
}

void tst_ApplyCli::verifyNoSecret(const QByteArray &bytes, const SimulatedPi *pi)
{
    QList<QByteArray> secrets = {publishPassword.toUtf8(), webPassword.toUtf8(), "hunter2"};
    if (pi)
        secrets << pi->password();
    for (const QByteArray &secret : secrets)
        QVERIFY2(!bytes.contains(secret), bytes.constData());
    QVERIFY2(!bytes.contains("$7$"), "a password hash is in the output");
}

void tst_ApplyCli::badArguments_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("named"); // "@profile" stands for a valid profile file

    const QString apply = QStringLiteral("apply");
    const QString undo = QStringLiteral("undo");
    auto list = [](std::initializer_list<const char *> items) {
        QStringList out;
        for (const char *item : items)
            out << QString::fromUtf8(item);
        return out;
    };
    QTest::newRow("apply without --profile")
            << apply << QStringList{} << QByteArray() << "--profile";
    QTest::newRow("apply --profile that does not exist")
            << apply << list({"--profile", "/nonexistent/p.json"}) << QByteArray()
            << "/nonexistent/p.json";
    QTest::newRow("apply --password as an argument")
            << apply << list({"--profile", "@profile", "--password=hunter2"}) << QByteArray()
            << "--passwords-stdin";
    QTest::newRow("apply --password with a separate value")
            << apply << list({"--profile", "@profile", "--password", "hunter2"}) << QByteArray()
            << "--passwords-stdin";
    QTest::newRow("apply with an unknown option")
            << apply << list({"--profile", "@profile", "--frobnicate"}) << QByteArray()
            << "frobnicate";
    QTest::newRow("apply --passwords-stdin line without a key")
            << apply << list({"--profile", "@profile", "--passwords-stdin"})
            << QByteArray("hunter2\n") << "ssh=";
    QTest::newRow("undo without --host")
            << undo << list({"--yes", "--passwords-stdin"}) << QByteArray() << "--host";
    QTest::newRow("undo --host with a shell character")
            << undo << list({"--host", "pi;reboot", "--yes", "--passwords-stdin"}) << QByteArray()
            << "--host";
    QTest::newRow("undo --port out of range")
            << undo << list({"--host", "127.0.0.1", "--port", "70000", "--passwords-stdin"})
            << QByteArray() << "--port";
    QTest::newRow("undo --port not a number")
            << undo << list({"--host", "127.0.0.1", "--port", "ssh", "--passwords-stdin"})
            << QByteArray() << "--port";
    QTest::newRow("undo from a script without --yes or --passwords-stdin")
            << undo << list({"--host", "127.0.0.1"}) << QByteArray() << "--yes";
    QTest::newRow("undo --password as an argument")
            << undo << list({"--host", "127.0.0.1", "--password=hunter2"}) << QByteArray()
            << "--passwords-stdin";
}

void tst_ApplyCli::badArguments()
{
    QFETCH(QString, command);
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, input);
    QFETCH(QString, named);
    config::StationProfile profile;
    profile.piHost = QStringLiteral("127.0.0.1");
    profile.sshUser = QStringLiteral("pi");
    const QString profilePath = writeProfile(profile);
    QVERIFY(!profilePath.isEmpty());
    arguments.replaceInStrings(QStringLiteral("@profile"), profilePath);

    const Run r = run(command, arguments, input);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(QString::fromUtf8(r.err).contains(named), r.err.constData());
    // A line or an argument that may be a password is never echoed.
    verifyNoSecret(r.out + r.err, nullptr);
}

void tst_ApplyCli::dryRunPrintsARedactedPlanAndChangesNothing()
{
    if (const QString why = SimulatedPi::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    SimulatedPi pi;
    QString error;
    QVERIFY2(pi.start(&error), qPrintable(error));
    const config::StationProfile profile = profileFor(pi);
    const auto before = snapshot(pi, profile);

    const Run r = run(QStringLiteral("apply"),
                      {QStringLiteral("--profile"), writeProfile(profile),
                       QStringLiteral("--dry-run"), QStringLiteral("--passwords-stdin"),
                       QStringLiteral("--known-hosts"), pi.knownHostsFile()},
                      secretsFor(pi));
    QVERIFY2(r.exitCode == 0, QByteArray(r.out + r.err).constData());
    // The plan names every file and shows the diff: the new listener, the weewx.conf edit with
    // its password masked.
    for (const QString &path : config::Generate::paths(profile))
        QVERIFY2(r.out.contains(path.toUtf8()), qPrintable(path));
    QVERIFY2(r.out.contains(QByteArray("+listener " + QByteArray::number(pi.websocketPort()))),
             r.out.constData());
    QVERIFY2(r.out.contains(config::redaction::mask()), r.out.constData());
    // weewx-mqtt is missing: a dry run installs nothing but says how.
    QVERIFY2(r.err.contains("weectl extension install"), r.err.constData());
    verifyNoSecret(r.out + r.err, &pi);
    QVERIFY(snapshot(pi, profile) == before);
}

void tst_ApplyCli::applyTwiceThenUndo()
{
    if (const QString why = SimulatedPi::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    SimulatedPi pi;
    QString error;
    QVERIFY2(pi.start(&error), qPrintable(error));
    // weewx-mqtt installed beforehand, so undo has a well-defined "before" to return to.
    const auto installed =
            pi.exec({QStringLiteral("sh"), QStringLiteral("-c"),
                     QStringLiteral("cd / && weectl extension install --yes "
                                    "https://github.com/matthewwall/weewx-mqtt/archive/refs/heads/"
                                    "master.zip")});
    QVERIFY2(installed.ok(), installed.err.constData());
    const config::StationProfile profile = profileFor(pi);
    const QString profilePath = writeProfile(profile);
    const auto before = snapshot(pi, profile);
    const QStringList applyArguments = {
            QStringLiteral("--profile"),     profilePath,
            QStringLiteral("--yes"),         QStringLiteral("--passwords-stdin"),
            QStringLiteral("--known-hosts"), pi.knownHostsFile()};

    const Run first = run(QStringLiteral("apply"), applyArguments, secretsFor(pi));
    QVERIFY2(first.exitCode == 0, QByteArray(first.out + first.err).constData());
    QVERIFY2(first.out.contains("publishing works"), first.out.constData());
    verifyNoSecret(first.out + first.err, &pi);
    const auto applied = snapshot(pi, profile);
    QVERIFY(applied != before);

    // Again with the same profile: nothing to install, nothing restarted, still exit 0.
    const Run second = run(QStringLiteral("apply"), applyArguments, secretsFor(pi));
    QVERIFY2(second.exitCode == 0, QByteArray(second.out + second.err).constData());
    QVERIFY2(second.out.contains("nothing to install, nothing to restart"), second.out.constData());
    QVERIFY2(!second.out.contains("Restarted "), second.out.constData());
    verifyNoSecret(second.out + second.err, &pi);
    QVERIFY(snapshot(pi, profile) == applied);

    // Undo: every file as before the first apply, byte for byte, with owner and mode.
    const Run undo = run(QStringLiteral("undo"),
                         {QStringLiteral("--host"), pi.host(), QStringLiteral("--port"),
                          QString::number(pi.sshPort()), QStringLiteral("--user"), pi.user(),
                          QStringLiteral("--known-hosts"), pi.knownHostsFile(),
                          QStringLiteral("--yes"), QStringLiteral("--passwords-stdin")},
                         "ssh=" + pi.password() + '\n');
    QVERIFY2(undo.exitCode == 0, QByteArray(undo.out + undo.err).constData());
    verifyNoSecret(undo.out + undo.err, &pi);
    QVERIFY(snapshot(pi, profile) == before);
}

QTEST_GUILESS_MAIN(tst_ApplyCli)
#include "tst_applycli.moc"
