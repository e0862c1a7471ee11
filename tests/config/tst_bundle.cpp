// SPDX-License-Identifier: GPL-3.0-or-later
// The export bundle's contents: modes, manifest, reproducibility, where passwords may appear,
// and the weewx.conf edit run by the real ConfigObj (/usr/bin/python3) on a corpus of files.

#include "config/bundle.h"
#include "config/weewxconf.h"
#include "config/weewxconf_liveupdate.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace wmw::config;

namespace {

const QString Root = Bundle::rootName() + u'/';
// A comma (ConfigObj would read a list) and shell syntax, which must stay inert everywhere.
const QString PublishPassword = QStringLiteral("pub-S3cret,with;$(odd)&chars");
const QString WebPassword = QStringLiteral("web-visible-1");

StationProfile profile()
{
    StationProfile p;
    p.piHost = QStringLiteral("weatherpi.local");
    p.sshUser = QStringLiteral("pi");
    return p;
}

Secrets secrets()
{
    Secrets s;
    s.publishPassword = PublishPassword;
    s.webPassword = WebPassword;
    s.sshPassword = QStringLiteral("ssh-never-in-bundle");
    s.sudoPassword = QStringLiteral("sudo-never-in-bundle");
    return s;
}

// Reproducible salts: a counter, so two calls give the same bytes.
SaltSource countingSalts(char seed)
{
    auto counter = std::make_shared<char>(seed);
    return [counter](int size) {
        return QByteArray(size, (*counter)++);
    };
}

BundleInput input(char seed = 'a')
{
    BundleInput in;
    in.profile = profile();
    in.secrets = secrets();
    in.salts = countingSalts(seed);
    return in;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run python(const QStringList &arguments, const QByteArray &input = {})
{
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"), arguments);
    p.write(input);
    p.closeWriteChannel();
    Run run;
    if (!p.waitForFinished(60000))
        return run;
    run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    run.out = p.readAllStandardOutput();
    run.err = p.readAllStandardError();
    return run;
}

// What ConfigObj, read the way WeeWX reads it, sees of the live-update settings.
QJsonObject liveValues(const QString &confPath)
{
    const QByteArray script = R"PY(
import configobj, json, sys
c = configobj.ConfigObj(sys.argv[1], encoding='utf-8', interpolation='ConfigParser',
                        file_error=True)
def get(*path):
    s = c
    for name in path:
        s = s.get(name, {}) if hasattr(s, 'get') else {}
    return s
out = {'mqtt': dict(get('StdRESTful', 'MQTT')),
       'extras': dict(get('StdReport', 'Belchertown', 'Extras')),
       'skin': get('StdReport', 'Belchertown').get('skin'),
       'report': 'Belchertown' in get('StdReport'),
       'services': get('Engine', 'Services').get('restful_services')}
print(json.dumps(out, sort_keys=True))
)PY";
    const Run run = python({QStringLiteral("-c"), QString::fromUtf8(script), confPath});
    return QJsonDocument::fromJson(run.out).object();
}

// The weewx.conf edit of a bundle made without a current file: it must work on any file.
QByteArray editScript()
{
    return Bundle::make(input()).find(Root + QStringLiteral("weewx/edit-weewx-conf.py"))->bytes;
}

QString corpus()
{
    return QStringLiteral(WMW_WEEWXCONF_CORPUS);
}

} // namespace

class TestBundle : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void entriesCarryTheirModes_data();
    void entriesCarryTheirModes();
    void manifestListsEveryFileWithItsChecksum();
    void sameProfileAndSaltsGiveSameBytes();
    void otherSaltsChangeOnlyThePasswordFile();
    void passwordsOnlyWhereNeeded_data();
    void passwordsOnlyWhereNeeded();
    void badInputNamesTheField_data();
    void badInputNamesTheField();
    void installScriptIsPosixSh();
    void playbookIsYaml();
    void pythonEditReadBackByConfigObj_data();
    void pythonEditReadBackByConfigObj();
    void pythonEditRefusesWithoutWeewxMqtt();
    void pythonEditKeepsOwnerModeAndBacksUp();
    void pythonEditChecksBeforeWriting_data();
    void pythonEditChecksBeforeWriting();

private:
    QTemporaryDir m_dir;
};

void TestBundle::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (!QFile::exists(QStringLiteral("/usr/bin/python3")))
        QSKIP("/usr/bin/python3 is missing: the real ConfigObj cannot run here");
    QCOMPARE(python({QStringLiteral("-c"), QStringLiteral("import configobj")}).exitCode, 0);
}

void TestBundle::entriesCarryTheirModes_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("mode");
    QTest::addColumn<bool>("directory");

    QTest::newRow("bundle folder: owner only, it holds passwords") << "" << 0700 << true;
    QTest::newRow("install.sh: executable") << "install.sh" << 0755 << false;
    QTest::newRow("README.txt: readable") << "README.txt" << 0644 << false;
    QTest::newRow("acl file: 0700 as mosquitto needs")
            << "files/etc/mosquitto/acl" << 0700 << false;
    QTest::newRow("password file: 0700") << "files/etc/mosquitto/passwd" << 0700 << false;
    QTest::newRow("listener conf: 0644")
            << "files/etc/mosquitto/conf.d/weewx-mqtt-wizard.conf" << 0644 << false;
    QTest::newRow("python edit: private, it holds passwords")
            << "weewx/edit-weewx-conf.py" << 0700 << false;
    QTest::newRow("playbook") << "ansible/playbook.yml" << 0644 << false;
    QTest::newRow("manifest") << "MANIFEST.sha256" << 0644 << false;
    QTest::newRow("folder of the mosquitto files") << "files/etc/mosquitto" << 0755 << true;
}

void TestBundle::entriesCarryTheirModes()
{
    QFETCH(QString, path);
    QFETCH(int, mode);
    QFETCH(bool, directory);
    const BundleResult bundle = Bundle::make(input());
    QVERIFY2(bundle.ok(), qPrintable(bundle.errorString));
    const QString full = path.isEmpty() ? Bundle::rootName() : Root + path;
    const BundleEntry *entry = bundle.find(full);
    QVERIFY2(entry, qPrintable(full));
    QCOMPARE(entry->mode, mode);
    QCOMPARE(entry->isDirectory, directory);
    // Every folder comes before anything inside it.
    for (const BundleEntry &other : bundle.entries) {
        if (&other == entry)
            break;
        QVERIFY(!other.path.startsWith(full + u'/'));
    }
}

void TestBundle::manifestListsEveryFileWithItsChecksum()
{
    const BundleResult bundle = Bundle::make(input());
    QVERIFY(bundle.ok());
    const BundleEntry *manifest = bundle.find(Root + QStringLiteral("MANIFEST.sha256"));
    QVERIFY(manifest);
    const auto sums = Bundle::parseManifest(manifest->bytes);
    QVERIFY(sums);
    int files = 0;
    for (const BundleEntry &entry : bundle.entries) {
        if (entry.isDirectory || &entry == manifest)
            continue;
        ++files;
        const QString relative = entry.path.mid(Root.size());
        QVERIFY2(sums->contains(relative), qPrintable(relative));
        QCOMPARE(sums->value(relative),
                 QCryptographicHash::hash(entry.bytes, QCryptographicHash::Sha256).toHex());
    }
    QCOMPARE(sums->size(), files);
    QVERIFY(!Bundle::parseManifest("not a manifest\n"));
}

void TestBundle::sameProfileAndSaltsGiveSameBytes()
{
    BundleInput in = input('x');
    in.currentWeewxConf = readAll(corpus() + QStringLiteral("/weewx5-package-belchertown.conf"));
    const BundleResult first = Bundle::make(in);
    in.salts = countingSalts('x');
    const BundleResult second = Bundle::make(in);
    QVERIFY(first.ok());
    QCOMPARE(first.entries.size(), second.entries.size());
    for (qsizetype i = 0; i < first.entries.size(); ++i) {
        QCOMPARE(first.entries.at(i).path, second.entries.at(i).path);
        QCOMPARE(first.entries.at(i).mode, second.entries.at(i).mode);
        QVERIFY2(first.entries.at(i).bytes == second.entries.at(i).bytes,
                 qPrintable(first.entries.at(i).path));
    }
}

void TestBundle::otherSaltsChangeOnlyThePasswordFile()
{
    const BundleResult a = Bundle::make(input('a'));
    const BundleResult b = Bundle::make(input('q'));
    QVERIFY(a.ok() && b.ok());
    QStringList differ;
    for (qsizetype i = 0; i < a.entries.size(); ++i) {
        if (a.entries.at(i).bytes != b.entries.at(i).bytes)
            differ << a.entries.at(i).path.mid(Root.size());
    }
    QCOMPARE(differ, QStringList({QStringLiteral("files/etc/mosquitto/passwd"),
                                  QStringLiteral("MANIFEST.sha256")}));
}

void TestBundle::passwordsOnlyWhereNeeded_data()
{
    QTest::addColumn<bool>("withWeewxConf");
    QTest::addColumn<bool>("withReference");
    QTest::addColumn<QStringList>("allowed");

    const QString edit = QStringLiteral("weewx/edit-weewx-conf.py");
    QTest::newRow("plain bundle: only the python edit") << false << false << QStringList{edit};
    QTest::newRow("with weewx.conf: also the edited file")
            << true << false << QStringList{edit, QStringLiteral("weewx/weewx.conf")};
    QTest::newRow("with the reference file: also that")
            << false << true << QStringList{edit, QStringLiteral("reference/passwords.txt")};
}

void TestBundle::passwordsOnlyWhereNeeded()
{
    QFETCH(bool, withWeewxConf);
    QFETCH(bool, withReference);
    QFETCH(QStringList, allowed);
    BundleInput in = input();
    if (withWeewxConf)
        in.currentWeewxConf =
                readAll(corpus() + QStringLiteral("/weewx5-package-belchertown.conf"));
    in.includePasswordReference = withReference;
    const BundleResult bundle = Bundle::make(in);
    QVERIFY2(bundle.ok(), qPrintable(bundle.errorString));

    QStringList holding;
    for (const BundleEntry &entry : bundle.entries) {
        const QString relative = entry.path.mid(Root.size());
        // SSH and sudo passwords never; the MQTT ones only where weewx-mqtt and the page read
        // them (and the reference file the user asked for).
        QVERIFY2(!entry.bytes.contains("ssh-never-in-bundle"), qPrintable(relative));
        QVERIFY2(!entry.bytes.contains("sudo-never-in-bundle"), qPrintable(relative));
        if (entry.bytes.contains(PublishPassword.toUtf8())
            || entry.bytes.contains(WebPassword.toUtf8()))
            holding << relative;
    }
    for (const QString &path : std::as_const(holding))
        QVERIFY2(allowed.contains(path), qPrintable(path + u" holds a plaintext password"));
    QVERIFY(holding.contains(QStringLiteral("weewx/edit-weewx-conf.py")));
    // Hashes and passwords are marked, so no tool shows their bytes.
    for (const QString &path : std::as_const(allowed))
        QVERIFY2(bundle.find(Root + path)->holdsSecret, qPrintable(path));
    QVERIFY(bundle.find(Root + QStringLiteral("files/etc/mosquitto/passwd"))->holdsSecret);
    // The python edit carries the publishing password exactly (it has odd characters).
    const BundleEntry *edit = bundle.find(Root + QStringLiteral("weewx/edit-weewx-conf.py"));
    QVERIFY(edit && edit->holdsSecret);
}

void TestBundle::badInputNamesTheField_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("messageHas");

    QTest::newRow("host with a shell command") << "piHost"
                                               << "pi;reboot"
                                               << "Pi host";
    QTest::newRow("path with a quote") << "aclFilePath"
                                       << "/etc/mosquitto/a'cl"
                                       << "ACL file";
    QTest::newRow("topic with a wildcard") << "topic"
                                           << "weather/#"
                                           << "Topic";
    QTest::newRow("publishing password with a newline") << "publishPassword"
                                                        << "abc\ndef"
                                                        << "publishing user";
    QTest::newRow("web password empty") << "webPassword"
                                        << ""
                                        << "web page user";
}

void TestBundle::badInputNamesTheField()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, messageHas);
    BundleInput in = input();
    if (field == u"piHost")
        in.profile.piHost = value;
    else if (field == u"aclFilePath")
        in.profile.aclFilePath = value;
    else if (field == u"topic")
        in.profile.topic = value;
    else if (field == u"publishPassword")
        in.secrets.publishPassword = value;
    else if (field == u"webPassword")
        in.secrets.webPassword = value;
    const BundleResult bundle = Bundle::make(in);
    QVERIFY(!bundle.ok());
    QVERIFY(bundle.entries.isEmpty());
    QVERIFY2(bundle.errorString.contains(messageHas, Qt::CaseInsensitive),
             qPrintable(bundle.errorString));
    QVERIFY(!bundle.errorString.contains(PublishPassword));
}

void TestBundle::installScriptIsPosixSh()
{
    const BundleResult bundle = Bundle::make(input());
    QVERIFY2(bundle.ok(), qPrintable(bundle.errorString));
    const QString path = m_dir.filePath(QStringLiteral("install.sh"));
    QVERIFY(writeAll(path, bundle.find(Root + QStringLiteral("install.sh"))->bytes));
    // dash is Debian's (and Raspberry Pi OS's) /bin/sh: no bashisms get through it.
    for (const QString &shell : {QStringLiteral("/bin/dash"), QStringLiteral("/bin/sh")}) {
        if (!QFile::exists(shell))
            continue;
        QProcess p;
        p.start(shell, {QStringLiteral("-n"), path});
        QVERIFY(p.waitForFinished());
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    }
    QProcess help;
    help.start(QStringLiteral("/bin/sh"), {path, QStringLiteral("--help")});
    QVERIFY(help.waitForFinished());
    QCOMPARE(help.exitCode(), 0);
    QVERIFY(help.readAllStandardOutput().contains("--dry-run"));
}

void TestBundle::playbookIsYaml()
{
    if (python({QStringLiteral("-c"), QStringLiteral("import yaml")}).exitCode != 0)
        QSKIP("python3-yaml is not installed (it comes with ansible-core)");
    const BundleResult bundle = Bundle::make(input());
    QVERIFY2(bundle.ok(), qPrintable(bundle.errorString));
    const QByteArray script = R"PY(
import json, sys, yaml
play = yaml.safe_load(sys.stdin)[0]
print(json.dumps({'tasks': [t['name'] for t in play['tasks']],
                  'handlers': [h['name'] for h in play['handlers']],
                  'modes': [t['ansible.builtin.copy']['mode'] for t in play['tasks']
                            if 'ansible.builtin.copy' in t],
                  # Copies over the Pi's files keep a backup; our users' lines staged for the
                  # merge replace nothing, and the merge keeps its own backup.
                  'backup': all(t['ansible.builtin.copy'].get('backup')
                                or t['ansible.builtin.copy']['dest'].startswith('/var/lib/')
                                for t in play['tasks'] if 'ansible.builtin.copy' in t),
                  'merges': [t['ansible.builtin.script']['cmd'].split()[3:5]
                             for t in play['tasks'] if 'ansible.builtin.script' in t
                             and '--backup-dir' in t['ansible.builtin.script']['cmd']]}))
)PY";
    const Run run = python({QStringLiteral("-c"), QString::fromUtf8(script)},
                           bundle.find(Root + QStringLiteral("ansible/playbook.yml"))->bytes);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    const QJsonObject play = QJsonDocument::fromJson(run.out).object();
    QCOMPARE(play.value(QStringLiteral("modes")).toVariant().toStringList(),
             QStringList({QStringLiteral("0600"), QStringLiteral("0600"), QStringLiteral("0644")}));
    QVERIFY(play.value(QStringLiteral("backup")).toBool());
    // The acl and password files are merged on the Pi, never copied over.
    QCOMPARE(play.value(QStringLiteral("merges")).toVariant().toList().size(), 2);
    QCOMPARE(play.value(QStringLiteral("merges")).toArray().at(0).toVariant().toStringList(),
             QStringList(
                     {QStringLiteral("acl"), QStringLiteral("'/var/lib/weewx-mqtt-bundle/acl'")}));
    QCOMPARE(play.value(QStringLiteral("handlers")).toVariant().toStringList(),
             QStringList({QStringLiteral("Restart mosquitto"), QStringLiteral("Restart weewx")}));
}

void TestBundle::pythonEditReadBackByConfigObj_data()
{
    QTest::addColumn<QString>("file");
    // The weewx.conf files users have, and what the fuzzer found hard for the C++ editor.
    for (const auto &[folder, name] :
         {std::pair{corpus(), QStringLiteral("corpus")},
          std::pair{QStringLiteral(WMW_WEEWXCONF_FUZZ_CORPUS), QStringLiteral("fuzz corpus")}}) {
        const QStringList files =
                QDir(folder).entryList({QStringLiteral("*.conf")}, QDir::Files, QDir::Name);
        QVERIFY(!files.isEmpty());
        for (const QString &file : files)
            QTest::newRow(qPrintable(name + u": " + file)) << folder + u'/' + file;
    }
}

void TestBundle::pythonEditReadBackByConfigObj()
{
    QFETCH(QString, file);
    const QByteArray original = readAll(file);
    BundleInput in = input();
    in.currentWeewxConf = original;
    const BundleResult bundle = Bundle::make(in);

    QTemporaryDir dir;
    const QString script = dir.filePath(QStringLiteral("edit.py"));
    const QString conf = dir.filePath(QStringLiteral("weewx.conf"));
    const QString cppConf = dir.filePath(QStringLiteral("cpp.conf"));
    QVERIFY(writeAll(script, editScript()));
    QVERIFY(writeAll(conf, original));
    const QJsonObject before = liveValues(conf);
    const QStringList args{script, QStringLiteral("--config"), conf,
                           QStringLiteral("--skip-extension-check")};

    if (!bundle.ok()) {
        // What the C++ editor refuses, the Pi-side edit refuses too, leaving the file alone.
        const Run run = python(args);
        QVERIFY2(run.exitCode == 4, QByteArray(run.out + run.err).constData());
        QCOMPARE(readAll(conf), original);
        return;
    }
    Run check = python(args + QStringList{QStringLiteral("--check")});
    QVERIFY2(check.exitCode == 10 || check.exitCode == 0, check.err.constData());
    QCOMPARE(readAll(conf), original);

    const Run first = python(args);
    QVERIFY2(first.exitCode == 0, first.err.constData());
    QVERIFY(first.out.endsWith("result: changed\n") || check.exitCode == 0);
    QVERIFY2(!first.out.contains(PublishPassword.toUtf8()), first.out.constData());
    const QByteArray edited = readAll(conf);

    // Idempotent: a second run changes nothing, not even a byte.
    const Run second = python(args);
    QCOMPARE(second.exitCode, 0);
    QVERIFY(second.out.endsWith("result: unchanged\n"));
    QCOMPARE(readAll(conf), edited);
    QCOMPARE(python(args + QStringList{QStringLiteral("--check")}).exitCode, 0);

    // ConfigObj reads what the Pi-side edit wrote exactly as it reads the C++ editor's file.
    QVERIFY(writeAll(cppConf, bundle.find(Root + QStringLiteral("weewx/weewx.conf"))->bytes));
    const QJsonObject values = liveValues(conf);
    QCOMPARE(values, liveValues(cppConf));
    const QJsonObject mqtt = values.value(QStringLiteral("mqtt")).toObject();
    QCOMPARE(mqtt.value(QStringLiteral("server_url")).toString(),
             u"mqtt://weewx:" + PublishPassword + u"@localhost:1883/");
    QCOMPARE(mqtt.value(QStringLiteral("binding")).toVariant().toStringList(),
             QStringList({QStringLiteral("archive"), QStringLiteral("loop")}));
    QCOMPARE(mqtt.value(QStringLiteral("aggregation")).toString(), QStringLiteral("aggregate"));
    const QJsonObject extras = values.value(QStringLiteral("extras")).toObject();
    QCOMPARE(extras.value(QStringLiteral("mqtt_websockets_enabled")).toString(), u"1");
    QCOMPARE(extras.value(QStringLiteral("mqtt_websockets_host")).toString(), u"weatherpi.local");
    QCOMPARE(extras.value(QStringLiteral("mqtt_websockets_port")).toString(), u"9001");
    QCOMPARE(extras.value(QStringLiteral("mqtt_websockets_topic")).toString(), u"weather/loop");
    QCOMPARE(extras.value(QStringLiteral("mqtt_websockets_username")).toString(), u"belchertown");
    QCOMPARE(extras.value(QStringLiteral("mqtt_websockets_password")).toString(), WebPassword);
    // The report is added with its skin line where it is missing; a report section of the
    // user's own keeps what it has (both editors leave a section without a skin line alone).
    if (before.value(QStringLiteral("report")).toBool())
        QCOMPARE(values.value(QStringLiteral("skin")), before.value(QStringLiteral("skin")));
    else
        QCOMPARE(values.value(QStringLiteral("skin")).toString(), u"Belchertown");
    const QJsonValue services = values.value(QStringLiteral("services"));
    QVERIFY(services.toVariant().toStringList().contains(u"user.mqtt.MQTT")
            || services.toString() == u"user.mqtt.MQTT");
}

void TestBundle::pythonEditRefusesWithoutWeewxMqtt()
{
    QTemporaryDir dir;
    const QString script = dir.filePath(QStringLiteral("edit.py"));
    const QString conf = dir.filePath(QStringLiteral("weewx.conf"));
    QVERIFY(writeAll(script, editScript()));
    QByteArray original = readAll(corpus() + QStringLiteral("/weewx5-package-belchertown.conf"));
    const QByteArray root = "WEEWX_ROOT = " + dir.path().toUtf8();
    original.replace("WEEWX_ROOT = /etc/weewx", root);
    QVERIFY(original.contains(dir.path().toUtf8()));
    QVERIFY(writeAll(conf, original));

    const Run refused = python({script, QStringLiteral("--config"), conf});
    QCOMPARE(refused.exitCode, 3);
    QVERIFY2(refused.err.contains("weectl extension install"), refused.err.constData());
    QCOMPARE(readAll(conf), original);

    // Once weewx-mqtt's module is where WeeWX 5 keeps user extensions, the edit goes ahead.
    QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("bin/user")));
    QVERIFY(writeAll(dir.filePath(QStringLiteral("bin/user/mqtt.py")), "VERSION = '0.24'\n"));
    const Run done = python({script, QStringLiteral("--config"), conf});
    QVERIFY2(done.exitCode == 0, done.err.constData());
}

void TestBundle::pythonEditKeepsOwnerModeAndBacksUp()
{
    QTemporaryDir dir;
    const QString script = dir.filePath(QStringLiteral("edit.py"));
    const QString conf = dir.filePath(QStringLiteral("weewx.conf"));
    const QString backup = dir.filePath(QStringLiteral("backups/weewx.conf"));
    QVERIFY(writeAll(script, editScript()));
    const QByteArray original =
            readAll(corpus() + QStringLiteral("/weewx5-package-belchertown.conf"));
    QVERIFY(writeAll(conf, original));
    QVERIFY(QFile::setPermissions(conf, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup
                                                | QFile::WriteGroup));
    const Run run =
            python({script, QStringLiteral("--config"), conf,
                    QStringLiteral("--skip-extension-check"), QStringLiteral("--backup"), backup});
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(readAll(backup), original);
    const QFile::Permissions mode = QFile::permissions(conf);
    QVERIFY(mode.testFlag(QFile::ReadGroup) && mode.testFlag(QFile::WriteGroup));
    QVERIFY(!mode.testFlag(QFile::ReadOther));
    // No temporary file is left beside weewx.conf.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
             QStringList({QStringLiteral("edit.py"), QStringLiteral("weewx.conf")}));
}

QTEST_GUILESS_MAIN(TestBundle)
void TestBundle::pythonEditChecksBeforeWriting_data()
{
    // Python expressions over `data`, ConfigObj's output, standing in for a ConfigObj whose
    // writer and reader disagree: the edit must notice before weewx.conf is touched.
    QTest::addColumn<QString>("mutation");
    QTest::newRow("written text is not ConfigObj syntax") << "data + b'\\n[[[broken\\n'";
    QTest::newRow("written text reads back another value")
            << "data.replace(b'mqtt_websockets_port = 9001', b'mqtt_websockets_port = 9002')";
}

void TestBundle::pythonEditChecksBeforeWriting()
{
    QFETCH(QString, mutation);
    QTemporaryDir dir;
    const QString script = dir.filePath(QStringLiteral("edit.py"));
    const QString conf = dir.filePath(QStringLiteral("weewx.conf"));
    QVERIFY(writeAll(script, editScript()));
    const QByteArray original =
            readAll(corpus() + QStringLiteral("/weewx5-package-belchertown.conf"));
    QVERIFY(writeAll(conf, original));

    const QString runner = QStringLiteral(R"PY(
import configobj, io, runpy, sys
written = configobj.ConfigObj.write
def write(self, outfile=None, section=None):
    if outfile is None:  # ConfigObj's own calls for each section: lines, not a file
        return written(self, outfile, section)
    buffer = io.BytesIO()
    written(self, buffer, section)
    data = buffer.getvalue()
    outfile.write(%1)
configobj.ConfigObj.write = write
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name='__main__')
)PY")
                                   .arg(mutation);
    const Run run = python({QStringLiteral("-c"), runner, script, QStringLiteral("--config"), conf,
                            QStringLiteral("--skip-extension-check")});
    // The reason is the last line; a traceback before it would be a crash, not a refusal.
    QVERIFY2(run.exitCode == 4, run.err.right(800).constData());
    QVERIFY2(!run.err.contains("Traceback") && run.err.contains("nothing was changed"),
             run.err.right(800).constData());
    // weewx.conf byte for byte, no backup, no temporary file beside it.
    QCOMPARE(readAll(conf), original);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden),
             QStringList({QStringLiteral("edit.py"), QStringLiteral("weewx.conf")}));
}

#include "tst_bundle.moc"
