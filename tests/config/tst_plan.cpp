// SPDX-License-Identifier: GPL-3.0-or-later
// FileSet and Plan: what happens to each file on the Pi, and a review diff that never shows a
// password or a hash, old or new.
#include "config/fileset.h"
#include "config/plan.h"
#include "config/weewxconf.h"
#include "config/weewxconf_liveupdate.h"

#include <QFile>
#include <QTest>

using namespace wmw::config;

Q_DECLARE_METATYPE(wmw::config::FileAction)
Q_DECLARE_METATYPE(wmw::config::CurrentFile)

namespace {

QByteArray readCorpus(const char *name)
{
    QFile f(QStringLiteral(WMW_WEEWXCONF_CORPUS "/") + QLatin1String(name));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

FileEntry aclEntry()
{
    FileEntry e;
    e.path = QStringLiteral("/etc/mosquitto/acl");
    e.bytes = "user weewx\ntopic readwrite weather/#\n";
    e.owner = e.group = QStringLiteral("mosquitto");
    e.mode = 0700;
    return e;
}

CurrentFile present(const QByteArray &bytes, const char *owner, int mode)
{
    return CurrentFile{true, bytes, QLatin1String(owner), QLatin1String(owner), mode};
}

} // namespace

class tst_Plan : public QObject
{
    Q_OBJECT

private slots:
    void actionPerFile_data();
    void actionPerFile();
    void fileSetRefusesBadEntries();
    void diffRedactsEveryPasswordAndHash();
    void rerunWithTheSameContentIsUnchangedEverywhere();
};

void tst_Plan::actionPerFile_data()
{
    QTest::addColumn<CurrentFile>("current");
    QTest::addColumn<FileAction>("action");
    QTest::addColumn<bool>("hasDiff");
    QTest::addColumn<QString>("summary");
    const FileEntry e = aclEntry();
    QTest::newRow("absent: create")
            << CurrentFile{} << FileAction::Create << true
            << QStringLiteral("create /etc/mosquitto/acl (mosquitto:mosquitto, mode 0700)");
    QTest::newRow("same bytes, owner and mode: unchanged")
            << present(e.bytes, "mosquitto", 0700) << FileAction::Unchanged << false
            << QStringLiteral("unchanged /etc/mosquitto/acl");
    QTest::newRow("other content: update with a diff")
            << present("user old\n", "mosquitto", 0700) << FileAction::Update << true
            << QStringLiteral("update /etc/mosquitto/acl (content)");
    QTest::newRow("only the owner differs: update without a diff")
            << present(e.bytes, "root", 0700) << FileAction::Update << false
            << QStringLiteral("update /etc/mosquitto/acl (owner root:root -> mosquitto:mosquitto)");
    QTest::newRow("only the mode differs: update without a diff")
            << present(e.bytes, "mosquitto", 0644) << FileAction::Update << false
            << QStringLiteral("update /etc/mosquitto/acl (mode 0644 -> 0700)");
}

void tst_Plan::actionPerFile()
{
    QFETCH(CurrentFile, current);
    QFETCH(FileAction, action);
    QFETCH(bool, hasDiff);
    QFETCH(QString, summary);
    FileSet set;
    QVERIFY(set.add(aclEntry()));
    QHash<QString, CurrentFile> pi;
    if (current.exists)
        pi.insert(aclEntry().path, current);
    const Plan plan = Plan::make(set, pi);
    QCOMPARE(plan.files().size(), 1);
    QCOMPARE(plan.files().front().action, action);
    QCOMPARE(!plan.files().front().diff.isEmpty(), hasDiff);
    QCOMPARE(plan.files().front().summary(), summary);
    QCOMPARE(plan.changesNothing(), action == FileAction::Unchanged);
    QCOMPARE(Plan::make(set, pi).render(), plan.render()); // deterministic
}

void tst_Plan::fileSetRefusesBadEntries()
{
    FileSet set;
    QString error;
    FileEntry relative = aclEntry();
    relative.path = QStringLiteral("etc/acl");
    QVERIFY(!set.add(relative, &error));
    QVERIFY(error.contains(QStringLiteral("etc/acl")));
    FileEntry dotdot = aclEntry();
    dotdot.path = QStringLiteral("/etc/../root/x");
    QVERIFY(!set.add(dotdot, &error));
    QVERIFY(set.add(aclEntry()));
    QVERIFY(!set.add(aclEntry(), &error));
    QVERIFY(error.contains(QStringLiteral("twice")));
}

void tst_Plan::diffRedactsEveryPasswordAndHash()
{
    // The Pi has an old weewx.conf with old passwords and an old password file.
    const QByteArray oldConf = readCorpus("already-configured.conf");
    QVERIFY(oldConf.contains("oldpass"));
    WeewxConfStatus status;
    WeewxConf conf = WeewxConf::parse(oldConf, &status);
    QVERIFY(status.ok());
    LiveUpdateSettings s;
    s.publishUser = QStringLiteral("weewx");
    s.publishPassword = QStringLiteral("N3w,Secret");
    s.pageHost = QStringLiteral("wx.example.com");
    s.webUser = QStringLiteral("belchertown");
    s.webPassword = QStringLiteral("Pub#Lic,pw");
    QVERIFY(LiveUpdateEdit::apply(conf, s).ok());
    // A commented-out and a multi-line secret elsewhere in the file.
    QByteArray newConf = conf.toBytes();
    newConf.replace("        password = replace_me\n        \n",
                    "        password = '''multi\nLineSecret'''\n        #password = Commented1\n");

    FileSet set;
    FileEntry weewx;
    weewx.path = QStringLiteral("/etc/weewx/weewx.conf");
    weewx.bytes = newConf;
    weewx.redact = redaction::weewxConf;
    QVERIFY(set.add(weewx));
    FileEntry passwd;
    passwd.path = QStringLiteral("/etc/mosquitto/passwd");
    passwd.bytes = "belchertown:$7$101$bmV3c2FsdA==$bmV3aGFzaA==\nweewx:$7$101$c2FsdDI=$aGFzaDI=\n";
    passwd.owner = passwd.group = QStringLiteral("mosquitto");
    passwd.mode = 0700;
    passwd.redact = redaction::passwordFile;
    QVERIFY(set.add(passwd));

    QHash<QString, CurrentFile> pi;
    pi.insert(weewx.path, present(oldConf, "root", 0644));
    pi.insert(passwd.path, present("weewx:$7$101$b2xkc2FsdA==$b2xkaGFzaA==\n", "mosquitto", 0700));
    const QByteArray review = Plan::make(set, pi).render();

    for (const char *secret :
         {"oldpass", "old,pass", "N3w,Secret", "N3w", "Pub#Lic", "Lic,pw", "LineSecret",
          "Commented1", "$7$", "bmV3aGFzaA", "b2xkaGFzaA", "aGFzaDI", "password = replace_me"}) {
        QVERIFY2(!review.contains(secret), secret);
    }
    const QByteArray bullets = redaction::mask();
    auto has = [&review](const QByteArray &text) {
        return review.contains(text);
    };
    QVERIFY(has(
            QByteArray("+        server_url = \"mqtt://weewx:" + bullets + "@localhost:1883/\"")));
    QVERIFY(has(QByteArray("-        server_url = mqtt://weewx:" + bullets + "@localhost/")));
    QVERIFY(has(QByteArray("+            mqtt_websockets_password = " + bullets)));
    QVERIFY(has(QByteArray("-            mqtt_websockets_password = " + bullets)));
    QVERIFY(review.contains("+weewx:<hash redacted>\n"));
    QVERIFY(review.contains("-weewx:<hash redacted>\n"));
    QVERIFY(review.contains("+belchertown:<hash redacted>\n"));
    // Values that are not secret stay readable.
    QVERIFY(review.contains("+        aggregation = aggregate\n"));
    QVERIFY(review.contains("+            mqtt_websockets_topic = weather/loop\n"));
}

void tst_Plan::rerunWithTheSameContentIsUnchangedEverywhere()
{
    FileSet set;
    QHash<QString, CurrentFile> pi;
    FileEntry weewx;
    weewx.path = QStringLiteral("/etc/weewx/weewx.conf");
    weewx.bytes = readCorpus("crlf.conf");
    weewx.redact = redaction::weewxConf;
    QVERIFY(set.add(weewx));
    QVERIFY(set.add(aclEntry()));
    for (const FileEntry &e : set.entries())
        pi.insert(e.path, CurrentFile{true, e.bytes, e.owner, e.group, e.mode});
    const Plan plan = Plan::make(set, pi);
    QVERIFY(plan.changesNothing());
    QCOMPARE(plan.render(),
             QByteArray("unchanged /etc/weewx/weewx.conf\nunchanged /etc/mosquitto/acl\n"));
}

QTEST_GUILESS_MAIN(tst_Plan)
#include "tst_plan.moc"
