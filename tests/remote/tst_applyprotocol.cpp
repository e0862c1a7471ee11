// SPDX-License-Identifier: GPL-3.0-or-later
// ApplyProtocol without a Pi: what the laptop writes into the manifest and how it reads the
// progress lines and the read script's answer. apply.sh splits manifest lines on blanks and
// knows no quoting, and a progress file or a read answer may be cut off or garbled: every bad
// line must give a clear error (naming the path) or be ignored, never a crash or a wrong file.
#include "config/plan.h"
#include "config/stationprofile.h"
#include "remote/provisioning/applyprotocol.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

using namespace wmw;
using provisioning::ApplyProtocol;
using provisioning::ProgressLine;

class tst_ApplyProtocol : public QObject
{
    Q_OBJECT

private slots:
    void progressLine_data();
    void progressLine();
    void everyStepIsDescribed_data();
    void everyStepIsDescribed();
    void readAnswer_data();
    void readAnswer();
    void manifest_data();
    void manifest();
    void originalCopyInManifest_data();
    void originalCopyInManifest();
    void undoManifestAndNames();
    void probeAndReadInOneShell_data();
    void probeAndReadInOneShell();
    void probeAndReadCutOff();
    void probeReadThenStage_data();
    void probeReadThenStage();
};

void tst_ApplyProtocol::progressLine_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("ours");
    QTest::addColumn<QString>("step");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("detail");

    QTest::newRow("install of a path")
            << QByteArray("@wmw install ok /etc/mosquitto/acl") << true << "install"
            << "ok"
            << "/etc/mosquitto/acl";
    QTest::newRow("path with spaces stays whole")
            << QByteArray("@wmw install ok /etc/my dir/weewx.conf") << true << "install"
            << "ok"
            << "/etc/my dir/weewx.conf";
    QTest::newRow("log line with blanks")
            << QByteArray("@wmw log failed Error: Address already in use") << true << "log"
            << "failed"
            << "Error: Address already in use";
    QTest::newRow("no detail") << QByteArray("@wmw rollback start") << true << "rollback"
                               << "start"
                               << "";
    QTest::newRow("carriage return at the end")
            << QByteArray("@wmw end ok 20250101T120000Z\r") << true << "end"
            << "ok"
            << "20250101T120000Z";
    QTest::newRow("unknown step is kept for the log")
            << QByteArray("@wmw frobnicate ok x") << true << "frobnicate"
            << "ok"
            << "x";
    QTest::newRow("truncated after the step") << QByteArray("@wmw install") << false << ""
                                              << ""
                                              << "";
    QTest::newRow("truncated after the marker") << QByteArray("@wmw ") << false << ""
                                                << ""
                                                << "";
    QTest::newRow("truncated inside the marker") << QByteArray("@wm") << false << ""
                                                 << ""
                                                 << "";
    QTest::newRow("empty line") << QByteArray() << false << ""
                                << ""
                                << "";
    QTest::newRow("not ours") << QByteArray("Published record 2025-01-01") << false << ""
                              << ""
                              << "";
    QTest::newRow("marker not at the start") << QByteArray("x @wmw end ok nothing") << false << ""
                                             << ""
                                             << "";
    QTest::newRow("blanks only after the marker") << QByteArray("@wmw      ") << false << ""
                                                  << ""
                                                  << "";
    QTest::newRow("invalid UTF-8 and NUL in the detail")
            << QByteArray("@wmw log failed ") + QByteArray("\xff\xfe\x00zz", 5) << true << "log"
            << "failed" << QString::fromUtf8(QByteArray("\xff\xfe\x00zz", 5));
}

void tst_ApplyProtocol::progressLine()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, ours);
    const std::optional<ProgressLine> parsed = ApplyProtocol::parseProgress(line);
    QCOMPARE(parsed.has_value(), ours);
    if (!parsed)
        return;
    QTEST(parsed->step, "step");
    QTEST(parsed->status, "status");
    QTEST(parsed->detail, "detail");
    // Whatever the line, the user sees a sentence.
    QVERIFY(!ApplyProtocol::describe(*parsed).trimmed().isEmpty());
}

void tst_ApplyProtocol::everyStepIsDescribed_data()
{
    QTest::addColumn<QString>("step");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("detail");
    QTest::addColumn<QString>("mentions");

    QTest::newRow("changed file named") << "check"
                                        << "changed"
                                        << "/etc/weewx/weewx.conf"
                                        << "/etc/weewx/weewx.conf";
    QTest::newRow("port named") << "listen"
                                << "failed"
                                << "9001"
                                << "9001";
    QTest::newRow("restart reason") << "restart"
                                    << "failed"
                                    << "mosquitto Job failed"
                                    << "Job failed";
    QTest::newRow("restart without reason") << "restart"
                                            << "failed"
                                            << "mosquitto"
                                            << "mosquitto";
    QTest::newRow("backup folder") << "backup"
                                   << "ok"
                                   << "20250101T120000Z"
                                   << "/var/backups/weewx-mqtt-wizard/20250101T120000Z";
    QTest::newRow("copy from before the weewx-mqtt install taken over")
            << "original"
            << "ok"
            << "/var/backups/weewx-mqtt-wizard/before-weewx-mqtt-20261204T112233Z-044"
            << "before-weewx-mqtt-20261204T112233Z-044";
    QTest::newRow("why weewx stopped")
            << "weewxlog"
            << "error"
            << "CRITICAL weewx.engine:       ****  No module named 'user.mqtt'"
            << "No module named 'user.mqtt'";
    QTest::newRow("end with a reason") << "end"
                                       << "failed"
                                       << "mosquitto"
                                       << "mosquitto";
    QTest::newRow("unknown step") << "frobnicate"
                                  << "weird"
                                  << "x y"
                                  << "frobnicate";
    QTest::newRow("unknown step without detail") << "frobnicate"
                                                 << ""
                                                 << ""
                                                 << "frobnicate";
}

void tst_ApplyProtocol::everyStepIsDescribed()
{
    QFETCH(QString, step);
    QFETCH(QString, status);
    QFETCH(QString, detail);
    QFETCH(QString, mentions);
    const QString text = ApplyProtocol::describe(ProgressLine{step, status, detail});
    QVERIFY2(text.contains(mentions), qPrintable(text));
}

void tst_ApplyProtocol::readAnswer_data()
{
    QTest::addColumn<QByteArray>("output");
    QTest::addColumn<QString>("error"); // a part of the message; empty: ok
    QTest::addColumn<bool>("exists");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("owner");
    QTest::addColumn<int>("mode");

    const QByteArray b64 = QByteArray("listener 1883\n").toBase64();
    QTest::newRow("a file with owner and mode")
            << QByteArray("F 1 root mosquitto 640\n" + b64 + '\n') << QString() << true
            << QByteArray("listener 1883\n") << "root" << 0640;
    QTest::newRow("an absent file")
            << QByteArray("F 0\n\n") << QString() << false << QByteArray() << "" << 0;
    QTest::newRow("an empty file") << QByteArray("F 1 root root 644\n\n") << QString() << true
                                   << QByteArray() << "root" << 0644;
    QTest::newRow("no answer at all")
            << QByteArray() << "missing" << false << QByteArray() << "" << 0;
    QTest::newRow("truncated after the head")
            << QByteArray("F 1 root root 644") << "missing" << false << QByteArray() << "" << 0;
    QTest::newRow("garbled head") << QByteArray("G 1 root root 644\n" + b64 + '\n') << "garbled"
                                  << false << QByteArray() << "" << 0;
    QTest::newRow("head without a state")
            << QByteArray("F\n\n") << "garbled" << false << QByteArray() << "" << 0;
    QTest::newRow("a directory") << QByteArray("F 2\n\n") << "not a regular file" << false
                                 << QByteArray() << "" << 0;
    QTest::newRow("unreadable") << QByteArray("F 3\n\n") << "cannot be read" << false
                                << QByteArray() << "" << 0;
    QTest::newRow("mode not octal") << QByteArray("F 1 root root 9x4\n" + b64 + '\n')
                                    << "cannot be read" << false << QByteArray() << "" << 0;
    QTest::newRow("owner missing") << QByteArray("F 1 root 644\n" + b64 + '\n') << "cannot be read"
                                   << false << QByteArray() << "" << 0;
    QTest::newRow("owner with a blank") << QByteArray("F 1 my user root 644\n" + b64 + '\n')
                                        << "cannot be read" << false << QByteArray() << "" << 0;
    QTest::newRow("unknown state")
            << QByteArray("F 7\n\n") << "cannot be read" << false << QByteArray() << "" << 0;
    QTest::newRow("damaged base64") << QByteArray("F 1 root root 644\n%%%not base64%%%\n")
                                    << "damaged" << false << QByteArray() << "" << 0;
    QTest::newRow("answer cut inside the base64")
            << QByteArray("F 1 root root 644\n" + b64.left(12)) << "missing" << false
            << QByteArray() << "" << 0;
}

void tst_ApplyProtocol::readAnswer()
{
    QFETCH(QByteArray, output);
    QFETCH(QString, error);
    const QString path = QStringLiteral("/etc/mosquitto/conf.d/weewx-mqtt-wizard.conf");
    const ApplyProtocol::ReadResult read = ApplyProtocol::parseRead(output, {path});
    if (!error.isEmpty()) {
        QVERIFY(!read.ok());
        QVERIFY2(read.errorString.contains(error), qPrintable(read.errorString));
        QVERIFY2(read.errorString.contains(path), qPrintable(read.errorString));
        return;
    }
    QVERIFY2(read.ok(), qPrintable(read.errorString));
    QVERIFY(read.files.contains(path));
    const config::CurrentFile file = read.files.value(path);
    QTEST(file.exists, "exists");
    QTEST(file.bytes, "bytes");
    QTEST(file.owner, "owner");
    QTEST(file.mode, "mode");
}

void tst_ApplyProtocol::manifest_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("owner");
    QTest::addColumn<QString>("error"); // a part of the message; empty: a manifest

    QTest::newRow("plain path") << "/etc/mosquitto/acl"
                                << "mosquitto" << QString();
    QTest::newRow("path with a space") << "/etc/my dir/acl"
                                       << "root"
                                       << "/etc/my dir/acl";
    QTest::newRow("path with a newline")
            << "/etc/mosquitto/acl\nfile 9 weewx root root 0644 absent /etc/shadow"
            << "root"
            << "/etc/mosquitto/acl";
    QTest::newRow("path with a tab") << "/etc/mosquitto/a\tcl"
                                     << "root"
                                     << "/etc/mosquitto/a";
    QTest::newRow("path climbing out") << "/etc/mosquitto/../shadow"
                                       << "root"
                                       << "/etc/mosquitto/../shadow";
    QTest::newRow("path with a shell word") << "/etc/$(reboot)"
                                            << "root"
                                            << "/etc/$(reboot)";
    QTest::newRow("owner with a blank") << "/etc/mosquitto/acl"
                                        << "root x"
                                        << "root x";
    QTest::newRow("owner starting with a digit") << "/etc/mosquitto/acl"
                                                 << "0day"
                                                 << "0day";
    QTest::newRow("owner too long")
            << "/etc/mosquitto/acl" << QString(40, u'a') << QString(40, u'a');
}

void tst_ApplyProtocol::manifest()
{
    QFETCH(QString, path);
    QFETCH(QString, owner);
    QFETCH(QString, error);
    config::StationProfile profile;
    profile.mqttPort = 1883;
    profile.websocketPort = 9001;
    config::FileEntry entry;
    entry.path = path;
    entry.bytes = "acl\n";
    entry.owner = owner;
    entry.group = QStringLiteral("root");
    entry.mode = 0640;
    config::FileSet wanted;
    // FileSet may refuse some hostile paths itself; the manifest must refuse the rest.
    if (!wanted.add(entry)) {
        QVERIFY(!error.isEmpty());
        return;
    }
    config::CurrentFile old;
    old.exists = true;
    old.bytes = "old acl\n";
    old.owner = old.group = QStringLiteral("root");
    old.mode = 0644;
    const config::Plan plan = config::Plan::make(wanted, {{path, old}});
    QString why;
    const QByteArray manifest = ApplyProtocol::applyManifest(
            QStringLiteral("weewx-mqtt-wizard.abc123"), plan, profile, &why);
    if (!error.isEmpty()) {
        QVERIFY(manifest.isEmpty());
        QVERIFY2(why.contains(error), qPrintable(why));
        return;
    }
    QVERIFY2(why.isEmpty(), qPrintable(why));
    const QList<QByteArray> lines = manifest.trimmed().split('\n');
    QCOMPARE(lines.value(0), QByteArray("wmw-manifest 1"));
    QVERIFY(lines.contains("mode apply"));
    QVERIFY(lines.contains("run weewx-mqtt-wizard.abc123"));
    QVERIFY(lines.contains("ports 1883 9001"));
    // One file line: index, unit, owner, group, mode, the checksum read, the path.
    const QByteArray fileLine = "file 1 mosquitto " + owner.toUtf8() + " root 0640 "
                                + ApplyProtocol::sha256Hex("old acl\n") + ' ' + path.toUtf8();
    QVERIFY2(lines.contains(fileLine), manifest.constData());
}

void tst_ApplyProtocol::originalCopyInManifest_data()
{
    QTest::addColumn<QString>("copy");
    QTest::addColumn<bool>("existedBefore");
    QTest::addColumn<QString>("error"); // empty: accepted

    const QString made = ApplyProtocol::originalCopyDir(
                                 QDateTime(QDate(2026, 12, 4), QTime(11, 22, 33, 44), Qt::UTC))
                         + QStringLiteral("/weewx.conf");
    QTest::newRow("the copy taken before the install") << made << true << QString();
    QTest::newRow("a copy outside the backup folder")
            << QStringLiteral("/tmp/before-weewx-mqtt-20261204T112233Z-044/weewx.conf") << true
            << QStringLiteral("cannot be the backup");
    QTest::newRow("a copy climbing out of the backup folder")
            << QStringLiteral("/var/backups/weewx-mqtt-wizard/before-weewx-mqtt-1/../../../etc/"
                              "shadow")
            << true << QStringLiteral("cannot be the backup");
    QTest::newRow("a copy with a newline that would add a manifest line")
            << made + QStringLiteral("\nmode undo") << true
            << QStringLiteral("cannot be the backup");
    QTest::newRow("a copy of a file that did not exist")
            << made << false << QStringLiteral("cannot be the backup");
}

void tst_ApplyProtocol::originalCopyInManifest()
{
    QFETCH(QString, copy);
    QFETCH(bool, existedBefore);
    QFETCH(QString, error);
    QCOMPARE(ApplyProtocol::originalCopyDir(
                     QDateTime(QDate(2026, 12, 4), QTime(11, 22, 33, 44), Qt::UTC)),
             QStringLiteral(
                     "/var/backups/weewx-mqtt-wizard/before-weewx-mqtt-20261204T112233Z-044"));
    config::StationProfile profile;
    config::FileSet wanted;
    config::FileEntry acl;
    acl.path = QStringLiteral("/etc/mosquitto/acl");
    acl.bytes = "acl\n";
    acl.owner = acl.group = QStringLiteral("root");
    acl.mode = 0640;
    config::FileEntry conf = acl;
    conf.path = profile.weewxConfPath;
    conf.bytes = "[StdRESTful]\n";
    conf.owner = conf.group = QStringLiteral("weewx");
    QVERIFY(wanted.add(acl));
    QVERIFY(wanted.add(conf));
    config::CurrentFile left; // as weectl left it
    left.exists = existedBefore;
    left.bytes = existedBefore ? "[[MQTT]]\n    server_url = INSERT_SERVER_URL_HERE\n" : "";
    left.owner = left.group = QStringLiteral("weewx");
    left.mode = 0644;
    const config::Plan plan = config::Plan::make(wanted, {{conf.path, left}});
    QString why;
    const QByteArray manifest = ApplyProtocol::applyManifest(QStringLiteral("r1"), plan, profile,
                                                             &why, {{conf.path, copy}});
    if (!error.isEmpty()) {
        QVERIFY(manifest.isEmpty());
        QVERIFY2(why.contains(error), qPrintable(why));
        return;
    }
    QVERIFY2(why.isEmpty(), qPrintable(why));
    // The original line names weewx.conf's index; the acl has none.
    int confIndex = 0;
    for (int i = 0; i < plan.files().size(); ++i)
        if (plan.files().at(i).wanted.path == conf.path)
            confIndex = i + 1;
    const QList<QByteArray> lines = manifest.trimmed().split('\n');
    QVERIFY2(lines.contains("original " + QByteArray::number(confIndex) + ' ' + copy.toUtf8()),
             manifest.constData());
    int originals = 0;
    for (const QByteArray &line : lines)
        originals += line.startsWith("original ");
    QCOMPARE(originals, 1);
}

void tst_ApplyProtocol::undoManifestAndNames()
{
    QVERIFY(ApplyProtocol::undoManifest(QStringLiteral("r1"), {}).contains("backup latest\n"));
    QVERIFY(ApplyProtocol::undoManifest(QStringLiteral("r1"), QStringLiteral("20250101T120000Z"))
                    .contains("backup 20250101T120000Z\n"));
    QVERIFY(ApplyProtocol::isBackupName(QStringLiteral("20250101T120000Z")));
    QVERIFY(ApplyProtocol::isBackupName(QStringLiteral("20250101T120000Z-2")));
    QVERIFY(!ApplyProtocol::isBackupName(QStringLiteral("latest")));
    QVERIFY(!ApplyProtocol::isBackupName(QStringLiteral("20250101T120000Z\nmode apply")));
    QVERIFY(!ApplyProtocol::isBackupName(QStringLiteral("../20250101T120000Z")));
}

QTEST_MAIN(tst_ApplyProtocol)
void tst_ApplyProtocol::probeAndReadInOneShell_data()
{
    QTest::addColumn<QByteArray>("probeOutput"); // what the stand-in probe prints
    QTest::newRow("probe output after the read")
            << QByteArray("#wmw-hostfacts 1\nprobe.uid=0\n#end\n");
    QTest::newRow("probe output that looks like the marker stays the probe's")
            << QByteArray("x\n@wmw-probe\nF 0\n\n");
    // More than a pipe holds: the probe waits until the read is done, no deadlock.
    QTest::newRow("probe output larger than a pipe buffer") << QByteArray(200 * 1024, 'p') + '\n';
}

// The script runs in the shell a Pi has (dash as sh), on real files: the read part must be
// exactly what the read script prints, the probe part exactly what the probe prints, and the
// probe must not see the read's input.
void tst_ApplyProtocol::probeAndReadInOneShell()
{
    QFETCH(QByteArray, probeOutput);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString present = dir.filePath(QStringLiteral("acl"));
    const QString missing = dir.filePath(QStringLiteral("passwd"));
    const QByteArray content("user weewx\ntopic readwrite weather/#\n\xff\x00 end");
    QFile file(present);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
    file.close();

    // The stand-in probe prints at once, so its output must wait for the read; it reads stdin
    // to show that it gets none of the script; an `exit` in it must not end the script.
    const QByteArray probe = "if read -r line; then echo \"stole $line\"; fi\nprintf '%s' "
                             + QByteArray("'") + probeOutput + "'\nexit 3\n";
    QProcess sh;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TMPDIR"), dir.path());
    sh.setProcessEnvironment(env);
    sh.start(QStringLiteral("/bin/sh"), {QStringLiteral("-s")});
    QVERIFY(sh.waitForStarted());
    sh.write(ApplyProtocol::probeAndReadScript(probe, {present, missing}));
    sh.closeWriteChannel();
    QVERIFY(sh.waitForFinished(10000));
    QCOMPARE(sh.exitCode(), 0);
    QCOMPARE(sh.readAllStandardError(), QByteArray());

    const auto [probed, read] = ApplyProtocol::splitProbeAndRead(sh.readAllStandardOutput());
    QCOMPARE(probed, probeOutput);
    QVERIFY(read.has_value());
    const ApplyProtocol::ReadResult parsed = ApplyProtocol::parseRead(*read, {present, missing});
    QVERIFY2(parsed.ok(), qPrintable(parsed.errorString));
    QVERIFY(parsed.files.value(present).exists);
    QCOMPARE(parsed.files.value(present).bytes, content);
    QVERIFY(!parsed.files.value(missing).exists);
    // Nothing written to the temporary folder: only the file of this test.
    QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
             QStringList{QStringLiteral("acl")});
}

// An answer cut off before the marker: no probe part (the text holds files' contents, which
// must not end up in a message about the probe), and no read part.
void tst_ApplyProtocol::probeAndReadCutOff()
{
    const auto [probed, read] =
            ApplyProtocol::splitProbeAndRead(QByteArray("F 1 root root 600\nc2VjcmV0\nF 1 root"));
    QCOMPARE(probed, QByteArray());
    QVERIFY(!read.has_value());
}

void tst_ApplyProtocol::probeReadThenStage_data()
{
    QTest::addColumn<QString>("input"); // what the laptop writes after the ready line
    QTest::addColumn<bool>("launches");
    QTest::addColumn<int>("exitCode");
    QTest::newRow("end of file after the answer: nothing staged, nothing run")
            << "nothing" << false << 0;
    QTest::newRow("another run's header: nothing staged, nothing run") << "other" << false << 0;
    QTest::newRow("archive cut off: the staging folder goes again") << "cut" << false << 1;
    QTest::newRow("whole archive: the staged apply.sh runs on its folder") << "whole" << true << 0;
    QTest::newRow("a run of its own, whole archive from the start (undo)") << "alone" << true << 0;
    QTest::newRow("a run of its own, archive cut off") << "alone-cut" << false << 1;
    QTest::newRow("more: an install first, the files read again, then the archive")
            << "more-whole" << true << 0;
    QTest::newRow("more: an install first, then end of file: nothing staged")
            << "more-nothing" << false << 0;
    QTest::newRow("more: the install fails: the run ends with its status, nothing read")
            << "more-fails" << false << 7;
}

// The whole apply's sudo run in the shell a Pi has (dash as sh): the answer first, then, on
// the same stdin, the staged files. Only a whole archive after this run's header starts the
// staged script; anything else leaves no folder behind.
void tst_ApplyProtocol::probeReadThenStage()
{
    QFETCH(QString, input);
    QFETCH(bool, launches);
    QFETCH(int, exitCode);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString runId = ApplyProtocol::newRunId();
    const QString stage = QStringLiteral("/tmp/weewx-mqtt-wizard.") + runId;
    const QString ran = dir.filePath(QStringLiteral("ran"));
    const QString present = dir.filePath(QStringLiteral("acl"));
    QFile file(present);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("user weewx\n");
    file.close();

    // The launch makes the Pi's state folder; on a test machine (as root) it goes again.
    const bool hadStateDir = QFileInfo::exists(ApplyProtocol::stateDir());
    const auto removeStateDir = qScopeGuard([hadStateDir] {
        if (!hadStateDir)
            QDir().rmdir(ApplyProtocol::stateDir());
    });

    QProcess sh;
    const bool alone = input.startsWith(u"alone");
    if (alone) {
        sh.start(QStringLiteral("/bin/sh"),
                 {QStringLiteral("-c"),
                  QString::fromUtf8(ApplyProtocol::stageAndLaunchCommand(runId))});
        QVERIFY(sh.waitForStarted());
    } else {
        sh.start(QStringLiteral("/bin/sh"), {QStringLiteral("-s")});
        QVERIFY(sh.waitForStarted());
        sh.write(ApplyProtocol::probeAndReadScript("echo probed", {present}, runId));
        // The answer and the ready line come while stdin is still open.
        QByteArray out;
        const QByteArray ready = ApplyProtocol::readyMarker(runId);
        while (!out.contains(ready) && sh.waitForReadyRead(10000))
            out += sh.readAllStandardOutput();
        QVERIFY2(out.endsWith(ready), out.constData());
        const auto [probed, read] = ApplyProtocol::splitProbeAndRead(out.chopped(ready.size()));
        QCOMPARE(probed, QByteArray("probed\n"));
        QVERIFY(read.has_value());
        QVERIFY(ApplyProtocol::parseRead(*read, {present}).files.value(present).exists);
    }
    if (input.startsWith(u"more")) {
        // The same run goes on: a first step that changes the file (as weectl changes
        // weewx.conf) without stdin, then the read again, then the ready line again.
        const bool fails = input == u"more-fails";
        const QByteArray first =
                fails ? QByteArray("echo 'no network' >&2; echo tried; exit 7")
                      : "echo installing; cat; echo 'user weewx-mqtt' >>" + present.toUtf8();
        sh.write(ApplyProtocol::moreHeader(runId)
                 + ApplyProtocol::probeAndReadScript(":", {present}, runId, first));
        if (fails) {
            sh.closeWriteChannel();
            QVERIFY(sh.waitForFinished(20000));
            QCOMPARE(sh.exitCode(), exitCode);
            const ApplyProtocol::FirstPart part =
                    ApplyProtocol::splitFirst(sh.readAllStandardOutput());
            QCOMPARE(part.output, QByteArray("tried\n"));
            QCOMPARE(part.status, 7);
            QCOMPARE(part.rest, QByteArray());
            QCOMPARE(sh.readAllStandardError(), QByteArray("no network\n"));
            QVERIFY(!QFileInfo::exists(stage));
            return;
        }
        QByteArray out;
        const QByteArray ready = ApplyProtocol::readyMarker(runId);
        while (!out.contains(ready) && sh.waitForReadyRead(10000))
            out += sh.readAllStandardOutput();
        QVERIFY2(out.endsWith(ready), out.constData());
        const ApplyProtocol::FirstPart part = ApplyProtocol::splitFirst(out.chopped(ready.size()));
        // `cat` in the first step got end of file, not the input that follows.
        QCOMPARE(part.output, QByteArray("installing\n"));
        QCOMPARE(part.status, 0);
        const auto [probed, read] = ApplyProtocol::splitProbeAndRead(part.rest);
        QCOMPARE(probed, QByteArray());
        QVERIFY(read.has_value());
        QCOMPARE(ApplyProtocol::parseRead(*read, {present}).files.value(present).bytes,
                 QByteArray("user weewx\nuser weewx-mqtt\n"));
    }

    // A stand-in for apply.sh: shows what it was given, and removes its folder as apply.sh does.
    const QByteArray applySh =
            "printf '%s\\n' \"$1\" >" + ran.toUtf8() + ".part\ncat \"$1/files/1\" >>" + ran.toUtf8()
            + ".part\nrm -rf -- \"$1\"\nmv " + ran.toUtf8() + ".part " + ran.toUtf8() + "\n";
    const QByteArray archive = ApplyProtocol::stageArchive(
            {{QStringLiteral("files/1"), QByteArray("new acl\n")},
             {QStringLiteral("apply.sh"), applySh},
             {QStringLiteral("manifest"), QByteArray("wmw-manifest 1\n")}});
    if (input == u"other")
        sh.write(ApplyProtocol::stageHeader(ApplyProtocol::newRunId()) + archive);
    else if (input.endsWith(u"cut"))
        sh.write(ApplyProtocol::stageHeader(runId) + archive.left(1024 + 300));
    else if (input == u"whole" || input == u"alone" || input == u"more-whole")
        sh.write(ApplyProtocol::stageHeader(runId) + archive);
    sh.closeWriteChannel();
    QVERIFY(sh.waitForFinished(20000));
    const QByteArray out = sh.readAllStandardOutput();
    QCOMPARE(sh.exitCode(), exitCode);
    QFile::remove(ApplyProtocol::stateDir() + u'/' + runId + QStringLiteral(".progress"));
    if (!launches) {
        QCOMPARE(out, QByteArray());
        QVERIFY(!QFileInfo::exists(stage));
        QVERIFY(!QFileInfo::exists(ran));
        return;
    }
    QVERIFY2(out.startsWith("started\n"), out.constData());
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(ran), 10000);
    QFile result(ran);
    QVERIFY(result.open(QIODevice::ReadOnly));
    QCOMPARE(result.readAll(), stage.toUtf8() + "\nnew acl\n");
    QVERIFY(!QFileInfo::exists(stage));
}

#include "tst_applyprotocol.moc"
