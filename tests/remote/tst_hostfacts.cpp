// SPDX-License-Identifier: GPL-3.0-or-later
// HostFacts: what the probe reports must be what the Pi holds, and a damaged report must be
// refused with an error that names the line, never quoting the (possibly secret) content.

#include "remote/hostfacts/hostfacts.h"
#include "remote/hostfacts/hostfactsprobe.h"
#include "remote/ssh/sshsession.h"
#include "support/simulatedpi.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using wmw::HostFacts;
using wmw::test::SimulatedPi;

namespace {

QByteArray recorded(const char *name)
{
    QFile file(QFINDTESTDATA(QStringLiteral("data/hostfacts/") + QLatin1String(name)));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

} // namespace

class TestHostFacts : public QObject
{
    Q_OBJECT

private slots:
    void scriptIsEmbedded();
    void freshPiAsRoot();
    void freshPiWithoutSudoSaysWhatItCouldNotRead();
    void faultsShowInTheFacts();
    void malformedReportsAreRefused_data();
    void malformedReportsAreRefused();
    void probeOnASimulatedPi_data();
    void probeOnASimulatedPi();
    void probeThroughSshSession_data();
    void probeThroughSshSession();
    void aclAndPasswordFilesAreStatted();
    void weewxScopeReadsOnlyWhatAnApplyNeeds();
    void pahoVersionAsPythonFindsIt_data();
    void pahoVersionAsPythonFindsIt();
};

void TestHostFacts::scriptIsEmbedded()
{
    const QByteArray script = wmw::hostFactsProbeScript();
    QVERIFY(script.startsWith("#!/bin/sh"));
    QVERIFY(script.contains("#wmw-hostfacts 1"));
}

void TestHostFacts::freshPiAsRoot()
{
    const HostFacts::ParseResult result = HostFacts::parse(recorded("fresh-pi-sudo.txt"));
    QVERIFY2(result.ok(), qPrintable(result.message));
    const HostFacts &f = *result.facts;
    QVERIFY(f.ranAsRoot());
    QCOMPARE(f.probeUser, QStringLiteral("pi"));
    QCOMPARE(f.hostname, QStringLiteral("raspberrypi"));
    QCOMPARE(f.os.id, QStringLiteral("debian"));
    QCOMPARE(f.os.versionId, QStringLiteral("12"));
    QVERIFY(f.locale.valid);
    QVERIFY(f.locale.output.contains("LANG=C.UTF-8"));
    QVERIFY(f.mosquitto.installed);
    QCOMPARE(f.mosquitto.version, QStringLiteral("2.0.11"));
    QCOMPARE(f.mosquitto.includeDirs, QStringList{QStringLiteral("/etc/mosquitto/conf.d")});
    QCOMPARE(f.mosquitto.includeDirEntries.value(QStringLiteral("/etc/mosquitto/conf.d")),
             QStringList{QStringLiteral("README")});
    const auto conf = f.file(QStringLiteral("/etc/mosquitto/mosquitto.conf"));
    QVERIFY(conf);
    QVERIFY(conf->content.contains("include_dir /etc/mosquitto/conf.d"));
    QCOMPARE(conf->mode, 0644);
    QVERIFY(f.filesWithRole(QStringLiteral("acl")).isEmpty());
    QVERIFY(f.filesWithRole(QStringLiteral("password")).isEmpty());
    QCOMPARE(f.weewx.install, HostFacts::WeewxInstall::Package);
    const auto weewxConf = f.file(QStringLiteral("/etc/weewx/weewx.conf"));
    QVERIFY(weewxConf);
    QCOMPARE(weewxConf->owner, QStringLiteral("weewx"));
    QCOMPARE(weewxConf->group, QStringLiteral("weewx"));
    QCOMPARE(weewxConf->mode, 0660);
    QVERIFY(weewxConf->secret);
    QVERIFY(weewxConf->content.contains("[[Belchertown]]"));
    QCOMPARE(f.weewx.version, QStringLiteral("5.4.0"));
    QCOMPARE(f.weewx.extensions, QStringList{QStringLiteral("Belchertown")});
    QVERIFY(f.weewx.belchertownInstalled);
    QCOMPARE(f.weewx.belchertownPage, QStringLiteral("/var/www/html/weewx/belchertown/index.html"));
    QVERIFY(f.weewx.belchertownPageMtime > 0);
    QCOMPARE(f.services.value(QStringLiteral("mosquitto")), QStringLiteral("active"));
    QCOMPARE(f.services.value(QStringLiteral("weewx")), QStringLiteral("active"));
    QVERIFY(!f.listeningPorts.isEmpty());
    QCOMPARE(f.pahoVersion, QStringLiteral("1.6.1"));
    QVERIFY(f.logs.value(QStringLiteral("log.mosquitto")).contains("mosquitto version 2.0.11"));
    QVERIFY(f.logs.value(QStringLiteral("journal.weewx")).contains("Starting up weewx"));
}

void TestHostFacts::freshPiWithoutSudoSaysWhatItCouldNotRead()
{
    const HostFacts::ParseResult result = HostFacts::parse(recorded("fresh-pi-no-sudo.txt"));
    QVERIFY2(result.ok(), qPrintable(result.message));
    const HostFacts &f = *result.facts;
    QVERIFY(!f.ranAsRoot());
    const auto weewxConf = f.file(QStringLiteral("/etc/weewx/weewx.conf"));
    QVERIFY(weewxConf);
    QVERIFY(weewxConf->exists);
    QCOMPARE(weewxConf->error, QStringLiteral("unreadable"));
    QVERIFY(weewxConf->content.isEmpty());
    QCOMPARE(weewxConf->mode, 0660);
}

void TestHostFacts::faultsShowInTheFacts()
{
    const HostFacts::ParseResult result = HostFacts::parse(recorded("faults-acl-locale-weewx.txt"));
    QVERIFY2(result.ok(), qPrintable(result.message));
    const HostFacts &f = *result.facts;
    QVERIFY(!f.locale.valid);
    QVERIFY(f.locale.errors.contains("Cannot set LC_CTYPE to default locale"));
    const QList<wmw::FileFacts> acl = f.filesWithRole(QStringLiteral("acl"));
    QCOMPARE(acl.size(), 1);
    QCOMPARE(acl.first().path, QStringLiteral("/etc/mosquitto/acl"));
    QVERIFY(!acl.first().exists);
    QCOMPARE(f.services.value(QStringLiteral("mosquitto")), QStringLiteral("failed"));
    QCOMPARE(f.services.value(QStringLiteral("weewx")), QStringLiteral("inactive"));
    QVERIFY(f.logs.value(QStringLiteral("log.mosquitto")).contains("Unable to open acl_file"));
}

void TestHostFacts::malformedReportsAreRefused_data()
{
    QTest::addColumn<QByteArray>("report");
    QTest::addColumn<int>("error");
    QTest::addColumn<QString>("messageNames");

    const QByteArray head = "#wmw-hostfacts 1\n";
    QTest::newRow("empty output is not a report")
            << QByteArray() << int(HostFacts::ParseError::NotAReport) << QStringLiteral("line 1");
    QTest::newRow("a login banner is not a report")
            << QByteArray("Welcome to Raspberry Pi\n#wmw-hostfacts 1\n#end\n")
            << int(HostFacts::ParseError::NotAReport) << QStringLiteral("line 1");
    QTest::newRow("a newer format version")
            << QByteArray("#wmw-hostfacts 2\n#end\n")
            << int(HostFacts::ParseError::UnsupportedVersion) << QStringLiteral("line 1");
    QTest::newRow("cut off before #end")
            << head + "hostname=pi\n"
            << int(HostFacts::ParseError::Truncated) << QStringLiteral("#end");
    QTest::newRow("a block without its end")
            << head + "file.1.path=/etc/mosquitto/passwd\nfile.1.content:b64\nc2VjcmV0\n"
            << int(HostFacts::ParseError::UnterminatedBlob) << QStringLiteral("file.1.content");
    QTest::newRow("a block that is not base64")
            << head + "locale.stdout:b64\n@@not base64@@\n.\n#end\n"
            << int(HostFacts::ParseError::BadBase64) << QStringLiteral("Line 2");
    QTest::newRow("a key twice") << head + "hostname=a\nhostname=b\n#end\n"
                                 << int(HostFacts::ParseError::DuplicateKey)
                                 << QStringLiteral("hostname");
    QTest::newRow("a line that is neither")
            << head + "garbage\n#end\n"
            << int(HostFacts::ParseError::MalformedLine) << QStringLiteral("Line 2");
    QTest::newRow("a mode that is not octal")
            << head + "file.1.path=/etc/x\nfile.1.mode=rw-r--r--\n#end\n"
            << int(HostFacts::ParseError::BadValue) << QStringLiteral("file.1.mode");
    QTest::newRow("a file entry without a path")
            << head + "file.1.role=acl\n#end\n"
            << int(HostFacts::ParseError::BadValue) << QStringLiteral("1");
}

void TestHostFacts::malformedReportsAreRefused()
{
    QFETCH(QByteArray, report);
    QFETCH(int, error);
    QFETCH(QString, messageNames);

    const HostFacts::ParseResult result = HostFacts::parse(report);
    QVERIFY(!result.ok());
    QVERIFY(!result.facts);
    QCOMPARE(int(result.error), error);
    QVERIFY2(result.message.contains(messageNames, Qt::CaseInsensitive),
             qPrintable(result.message));
    // Content never reaches the message (it may be a password file).
    QVERIFY(!result.message.contains(QStringLiteral("c2VjcmV0")));
    QVERIFY(!result.message.contains(QStringLiteral("secret")));
}

void TestHostFacts::probeOnASimulatedPi_data()
{
    QTest::addColumn<QStringList>("faults");
    QTest::newRow("fresh Pi") << QStringList();
    QTest::newRow("acl file missing, locale not generated")
            << QStringList{QStringLiteral("acl-missing"), QStringLiteral("bad-locale")};
}

void TestHostFacts::probeOnASimulatedPi()
{
    QFETCH(QStringList, faults);
    if (const QString why = SimulatedPi::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    SimulatedPi pi;
    QString error;
    QVERIFY2(pi.start(&error, faults), qPrintable(error));

    // One round trip over SSH as pi, root through sudo with the password on stdin.
    const SimulatedPi::Result run = pi.ssh(QStringLiteral("sudo -S -p '' sh -s"),
                                           pi.password() + '\n' + wmw::hostFactsProbeScript());
    QVERIFY2(run.ok(), run.err.constData());
    const HostFacts::ParseResult result = HostFacts::parse(run.out);
    QVERIFY2(result.ok(), qPrintable(result.message));
    const HostFacts &f = *result.facts;

    QVERIFY(f.ranAsRoot());
    QCOMPARE(f.probeUser, pi.user());
    QCOMPARE(f.hostname, QStringLiteral("raspberrypi"));
    const bool badLocale = faults.contains(QStringLiteral("bad-locale"));
    QCOMPARE(f.locale.valid, !badLocale);
    QCOMPARE(f.locale.defaultFile.contains("en_GB.UTF-8"), badLocale);
    QVERIFY(f.mosquitto.installed);
    const bool aclMissing = faults.contains(QStringLiteral("acl-missing"));
    QCOMPARE(f.services.value(QStringLiteral("mosquitto")),
             aclMissing ? QStringLiteral("failed") : QStringLiteral("active"));
    // Debian's config without a listener: local only mode on the Pi's mapped MQTT port.
    QCOMPARE(f.isListening(pi.mqttPort()), !aclMissing);
    QCOMPARE(f.isListening(pi.sshPort()), true);
    QCOMPARE(f.filesWithRole(QStringLiteral("acl")).size(), aclMissing ? 1 : 0);
    // The facts match the Pi's files byte for byte.
    const auto weewxConf = f.file(QStringLiteral("/etc/weewx/weewx.conf"));
    QVERIFY(weewxConf);
    QCOMPARE(weewxConf->content, pi.readFile(QStringLiteral("/etc/weewx/weewx.conf")));
    QCOMPARE(f.file(QStringLiteral("/etc/mosquitto/mosquitto.conf"))->content,
             pi.readFile(QStringLiteral("/etc/mosquitto/mosquitto.conf")));
    QCOMPARE(f.weewx.install, HostFacts::WeewxInstall::Package);
    QCOMPARE(f.weewx.extensions, QStringList{QStringLiteral("Belchertown")});
    QVERIFY(f.weewx.belchertownInstalled);
    QVERIFY(f.weewx.belchertownPageMtime > 0);
    QCOMPARE(f.services.value(QStringLiteral("weewx")), QStringLiteral("active"));
    QCOMPARE(f.pahoVersion, QStringLiteral("1.6.1"));
}

void TestHostFacts::weewxScopeReadsOnlyWhatAnApplyNeeds()
{
    if (const QString why = SimulatedPi::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    SimulatedPi pi;
    QString error;
    QVERIFY2(pi.start(&error), qPrintable(error));
    const auto probe = [&](wmw::HostFactsScope scope) {
        const SimulatedPi::Result run =
                pi.ssh(QStringLiteral("sudo -S -p '' sh -s"),
                       pi.password() + '\n' + wmw::hostFactsProbeScript(scope));
        return run.ok() ? HostFacts::parse(run.out) : HostFacts::ParseResult();
    };
    const HostFacts::ParseResult all = probe(wmw::HostFactsScope::All);
    const HostFacts::ParseResult weewx = probe(wmw::HostFactsScope::Weewx);
    QVERIFY2(all.ok(), qPrintable(all.message));
    QVERIFY2(weewx.ok(), qPrintable(weewx.message));
    const HostFacts &a = *all.facts;
    const HostFacts &w = *weewx.facts;
    QVERIFY(a.complete);
    QVERIFY(!w.complete);
    // What an apply decides on is the same in both.
    QVERIFY(w.ranAsRoot());
    QCOMPARE(w.probeUser, a.probeUser);
    QCOMPARE(w.weewx.install, a.weewx.install);
    QCOMPARE(w.weewx.extensions, a.weewx.extensions);
    QCOMPARE(w.pahoVersion, a.pahoVersion);
    QCOMPARE(w.os.id, a.os.id);
    // The rest was not looked at: no files (weewx.conf's passwords included), logs or ports.
    QVERIFY(!a.files.isEmpty());
    QVERIFY(w.files.isEmpty());
    QVERIFY(w.logs.isEmpty());
    QVERIFY(w.listeningPorts.isEmpty());
    QVERIFY(w.services.isEmpty());
    QVERIFY(!a.weewx.version.isEmpty());
    QVERIFY(w.weewx.version.isEmpty()); // a python start less
    QVERIFY(!w.hasWeewxMqtt());
    QVERIFY(w.weewx.mqttInstaller.isEmpty());

    // With weewx-mqtt installed, its installer copy is enough for an apply: no weectl listing
    // (another python start), and both scopes agree that it is there.
    const SimulatedPi::Result installed = pi.exec(
            {QStringLiteral("weectl"), QStringLiteral("extension"), QStringLiteral("install"),
             QStringLiteral("--yes"), QStringLiteral("weewx-mqtt-master.zip")});
    QVERIFY2(installed.ok(), installed.err.constData());
    const HostFacts::ParseResult allAfter = probe(wmw::HostFactsScope::All);
    const HostFacts::ParseResult weewxAfter = probe(wmw::HostFactsScope::Weewx);
    QVERIFY2(allAfter.ok() && weewxAfter.ok(), qPrintable(allAfter.message + weewxAfter.message));
    QVERIFY(allAfter.facts->weewx.extensions.contains(QStringLiteral("mqtt")));
    QVERIFY(allAfter.facts->hasWeewxMqtt());
    QVERIFY(weewxAfter.facts->hasWeewxMqtt());
    QCOMPARE(weewxAfter.facts->weewx.mqttInstaller,
             QStringLiteral("/etc/weewx/bin/user/installer/mqtt/install.py"));
    QVERIFY(weewxAfter.facts->weewx.extensionListOutput.isEmpty());
}

void TestHostFacts::pahoVersionAsPythonFindsIt_data()
{
    // setup: sh run as root on the Pi, $D is pip's folder for the Pi's python3
    // (/usr/local/lib/python3.X/dist-packages, on a tmpfs of the Pi's own).
    QTest::addColumn<QByteArray>("setup");
    QTest::addColumn<QString>("version");
    QTest::addColumn<QString>("source"); // "python3", or the metadata folder below $D or Debian's
    const QByteArray package = "mkdir -p \"$D/paho/mqtt\" && : >\"$D/paho/__init__.py\" && "
                               "echo \"__version__ = '$V'\" >\"$D/paho/mqtt/__init__.py\"";
    QTest::newRow("Debian's python3-paho-mqtt: its egg-info folder")
            << QByteArray(":") << QStringLiteral("1.6.1")
            << QStringLiteral("/usr/lib/python3/dist-packages/paho_mqtt-1.6.1.egg-info");
    QTest::newRow("pip's 2.1.0 in /usr/local comes before Debian's")
            << "V=2.1.0 && " + package + " && mkdir \"$D/paho_mqtt-2.1.0.dist-info\""
            << QStringLiteral("2.1.0") << QStringLiteral("$D/paho_mqtt-2.1.0.dist-info");
    QTest::newRow("pip's package without its metadata: python3 answers")
            << "V=2.0.0 && " + package << QStringLiteral("2.0.0") << QStringLiteral("python3");
    QTest::newRow("metadata of two versions: python3 answers")
            << "V=1.6.1 && " + package
                       + " && mkdir \"$D/paho_mqtt-1.6.1.dist-info\" "
                         "\"$D/paho_mqtt-2.0.0.dist-info\""
            << QStringLiteral("1.6.1") << QStringLiteral("python3");
    QTest::newRow("a paho folder without mqtt in it: python3 answers (from Debian's)")
            << QByteArray("mkdir -p \"$D/paho\" && mkdir \"$D/paho_mqtt-2.1.0.dist-info\"")
            << QStringLiteral("1.6.1") << QStringLiteral("python3");
}

void TestHostFacts::pahoVersionAsPythonFindsIt()
{
    QFETCH(QByteArray, setup);
    QFETCH(QString, version);
    QFETCH(QString, source);
    if (const QString why = SimulatedPi::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    SimulatedPi pi;
    QString error;
    QVERIFY2(pi.start(&error), qPrintable(error));
    // The Pi's /usr is the host's: a tmpfs over /usr/local/lib, in the Pi's mount namespace
    // only, takes what a row installs there.
    const SimulatedPi::Result prepared = pi.exec(
            {QStringLiteral("sh"), QStringLiteral("-c"),
             QStringLiteral("set -e; mount -t tmpfs tmpfs /usr/local/lib; "
                            "D=/usr/local/lib/$(python3 -c 'import sys; "
                            "print(\"python%d.%d\" % sys.version_info[:2])')/dist-packages; "
                            "mkdir -p \"$D\"; echo \"$D\"; ")
                     + QString::fromUtf8(setup)});
    QVERIFY2(prepared.ok(), prepared.err.constData());
    const QString pipFolder = QString::fromUtf8(prepared.out.trimmed());
    source.replace(QStringLiteral("$D"), pipFolder);
    for (const wmw::HostFactsScope scope : {wmw::HostFactsScope::All, wmw::HostFactsScope::Weewx}) {
        const SimulatedPi::Result run =
                pi.ssh(QStringLiteral("sudo -S -p '' sh -s"),
                       pi.password() + '\n' + wmw::hostFactsProbeScript(scope));
        QVERIFY2(run.ok(), run.err.constData());
        const HostFacts::ParseResult result = HostFacts::parse(run.out);
        QVERIFY2(result.ok(), qPrintable(result.message));
        QCOMPARE(result.facts->pahoVersion, version);
        QCOMPARE(result.facts->pahoSource, source);
    }
}

void TestHostFacts::probeThroughSshSession_data()
{
    QTest::addColumn<bool>("withSudo");
    QTest::newRow("with the sudo password the probe reads every file") << true;
    QTest::newRow("without it the probe says what it could not read") << false;
}

// The way the program runs the probe: its own libssh session, logged in with the password,
// the probe script and the sudo password on stdin in one round trip.
void TestHostFacts::probeThroughSshSession()
{
    QFETCH(bool, withSudo);
    if (const QString why = SimulatedPi::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    SimulatedPi pi;
    QString error;
    QVERIFY2(pi.start(&error), qPrintable(error));

    QTemporaryDir sshDir; // no default keys: the password is the only way in
    QVERIFY(sshDir.isValid());
    wmw::ssh::SshTarget target;
    target.host = pi.host();
    target.port = pi.sshPort();
    target.user = pi.user();
    target.password = QString::fromUtf8(pi.password());
    target.knownHostsFile = pi.knownHostsFile();
    target.sshDirectory = sshDir.path();
    target.processConfig = false;
    target.agentSocket = sshDir.filePath(QStringLiteral("no-agent"));

    wmw::ssh::SshSession session;
    QSignalSpy connected(&session, &wmw::ssh::SshSession::connected);
    session.connectToHost(target);
    QVERIFY2(connected.wait(20000), qPrintable(session.errorString()));

    wmw::ssh::SshJob *job = wmw::runHostFactsProbe(
            session, withSudo ? QString::fromUtf8(pi.password()) : QString());
    QSignalSpy finished(job, &wmw::ssh::SshJob::finished);
    QVERIFY(finished.wait(60000));
    QVERIFY2(job->result().ok(), qPrintable(job->result().errorString));
    const HostFacts::ParseResult result = HostFacts::parse(job->result().stdOut);
    QVERIFY2(result.ok(), qPrintable(result.message));
    const HostFacts &f = *result.facts;

    QCOMPARE(f.ranAsRoot(), withSudo);
    QCOMPARE(f.probeUser, pi.user());
    QCOMPARE(f.hostname, QStringLiteral("raspberrypi"));
    QCOMPARE(f.services.value(QStringLiteral("mosquitto")), QStringLiteral("active"));
    const auto weewxConf = f.file(QStringLiteral("/etc/weewx/weewx.conf"));
    QVERIFY(weewxConf);
    QVERIFY(weewxConf->exists);
    if (withSudo) {
        QCOMPARE(weewxConf->content, pi.readFile(QStringLiteral("/etc/weewx/weewx.conf")));
    } else {
        QCOMPARE(weewxConf->error, QStringLiteral("unreadable"));
        QVERIFY(weewxConf->content.isEmpty());
    }
}

// Regression: the probe read owner, group, mode, size and time of the files that acl_file and
// password_file name as one field, so every Pi with those files gave an unparsable report.
void TestHostFacts::aclAndPasswordFilesAreStatted()
{
    if (const QString why = SimulatedPi::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    SimulatedPi pi;
    QString error;
    QVERIFY2(pi.start(&error), qPrintable(error));
    QVERIFY(pi.writeFile(QStringLiteral("/etc/mosquitto/conf.d/local.conf"),
                         "password_file /etc/mosquitto/passwd\nacl_file /etc/mosquitto/acl\n",
                         QStringLiteral("root:root"), QStringLiteral("644")));
    QVERIFY(pi.writeFile(QStringLiteral("/etc/mosquitto/acl"), "user weewx\ntopic weather/#\n",
                         QStringLiteral("mosquitto:mosquitto"), QStringLiteral("700")));
    QVERIFY(pi.writeFile(QStringLiteral("/etc/mosquitto/passwd"), "weewx:$7$101$x$y\n",
                         QStringLiteral("mosquitto:mosquitto"), QStringLiteral("600")));

    const SimulatedPi::Result run = pi.ssh(QStringLiteral("sudo -S -p '' sh -s"),
                                           pi.password() + '\n' + wmw::hostFactsProbeScript());
    QVERIFY2(run.ok(), run.err.constData());
    const HostFacts::ParseResult result = HostFacts::parse(run.out);
    QVERIFY2(result.ok(), qPrintable(result.message));
    const HostFacts &f = *result.facts;
    const QList<wmw::FileFacts> acl = f.filesWithRole(QStringLiteral("acl"));
    QCOMPARE(acl.size(), 1);
    QCOMPARE(acl.first().path, QStringLiteral("/etc/mosquitto/acl"));
    QCOMPARE(acl.first().owner, QStringLiteral("mosquitto"));
    QCOMPARE(acl.first().group, QStringLiteral("mosquitto"));
    QCOMPARE(acl.first().mode, 0700);
    QCOMPARE(acl.first().content, QByteArray("user weewx\ntopic weather/#\n"));
    const QList<wmw::FileFacts> password = f.filesWithRole(QStringLiteral("password"));
    QCOMPARE(password.size(), 1);
    QCOMPARE(password.first().mode, 0600);
    QCOMPARE(password.first().size, qint64(17));
    QVERIFY(password.first().secret);
}

QTEST_GUILESS_MAIN(TestHostFacts)
#include "tst_hostfacts.moc"
