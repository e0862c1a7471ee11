// SPDX-License-Identifier: GPL-3.0-or-later
// mosquitto/merge-users.py of the export bundle, run by the Pi's interpreter (/usr/bin/python3,
// standard library only) on sample files: our users replace only their own lines, every other
// user, comment and pattern line stays, and a second run changes nothing.

#include "config/aclfile.h"
#include "config/bundle.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace wmw::config;

namespace {

const QString ScriptPath = Bundle::rootName() + QStringLiteral("/mosquitto/merge-users.py");

// What the bundle ships for the default profile, by hand (the hashes are stand-ins: the merge
// copies them and never looks inside).
const QByteArray OursAcl = "# mosquitto acl file, written by WeeWX MQTT Wizard.\n"
                           "# Lines before the first \"user\" line apply to clients without a "
                           "user name.\n"
                           "\n"
                           "# weewx-mqtt publishes the readings with this user.\n"
                           "user weewx\n"
                           "topic readwrite weather/#\n"
                           "\n"
                           "# The page logs in with this user.\n"
                           "user belchertown\n"
                           "topic read weather/loop\n";
const QByteArray OursPasswd = "weewx:$7$101$NEWweewx$HASHweewx==\n"
                              "belchertown:$7$101$NEWweb$HASHweb==\n";
const QByteArray Alice = "alice:$7$101$ALICEsalt$ALICEhash==";

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

} // namespace

class TestBundleMerge : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void merge_data();
    void merge();
    void refusesWhatMosquittoRefuses();
    void mergesLikeTheWizardsAclFile();
    void inPlaceKeepsOwnerModeAndIsIdempotent();

private:
    Run run(const QStringList &arguments);
    QTemporaryDir m_dir;
    QString m_script;
};

Run TestBundleMerge::run(const QStringList &arguments)
{
    QProcess p;
    p.start(QStringLiteral("/usr/bin/python3"), QStringList{m_script} + arguments);
    Run r;
    if (!p.waitForFinished(60000))
        return r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

void TestBundleMerge::initTestCase()
{
    if (!QFileInfo::exists(QStringLiteral("/usr/bin/python3")))
        QSKIP("/usr/bin/python3 is missing (the Pi always has it)");
    QVERIFY(m_dir.isValid());
    // The script exactly as the bundle ships it.
    BundleInput in;
    in.profile.piHost = QStringLiteral("weatherpi.local");
    in.profile.sshUser = QStringLiteral("pi");
    in.secrets.publishPassword = QStringLiteral("publish-1");
    in.secrets.webPassword = QStringLiteral("web-2");
    in.salts = [](int size) {
        return QByteArray(size, 's');
    };
    const BundleResult bundle = Bundle::make(in);
    QVERIFY2(bundle.ok(), qPrintable(bundle.errorString));
    const BundleEntry *script = bundle.find(ScriptPath);
    QVERIFY(script);
    QCOMPARE(script->mode, 0755);
    QVERIFY(script->bytes.startsWith("#!/usr/bin/python3\n"));
    m_script = m_dir.filePath(QStringLiteral("merge-users.py"));
    QVERIFY(writeAll(m_script, script->bytes));
}

void TestBundleMerge::merge_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<bool>("exists");
    QTest::addColumn<QByteArray>("existing");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QByteArray>("kept"); ///< the "kept" line of the report, or empty

    QTest::newRow("acl: missing file gives exactly the bundle's")
            << "acl" << false << QByteArray() << OursAcl << QByteArray();
    QTest::newRow("acl: empty file gives exactly the bundle's")
            << "acl" << true << QByteArray() << OursAcl << QByteArray();
    QTest::newRow("acl: another user and comments stay, ours go at the end")
            << "acl" << true
            << QByteArray("# the site's acl\n\nuser alice\ntopic readwrite house/#\n")
            << QByteArray("# the site's acl\n\nuser alice\ntopic readwrite house/#\n\n"
                          "# weewx-mqtt publishes the readings with this user.\nuser weewx\n"
                          "topic readwrite weather/#\n\n# The page logs in with this user.\n"
                          "user belchertown\ntopic read weather/loop\n")
            << QByteArray("alice");
    QTest::newRow("acl: patterns and anonymous rules stay where they are")
            << "acl" << true
            << QByteArray("topic read $SYS/#\npattern readwrite clients/%c/#\n\n"
                          "user alice\ntopic house/#\npattern write alice/%u")
            << QByteArray("topic read $SYS/#\npattern readwrite clients/%c/#\n\n"
                          "user alice\ntopic house/#\npattern write alice/%u\n\n"
                          "# weewx-mqtt publishes the readings with this user.\nuser weewx\n"
                          "topic readwrite weather/#\n\n# The page logs in with this user.\n"
                          "user belchertown\ntopic read weather/loop\n")
            << QByteArray("alice");
    QTest::newRow("acl: our user with other rules keeps its place, comments and patterns")
            << "acl" << true
            << QByteArray("user weewx\n# ours, long ago\ntopic write old/#\npattern read p/%u\n"
                          "topic read older\n\nuser alice\ntopic readwrite house/#\n"
                          "user weewx\ntopic read again\n\nuser belchertown\n"
                          "topic read weather/loop\n")
            << QByteArray("user weewx\n# ours, long ago\ntopic readwrite weather/#\n"
                          "pattern read p/%u\n\nuser alice\ntopic readwrite house/#\n"
                          "user weewx\n\nuser belchertown\ntopic read weather/loop\n")
            << QByteArray("alice");
    QTest::newRow("acl: CRLF stays CRLF")
            << "acl" << true << QByteArray("user alice\r\ntopic readwrite house/#\r\n")
            << QByteArray("user alice\r\ntopic readwrite house/#\r\n\r\n"
                          "# weewx-mqtt publishes the readings with this user.\r\nuser weewx\r\n"
                          "topic readwrite weather/#\r\n\r\n# The page logs in with this user.\r\n"
                          "user belchertown\r\ntopic read weather/loop\r\n")
            << QByteArray("alice");

    QTest::newRow("passwd: missing file gives exactly the bundle's")
            << "passwd" << false << QByteArray() << OursPasswd << QByteArray();
    QTest::newRow("passwd: empty file gives exactly the bundle's")
            << "passwd" << true << QByteArray() << OursPasswd << QByteArray();
    QTest::newRow("passwd: another user and comments stay byte for byte, hashes never rehashed")
            << "passwd" << true << QByteArray("# site users\n" + Alice + "\n")
            << QByteArray("# site users\n" + Alice + "\n" + OursPasswd) << QByteArray("alice");
    QTest::newRow("passwd: our user with another hash is replaced in place, duplicates go")
            << "passwd" << true
            << QByteArray("weewx:$7$101$OLD$OLDhash==\n" + Alice
                          + "\nweewx:$7$101$OLDER$OLDERhash==\nbelchertown:plain\n")
            << QByteArray("weewx:$7$101$NEWweewx$HASHweewx==\n" + Alice
                          + "\nbelchertown:$7$101$NEWweb$HASHweb==\n")
            << QByteArray("alice");
    QTest::newRow("passwd: a file without a final line break")
            << "passwd" << true << Alice << QByteArray(Alice + '\n' + OursPasswd)
            << QByteArray("alice");
    QTest::newRow("passwd: CRLF stays CRLF")
            << "passwd" << true << QByteArray(Alice + "\r\nweewx:$7$old\r\n")
            << QByteArray(Alice
                          + "\r\nweewx:$7$101$NEWweewx$HASHweewx==\r\n"
                            "belchertown:$7$101$NEWweb$HASHweb==\r\n")
            << QByteArray("alice");
}

void TestBundleMerge::merge()
{
    QFETCH(QString, kind);
    QFETCH(bool, exists);
    QFETCH(QByteArray, existing);
    QFETCH(QByteArray, expected);
    QFETCH(QByteArray, kept);

    const QString ours = m_dir.filePath(QStringLiteral("ours.") + kind);
    QVERIFY(writeAll(ours, kind == u"acl" ? OursAcl : OursPasswd));
    const QString target = m_dir.filePath(QStringLiteral("target.") + kind);
    QFile::remove(target);
    if (exists)
        QVERIFY(writeAll(target, existing));
    const QString out = m_dir.filePath(QStringLiteral("merged.") + kind);

    Run r = run({kind, ours, target, QStringLiteral("--out"), out});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(readAll(out), expected);
    QCOMPARE(QFileInfo(out).permissions() & (QFile::ReadGroup | QFile::ReadOther),
             QFile::Permissions());
    // --out never touches the target.
    QCOMPARE(QFileInfo::exists(target), exists);
    if (exists)
        QCOMPARE(readAll(target), existing);
    if (kept.isEmpty())
        QVERIFY(!r.out.contains("kept"));
    else
        QVERIFY2(r.out.contains(QByteArray(kind.toUtf8() + " kept      " + kept)),
                 r.out.constData());
    // The report names users, never a hash.
    QVERIFY(!r.out.contains("$7$"));

    // Merging the result again: byte for byte the same, every user of ours "unchanged".
    QVERIFY(writeAll(target, expected));
    r = run({kind, ours, target, QStringLiteral("--out"), out});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(readAll(out), expected);
    QVERIFY2(!r.out.contains("updated") && !r.out.contains("added"), r.out.constData());
}

void TestBundleMerge::refusesWhatMosquittoRefuses()
{
    const QString ours = m_dir.filePath(QStringLiteral("ours.acl"));
    QVERIFY(writeAll(ours, OursAcl));
    const QString target = m_dir.filePath(QStringLiteral("broken.acl"));
    const QByteArray broken = "user alice\ntopci read house/#\n";
    QVERIFY(writeAll(target, broken));
    const QString out = m_dir.filePath(QStringLiteral("broken.out"));
    const Run r = run({QStringLiteral("acl"), ours, target, QStringLiteral("--out"), out});
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains("line 2") && r.err.contains("nothing was changed"), r.err.constData());
    QVERIFY(!QFileInfo::exists(out));
    QCOMPARE(readAll(target), broken);
}

void TestBundleMerge::mergesLikeTheWizardsAclFile()
{
    // The Pi's merge of the bundle's acl gives what the wizard writes over SSH.
    StationProfile p;
    p.piHost = QStringLiteral("weatherpi.local");
    p.anonymousPolicy = AnonymousPolicy::ReadLoop;
    const QByteArray existing = "# site\npattern read $SYS/broker/#\n\nuser alice\n"
                                "topic readwrite house/#\n\nuser weewx\ntopic read stale/#\n";
    const AclParseResult shipped = AclFile::mergeProfile({}, p);
    const AclParseResult wizard = AclFile::mergeProfile(existing, p);
    QVERIFY(shipped.ok() && wizard.ok());
    const QString ours = m_dir.filePath(QStringLiteral("profile.acl"));
    const QString target = m_dir.filePath(QStringLiteral("pi.acl"));
    const QString out = m_dir.filePath(QStringLiteral("pi.out"));
    QVERIFY(writeAll(ours, shipped.file.render()));
    QVERIFY(writeAll(target, existing));
    const Run r = run({QStringLiteral("acl"), ours, target, QStringLiteral("--out"), out});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(readAll(out), wizard.file.render());
    const AclParseResult merged = AclFile::parse(readAll(out));
    QVERIFY(merged.ok());
    QCOMPARE(merged.file.rulesFor("alice"),
             QList<AclRule>({{AclAccess::ReadWrite, QByteArray("house/#")}}));
}

void TestBundleMerge::inPlaceKeepsOwnerModeAndIsIdempotent()
{
    // The Ansible play merges in place, as the user running it here (root on the Pi).
    const passwd *me = getpwuid(geteuid());
    const group *myGroup = getgrgid(getegid());
    QVERIFY(me && myGroup);
    const QString ours = m_dir.filePath(QStringLiteral("ours.passwd"));
    QVERIFY(writeAll(ours, OursPasswd));
    const QString target = m_dir.filePath(QStringLiteral("inplace.passwd"));
    const QString backups = m_dir.filePath(QStringLiteral("backups"));
    QVERIFY(writeAll(target, Alice + '\n'));
    QVERIFY(QFile::setPermissions(target, QFile::ReadOwner | QFile::WriteOwner));
    const QStringList inPlace = {QStringLiteral("passwd"),
                                 ours,
                                 target,
                                 QStringLiteral("--owner"),
                                 QString::fromLocal8Bit(me->pw_name),
                                 QStringLiteral("--group"),
                                 QString::fromLocal8Bit(myGroup->gr_name),
                                 QStringLiteral("--mode"),
                                 QStringLiteral("0640"),
                                 QStringLiteral("--backup-dir"),
                                 backups};

    Run r = run(inPlace + QStringList{QStringLiteral("--check")});
    QCOMPARE(r.exitCode, 10);
    QVERIFY(r.out.endsWith("result: would change\n"));
    QCOMPARE(readAll(target), Alice + '\n');

    r = run(inPlace);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.endsWith("result: changed\n"), r.out.constData());
    QCOMPARE(readAll(target), Alice + '\n' + OursPasswd);
    struct stat info
    {
    };
    QCOMPARE(::stat(QFile::encodeName(target).constData(), &info), 0);
    QCOMPARE(int(info.st_mode & 07777), 0640);
    // The file as it was, in the backup folder.
    const QStringList saved = QDir(backups).entryList(QDir::Files);
    QCOMPARE(saved.size(), 1);
    QCOMPARE(readAll(QDir(backups).filePath(saved.constFirst())), Alice + '\n');

    // Again: nothing to do, no new backup, the file untouched.
    const QDateTime written = QFileInfo(target).lastModified();
    r = run(inPlace);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.endsWith("result: unchanged\n"), r.out.constData());
    QCOMPARE(QFileInfo(target).lastModified(), written);
    QCOMPARE(QDir(backups).entryList(QDir::Files).size(), 1);
    r = run(inPlace + QStringList{QStringLiteral("--check")});
    QCOMPARE(r.exitCode, 0);

    // A missing file is created with owner and mode.
    QVERIFY(QFile::remove(target));
    r = run(inPlace);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(readAll(target), OursPasswd);
    QCOMPARE(::stat(QFile::encodeName(target).constData(), &info), 0);
    QCOMPARE(int(info.st_mode & 07777), 0640);
}

QTEST_GUILESS_MAIN(TestBundleMerge)
#include "tst_bundlemerge.moc"
