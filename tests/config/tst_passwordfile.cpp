// SPDX-License-Identifier: GPL-3.0-or-later
// mosquitto 2.0 password files: lines like mosquitto_passwd writes, checked against the lines
// mosquitto_passwd itself wrote, merged without touching anyone else and never hashing a hash.
#include "config/passwordfile.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace wmw::config;

class tst_PasswordFile : public QObject
{
    Q_OBJECT

private slots:
    void hashLineHasMosquittosShape();
    void verifyKnownLines_data();
    void verifyKnownLines();
    void verifyAcceptsWhatMosquittoPasswdWrites();
    void mergeIntoAnEmptyFile();
    void mergeKeepsOtherUsersAndVerifiedLines();
    void mergeReplacesOnlyOurChangedUser();
    void mergeRemovesDuplicatesOfOurUser();
    void mergeKeepsCrlfAndAMissingFinalNewline();
    void mergeRefusesHostileInput_data();
    void mergeRefusesHostileInput();
    void mergeWarnsAboutPlainTextLines();
};

namespace {

// A salt source that gives 0x01 0x02 ... so a file is reproducible.
SaltSource countingSalts()
{
    auto next = std::make_shared<int>(0);
    return [next](int size) {
        QByteArray salt;
        for (int i = 0; i < size; ++i)
            salt += char(++*next);
        return salt;
    };
}

// The manual procedure's line, made by `mosquitto_passwd -U` from "weemqtt:weepass".
const QByteArray kProcedureLine = "weemqtt:$7$101$a14xGSHNx4BHY3vF$OlDvizhNhZYhrzUBH+SKEmLJTgwnwZJ"
                                  "qqMTECsMu6Xw5iFfBI8ETKJ+xckOM0qA3SDPC6d1fQKLTCh7yf6CzLQ==";

} // namespace

void tst_PasswordFile::hashLineHasMosquittosShape()
{
    const QByteArray salt = QByteArray::fromHex("000102030405060708090a0b");
    const QByteArray line =
            PasswordFile::hashLine(QStringLiteral("weewx"), QStringLiteral("weepass"), salt);
    const QList<QByteArray> parts = line.split('$');
    QCOMPARE(parts.size(), 5);
    QCOMPARE(parts.at(0), QByteArray("weewx:"));
    QCOMPARE(parts.at(1), QByteArray("7"));
    QCOMPARE(parts.at(2), QByteArray("101"));
    QCOMPARE(parts.at(3), salt.toBase64());
    QCOMPARE(parts.at(3).size(), 16);
    QCOMPARE(parts.at(4).size(), 88); // 64 bytes, standard base64, "==" padding kept
    QVERIFY(parts.at(4).endsWith("=="));
    // Same salt, same line: reproducible.
    QCOMPARE(PasswordFile::hashLine(QStringLiteral("weewx"), QStringLiteral("weepass"), salt),
             line);
    QCOMPARE(PasswordFile::verify(line, QStringLiteral("weepass")), PasswordFile::Verify::Match);
    QCOMPARE(PasswordFile::verify(line, QStringLiteral("weepass ")),
             PasswordFile::Verify::Mismatch);
    // The 2.0 broker requires a 12-byte salt: anything else makes no line.
    QVERIFY(PasswordFile::hashLine(QStringLiteral("u"), QStringLiteral("p"), QByteArray(16, 'x'))
                    .isEmpty());
    QVERIFY(PasswordFile::hashLine(QStringLiteral("u"), QStringLiteral("p"), salt, 0).isEmpty());
}

void tst_PasswordFile::verifyKnownLines_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("password");
    QTest::addColumn<PasswordFile::Verify>("expected");
    using V = PasswordFile::Verify;

    QTest::newRow("verify: the manual procedure's line with weepass")
            << kProcedureLine << "weepass" << V::Match;
    QTest::newRow("verify: the manual procedure's line with a wrong password")
            << kProcedureLine << "weepas" << V::Mismatch;
    QTest::newRow("verify: broker trims blanks and CR")
            << QByteArray(" " + kProcedureLine + " \r") << "weepass" << V::Match;
    QByteArray noPadding = kProcedureLine;
    noPadding.chop(2);
    QTest::newRow("verify: hash without == padding (the broker drops it)")
            << noPadding << "weepass" << V::Malformed;
    QTest::newRow("verify: 16-byte salt (2.1 style)") << QByteArray(
            "u:$7$101$" + QByteArray(16, 'a').toBase64() + "$" + QByteArray(64, 'b').toBase64())
                                                      << "x" << V::Malformed;
    QTest::newRow("verify: zero iterations") << QByteArray(
            "u:$7$0$" + QByteArray(12, 'a').toBase64() + "$" + QByteArray(64, 'b').toBase64())
                                             << "x" << V::Malformed;
    QTest::newRow("verify: plain text line")
            << QByteArray("weemqtt:weepass") << "weepass" << V::NotHashed;
    QTest::newRow("verify: argon2id from mosquitto 2.1")
            << QByteArray("u:$argon2id$v=19$m=65536,t=3,p=1$abc$def") << "x" << V::Unsupported;
    QTest::newRow("verify: comment") << QByteArray("#weemqtt:x") << "x" << V::Malformed;
    QTest::newRow("verify: no colon") << QByteArray("weemqtt") << "x" << V::Malformed;
    QTest::newRow("verify: empty") << QByteArray() << "x" << V::Malformed;
}

void tst_PasswordFile::verifyKnownLines()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, password);
    QFETCH(PasswordFile::Verify, expected);
    QCOMPARE(PasswordFile::verify(line, password), expected);
}

void tst_PasswordFile::verifyAcceptsWhatMosquittoPasswdWrites()
{
    const QString tool = QStandardPaths::findExecutable(QStringLiteral("mosquitto_passwd"));
    if (tool.isEmpty())
        QSKIP("mosquitto_passwd is not installed (package mosquitto)");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(QStringLiteral("pwfile"));
    struct Case
    {
        QStringList options;
        const char *password;
    };
    // -H sha512 gives the legacy $6$ form; -I changes the iteration count.
    const QList<Case> cases = {
            {{}, "weepass"}, {{"-H", "sha512"}, "old-style"}, {{"-I", "1000"}, "many-rounds"}};
    for (const Case &c : cases) {
        QFile::remove(file);
        QProcess p;
        p.start(tool, QStringList(c.options) << "-b"
                                             << "-c" << file << "user" << c.password);
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 0);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray line = f.readAll().trimmed();
        QCOMPARE(PasswordFile::verify(line, QString::fromLatin1(c.password)),
                 PasswordFile::Verify::Match);
        QCOMPARE(PasswordFile::verify(line, QStringLiteral("wrong")),
                 PasswordFile::Verify::Mismatch);
    }
}

void tst_PasswordFile::mergeIntoAnEmptyFile()
{
    const PasswordMergeResult result = PasswordFile::merge(
            {}, {{"weewx", "pub-pw"}, {"belchertown", "page-pw"}}, countingSalts());
    QVERIFY2(result.ok(), qPrintable(result.errorString));
    QCOMPARE(result.added, QStringList({"weewx", "belchertown"}));
    const QList<QByteArray> lines = result.bytes.split('\n');
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.at(2), QByteArray()); // ends with a newline
    QCOMPARE(lines.at(0), PasswordFile::hashLine("weewx", "pub-pw",
                                                 QByteArray::fromHex("0102030405060708090a0b0c")));
    QCOMPARE(lines.at(1), PasswordFile::hashLine("belchertown", "page-pw",
                                                 QByteArray::fromHex("0d0e0f101112131415161718")));
    // Reproducible with the same salts.
    QCOMPARE(PasswordFile::merge({}, {{"weewx", "pub-pw"}, {"belchertown", "page-pw"}},
                                 countingSalts())
                     .bytes,
             result.bytes);
    QCOMPARE(PasswordFile::users(result.bytes), QStringList({"weewx", "belchertown"}));
}

void tst_PasswordFile::mergeKeepsOtherUsersAndVerifiedLines()
{
    const QByteArray existing = "# written by hand\n" + kProcedureLine + "\n"
                                + PasswordFile::hashLine("weewx", "pub-pw", QByteArray(12, 'S'))
                                + "\n";
    const PasswordMergeResult result =
            PasswordFile::merge(existing, {{"weewx", "pub-pw"}}, countingSalts());
    QVERIFY(result.ok());
    // Running again with the same password changes not a byte (no new salt).
    QCOMPARE(result.bytes, existing);
    QCOMPARE(result.unchanged, QStringList({"weewx"}));
    QVERIFY(result.replaced.isEmpty());
    QVERIFY(result.added.isEmpty());
}

void tst_PasswordFile::mergeReplacesOnlyOurChangedUser()
{
    const QByteArray existing = "alice:" + QByteArray("$6$") + QByteArray(12, 'a').toBase64() + "$"
                                + QByteArray(64, 'b').toBase64() + "\n" + kProcedureLine + "\n"
                                + "bob:$7$101$" + QByteArray(12, 'c').toBase64() + "$"
                                + QByteArray(64, 'd').toBase64() + "\n";
    const PasswordMergeResult result = PasswordFile::merge(
            existing, {{"weemqtt", "new-pw"}, {"page", "page-pw"}}, countingSalts());
    QVERIFY(result.ok());
    QCOMPARE(result.replaced, QStringList({"weemqtt"}));
    QCOMPARE(result.added, QStringList({"page"}));
    const QList<QByteArray> before = existing.split('\n');
    const QList<QByteArray> after = result.bytes.split('\n');
    QCOMPARE(after.size(), 5);
    QCOMPARE(after.at(0), before.at(0)); // alice: byte for byte, her hash not hashed again
    QCOMPARE(after.at(2), before.at(2)); // bob too
    QCOMPARE(PasswordFile::verify(after.at(1), QStringLiteral("new-pw")),
             PasswordFile::Verify::Match);
    QCOMPARE(PasswordFile::verify(after.at(3), QStringLiteral("page-pw")),
             PasswordFile::Verify::Match);
    QVERIFY(!result.bytes.contains(kProcedureLine));
}

void tst_PasswordFile::mergeRemovesDuplicatesOfOurUser()
{
    const QByteArray existing = kProcedureLine + "\nother:$7$101$x$y\n" + kProcedureLine + "\n";
    const PasswordMergeResult result =
            PasswordFile::merge(existing, {{"weemqtt", "weepass"}}, countingSalts());
    QVERIFY(result.ok());
    QCOMPARE(result.bytes, kProcedureLine + "\nother:$7$101$x$y\n");
}

void tst_PasswordFile::mergeKeepsCrlfAndAMissingFinalNewline()
{
    const QByteArray crlf = "other:$7$101$x$y\r\n" + kProcedureLine + "\r\n";
    PasswordMergeResult result =
            PasswordFile::merge(crlf, {{"weemqtt", "changed"}, {"page", "p"}}, countingSalts());
    QVERIFY(result.ok());
    const QList<QByteArray> lines = result.bytes.split('\n');
    QCOMPARE(lines.size(), 4);
    QCOMPARE(lines.at(0), QByteArray("other:$7$101$x$y\r"));
    QVERIFY(lines.at(1).endsWith('\r'));
    QVERIFY(lines.at(2).startsWith("page:$7$101$") && lines.at(2).endsWith('\r'));
    QCOMPARE(PasswordFile::verify(lines.at(1), QStringLiteral("changed")),
             PasswordFile::Verify::Match);

    // No final newline and nothing to do: stays as it was.
    const QByteArray bare = kProcedureLine;
    result = PasswordFile::merge(bare, {{"weemqtt", "weepass"}}, countingSalts());
    QCOMPARE(result.bytes, bare);
    // Something appended: the old last line gets its line break.
    result = PasswordFile::merge(bare, {{"page", "p"}}, countingSalts());
    QVERIFY(result.bytes.startsWith(QByteArray(kProcedureLine + "\npage:$7$101$")));
    QVERIFY(result.bytes.endsWith('\n'));
}

void tst_PasswordFile::mergeRefusesHostileInput_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("message");
    const QString badUser = QStringLiteral(
            "An MQTT user name is empty or contains ':', spaces or control characters; it cannot "
            "go into a password file.");
    QTest::newRow("merge: user with a newline would add a line") << "evil\nroot"
                                                                 << "pw" << badUser;
    QTest::newRow("merge: user with a colon") << "a:b"
                                              << "pw" << badUser;
    QTest::newRow("merge: empty user") << ""
                                       << "pw" << badUser;
    QTest::newRow("merge: password with a newline")
            << "weewx"
            << "pw\nx"
            << QStringLiteral("The password of MQTT user \"weewx\" is empty "
                              "or contains line breaks or control "
                              "characters.");
    QTest::newRow("merge: empty password")
            << "weewx"
            << ""
            << QStringLiteral("The password of MQTT user \"weewx\" is empty or "
                              "contains line breaks or control characters.");
}

void tst_PasswordFile::mergeRefusesHostileInput()
{
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, message);
    const PasswordMergeResult result =
            PasswordFile::merge("alice:x\n", {{user, password}}, countingSalts());
    QVERIFY(!result.ok());
    QCOMPARE(result.errorString, message);
    QVERIFY(result.bytes.isEmpty());
    QVERIFY(!result.errorString.contains(password) || password.isEmpty());
}

void tst_PasswordFile::mergeWarnsAboutPlainTextLines()
{
    const PasswordMergeResult result =
            PasswordFile::merge("# c\nlegacy:plainpw\n", {{"weewx", "p"}}, countingSalts());
    QVERIFY(result.ok());
    QCOMPARE(result.warnings,
             QStringList({"Line 2: the password of user \"legacy\" is not hashed; mosquitto 2.0 "
                          "ignores this user."}));
    QVERIFY(result.bytes.startsWith("# c\nlegacy:plainpw\nweewx:$7$"));
    QVERIFY(!result.warnings.join(u' ').contains(u"plainpw"));
}

QTEST_GUILESS_MAIN(tst_PasswordFile)
#include "tst_passwordfile.moc"
