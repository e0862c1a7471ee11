// SPDX-License-Identifier: GPL-3.0-or-later
// The acl file: parsed as mosquitto parses it, refused where mosquitto refuses it (with the
// line), rendered back byte for byte, and merged so that only our users' lines change.
#include "config/aclfile.h"

#include <QTest>

using namespace wmw::config;

class tst_AclFile : public QObject
{
    Q_OBJECT

private slots:
    void parseSeesSectionsAsTheBrokerDoes();
    void untouchedFilesRenderByteForByte_data();
    void untouchedFilesRenderByteForByte();
    void linesMosquittoRefusesNameTheLine_data();
    void linesMosquittoRefusesNameTheLine();
    void aNewFileGivesLeastPrivilege();
    void oneUserForBothGetsOneSection();
    void anonymousReadLoopGoesBeforeTheFirstUser();
    void mergeKeepsEverythingElse();
    void mergeReplacesOnlyOurUsersTopicLines();
    void mergeTwiceChangesNothing_data();
    void mergeTwiceChangesNothing();
    void crlfFilesStayCrlf();
};

namespace {

StationProfile profile()
{
    StationProfile p;
    p.piHost = QStringLiteral("weatherpi");
    p.sshUser = QStringLiteral("pi");
    return p;
}

// The manual procedure's acl file, verbatim.
const QByteArray kProcedureAcl = "topic read $SYS/#\n"
                                 "\n"
                                 "#--- weewx related ---\n"
                                 "# user r/w for these topics\n"
                                 "user weemqtt\n"
                                 "topic weewx/#\n"
                                 "topic weetest/#\n"
                                 "topic weather/#\n"
                                 "\n"
                                 "# This affects all clients.\n"
                                 "pattern write $SYS/broker/connection/%c/state\n";

} // namespace

void tst_AclFile::parseSeesSectionsAsTheBrokerDoes()
{
    const AclParseResult parsed = AclFile::parse(kProcedureAcl);
    QVERIFY2(parsed.ok(), qPrintable(parsed.errorString));
    const AclFile &acl = parsed.file;
    QCOMPARE(acl.anonymousRules(), QList<AclRule>({{AclAccess::Read, "$SYS/#"}}));
    QCOMPARE(acl.users(), QList<QByteArray>({"weemqtt"}));
    // No access word means readwrite.
    QCOMPARE(acl.rulesFor("weemqtt"), QList<AclRule>({{AclAccess::ReadWrite, "weewx/#"},
                                                      {AclAccess::ReadWrite, "weetest/#"},
                                                      {AclAccess::ReadWrite, "weather/#"}}));
    QCOMPARE(acl.patterns(),
             QList<AclRule>({{AclAccess::Write, "$SYS/broker/connection/%c/state"}}));

    // The broker's odd corners: the lone word after "topic" is the topic, extra spaces are
    // separators, the topic keeps inner spaces, a user name is the rest of the line.
    const AclParseResult odd = AclFile::parse("topic read\n"
                                              "   topic   deny   a b/#   \n"
                                              "user  some one \n"
                                              "topic write x\n");
    QVERIFY2(odd.ok(), qPrintable(odd.errorString));
    QCOMPARE(odd.file.anonymousRules(),
             QList<AclRule>({{AclAccess::ReadWrite, "read"}, {AclAccess::Deny, "a b/#"}}));
    QCOMPARE(odd.file.users(), QList<QByteArray>({"some one"}));
    QCOMPARE(odd.file.rulesFor("some one"), QList<AclRule>({{AclAccess::Write, "x"}}));
}

void tst_AclFile::untouchedFilesRenderByteForByte_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addRow("acl: the manual procedure's file") << kProcedureAcl;
    QTest::addRow("acl: empty file") << QByteArray();
    QTest::addRow("acl: no final newline") << QByteArray("user a\ntopic read x");
    QTest::addRow("acl: CRLF") << QByteArray("user a\r\ntopic read x\r\n");
    QTest::addRow("acl: blank lines with spaces and tabs") << QByteArray("  \n\t\n\nuser a\n");
    QTest::addRow("acl: comment with a tab") << QByteArray("#\tcomment\n");
    QTest::addRow("acl: only newlines") << QByteArray("\n\n\n");
}

void tst_AclFile::untouchedFilesRenderByteForByte()
{
    QFETCH(QByteArray, bytes);
    const AclParseResult parsed = AclFile::parse(bytes);
    QVERIFY2(parsed.ok(), qPrintable(parsed.errorString));
    QCOMPARE(parsed.file.render(), bytes);
}

void tst_AclFile::linesMosquittoRefusesNameTheLine_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("message");
    const QString invalid = QStringLiteral(
            "mosquitto refuses this line: it must start with topic, pattern or user, words are "
            "separated by spaces (not tabs), and a comment needs '#' in the first column.");

    QTest::newRow("acl: tab as separator")
            << QByteArray("user a\ntopic\tread\tfoo/#\n") << 2 << "Line 2: " + invalid;
    QTest::newRow("acl: indented comment")
            << QByteArray("\n\n  # note\n") << 3 << "Line 3: " + invalid;
    QTest::newRow("acl: unknown keyword") << QByteArray("users a\n") << 1 << "Line 1: " + invalid;
    QTest::newRow("acl: byte order mark")
            << QByteArray("\xEF\xBB\xBFtopic read x\n") << 1
            << QStringLiteral("Line 1: the file starts with a byte order mark, which mosquitto "
                              "reads as part of the first word. Save it without one.");
    QTest::newRow("acl: trailing comment becomes part of the topic")
            << QByteArray("topic read foo/#   # c\n") << 1
            << QStringLiteral("Line 1: mosquitto refuses the topic \"foo/#   # c\": '+' and '#' "
                              "must fill a whole level, '#' only the last one (a comment after a "
                              "topic becomes part of it).");
    QTest::newRow("acl: # in the middle")
            << QByteArray("user a\ntopic foo/#/bar\n") << 2
            << QStringLiteral("Line 2: mosquitto refuses the topic \"foo/#/bar\": '+' and '#' "
                              "must fill a whole level, '#' only the last one (a comment after a "
                              "topic becomes part of it).");
    QTest::newRow("acl: + inside a level")
            << QByteArray("pattern read a/b+\n") << 1
            << QStringLiteral("Line 1: mosquitto refuses the topic \"a/b+\": '+' and '#' must "
                              "fill a whole level, '#' only the last one (a comment after a topic "
                              "becomes part of it).");
    QTest::newRow("acl: unknown access word")
            << QByteArray("topic rw foo\n") << 1
            << QStringLiteral("Line 1: mosquitto refuses the access type \"rw\" (use read, write, "
                              "readwrite or deny).");
    QTest::newRow("acl: topic without anything")
            << QByteArray("topic   \n") << 1
            << QStringLiteral("Line 1: mosquitto refuses an empty topic.");
    QTest::newRow("acl: user without a name")
            << QByteArray("# x\nuser\n") << 2
            << QStringLiteral("Line 2: mosquitto refuses a \"user\" line without a name.");
    QTest::newRow("acl: NUL byte") << QByteArray("topic a\0b\n", 10) << 1
                                   << QStringLiteral("Line 1: contains a NUL byte.");
    QTest::newRow("acl: first bad line is named")
            << QByteArray("topic a\ntopic rw b\ntopic rw c\n") << 2
            << QStringLiteral("Line 2: mosquitto refuses the access type \"rw\" (use read, write, "
                              "readwrite or deny).");
}

void tst_AclFile::linesMosquittoRefusesNameTheLine()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, line);
    QFETCH(QString, message);
    const AclParseResult parsed = AclFile::parse(bytes);
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.errorLine, line);
    QCOMPARE(parsed.errorString, message);
    // A merge into such a file is refused the same way, and writes nothing.
    const AclParseResult merged = AclFile::mergeProfile(bytes, profile());
    QCOMPARE(merged.errorString, message);
    QVERIFY(merged.file.render().isEmpty());
}

void tst_AclFile::aNewFileGivesLeastPrivilege()
{
    const AclParseResult merged = AclFile::mergeProfile({}, profile());
    QVERIFY2(merged.ok(), qPrintable(merged.errorString));
    QCOMPARE(merged.file.render(),
             QByteArray("# mosquitto acl file, written by WeeWX MQTT Wizard.\n"
                        "# Lines before the first \"user\" line apply to clients without a user "
                        "name.\n"
                        "\n"
                        "# weewx-mqtt publishes the readings with this user.\n"
                        "user weewx\n"
                        "topic readwrite weather/#\n"
                        "topic readwrite weewx/#\n"
                        "topic readwrite weetest/#\n"
                        "\n"
                        "# The Belchertown page logs in with this user; its password is public, "
                        "so it may only read.\n"
                        "user belchertown\n"
                        "topic read weather/loop\n"));
    QVERIFY(merged.file.anonymousRules().isEmpty());
    // What we render, we parse back to the same rules.
    const AclParseResult again = AclFile::parse(merged.file.render());
    QVERIFY(again.ok());
    QCOMPARE(again.file.rulesFor("belchertown"),
             QList<AclRule>({{AclAccess::Read, "weather/loop"}}));
}

void tst_AclFile::oneUserForBothGetsOneSection()
{
    StationProfile p = profile();
    p.webUser = p.publishUser;
    p.extraTopics.clear();
    const AclParseResult merged = AclFile::mergeProfile({}, p);
    QVERIFY(merged.ok());
    QCOMPARE(merged.file.users(), QList<QByteArray>({"weewx"}));
    QCOMPARE(merged.file.rulesFor("weewx"), QList<AclRule>({{AclAccess::ReadWrite, "weather/#"}}));
}

void tst_AclFile::anonymousReadLoopGoesBeforeTheFirstUser()
{
    StationProfile p = profile();
    p.anonymousPolicy = AnonymousPolicy::ReadLoop;

    AclParseResult merged = AclFile::mergeProfile({}, p);
    QVERIFY(merged.ok());
    QCOMPARE(merged.file.anonymousRules(), QList<AclRule>({{AclAccess::Read, "weather/loop"}}));
    QVERIFY(merged.file.render().startsWith(
            "# mosquitto acl file, written by WeeWX MQTT Wizard.\n"
            "# Lines before the first \"user\" line apply to clients without a user name.\n"
            "topic read weather/loop\n"
            "\n"
            "# weewx-mqtt publishes"));

    // In the procedure's file it joins the existing anonymous lines.
    merged = AclFile::mergeProfile(kProcedureAcl, p);
    QVERIFY(merged.ok());
    QVERIFY(merged.file.render().startsWith("topic read $SYS/#\ntopic read weather/loop\n\n#---"));

    // Without anonymous lines, it goes above the comments that describe the first user.
    merged = AclFile::mergeProfile("# header\n\n# alice's\nuser alice\ntopic a\n", p);
    QVERIFY(merged.ok());
    QVERIFY(merged.file.render().startsWith(
            "# header\n\ntopic read weather/loop\n\n# alice's\nuser alice\ntopic a\n"));
}

void tst_AclFile::mergeKeepsEverythingElse()
{
    const QByteArray existing = "# site acl\n"
                                "topic read $SYS/#\n"
                                "\n"
                                "user alice\n"
                                "topic readwrite house/#\n"
                                "topic deny house/secret\n"
                                "pattern readwrite users/%u/#\n";
    const AclParseResult merged = AclFile::mergeProfile(existing, profile());
    QVERIFY(merged.ok());
    const QByteArray out = merged.file.render();
    QVERIFY(out.startsWith(existing));
    QCOMPARE(merged.file.rulesFor("alice"), QList<AclRule>({{AclAccess::ReadWrite, "house/#"},
                                                            {AclAccess::Deny, "house/secret"}}));
    QCOMPARE(merged.file.patterns(), QList<AclRule>({{AclAccess::ReadWrite, "users/%u/#"}}));
    QCOMPARE(merged.file.anonymousRules(), QList<AclRule>({{AclAccess::Read, "$SYS/#"}}));
    QCOMPARE(merged.file.users(), QList<QByteArray>({"alice", "weewx", "belchertown"}));
    QVERIFY(out.endsWith("user belchertown\ntopic read weather/loop\n"));
}

void tst_AclFile::mergeReplacesOnlyOurUsersTopicLines()
{
    StationProfile p = profile();
    p.publishUser = QStringLiteral("weemqtt");
    p.webUser = QStringLiteral("weemqtt-page");
    const AclParseResult merged = AclFile::mergeProfile(kProcedureAcl, p);
    QVERIFY(merged.ok());
    QCOMPARE(merged.file.render(),
             QByteArray("topic read $SYS/#\n"
                        "\n"
                        "#--- weewx related ---\n"
                        "# user r/w for these topics\n"
                        "user weemqtt\n"
                        "topic readwrite weather/#\n"
                        "topic readwrite weewx/#\n"
                        "topic readwrite weetest/#\n"
                        "\n"
                        "# This affects all clients.\n"
                        "pattern write $SYS/broker/connection/%c/state\n"
                        "\n"
                        "# The Belchertown page logs in with this user; its password is public, "
                        "so it may only read.\n"
                        "user weemqtt-page\n"
                        "topic read weather/loop\n"));

    // Our user in two sections, with comments and a pattern inside: the rules go to the first
    // section, the second loses its topic lines, comments and patterns stay.
    const QByteArray split = "user weewx\n"
                             "# old\n"
                             "topic old/#\n"
                             "pattern read p/%u\n"
                             "user bob\n"
                             "topic bob/#\n"
                             "user weewx\n"
                             "topic more/#\n"
                             "# end\n";
    StationProfile q = profile();
    q.extraTopics.clear();
    const AclParseResult merged2 = AclFile::mergeProfile(split, q);
    QVERIFY(merged2.ok());
    QVERIFY(merged2.file.render().startsWith("user weewx\n"
                                             "# old\n"
                                             "topic readwrite weather/#\n"
                                             "pattern read p/%u\n"
                                             "user bob\n"
                                             "topic bob/#\n"
                                             "user weewx\n"
                                             "# end\n"));
    QCOMPARE(merged2.file.rulesFor("bob"), QList<AclRule>({{AclAccess::ReadWrite, "bob/#"}}));
}

void tst_AclFile::mergeTwiceChangesNothing_data()
{
    QTest::addColumn<QByteArray>("existing");
    QTest::addColumn<bool>("readLoop");
    QTest::newRow("idempotent: new file") << QByteArray() << false;
    QTest::newRow("idempotent: new file, anonymous reads") << QByteArray() << true;
    QTest::newRow("idempotent: the procedure's file") << kProcedureAcl << true;
    QTest::newRow("idempotent: no final newline") << QByteArray("user x\ntopic y") << false;
}

void tst_AclFile::mergeTwiceChangesNothing()
{
    QFETCH(QByteArray, existing);
    QFETCH(bool, readLoop);
    StationProfile p = profile();
    p.anonymousPolicy = readLoop ? AnonymousPolicy::ReadLoop : AnonymousPolicy::Deny;
    const AclParseResult once = AclFile::mergeProfile(existing, p);
    QVERIFY(once.ok());
    const AclParseResult twice = AclFile::mergeProfile(once.file.render(), p);
    QVERIFY(twice.ok());
    QCOMPARE(twice.file.render(), once.file.render());
}

void tst_AclFile::crlfFilesStayCrlf()
{
    const AclParseResult merged = AclFile::mergeProfile("user alice\r\ntopic a\r\n", profile());
    QVERIFY(merged.ok());
    const QByteArray out = merged.file.render();
    for (const QByteArray &line : out.split('\n').mid(0, out.count('\n')))
        QVERIFY2(line.endsWith('\r'), line.constData());
}

QTEST_GUILESS_MAIN(tst_AclFile)
#include "tst_aclfile.moc"
