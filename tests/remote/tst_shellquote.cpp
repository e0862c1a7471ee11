// SPDX-License-Identifier: GPL-3.0-or-later
// shellQuote() as text: what it produces. That a remote shell gives back the same bytes is
// checked against a real sshd in tst_sshcommands.
#include "remote/ssh/shellquote.h"

#include <QProcess>
#include <QTest>

using wmw::ssh::shellQuote;

class tst_ShellQuote : public QObject
{
    Q_OBJECT

private slots:
    void quotes_data();
    void quotes();
    void nulCannotBeQuoted();
    void localShellGivesTheBytesBack_data() { quotes_data(); }
    void localShellGivesTheBytesBack();
};

void tst_ShellQuote::quotes_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArray>("quoted");
    QTest::newRow("empty text is an empty word, not no word") << QByteArray() << QByteArray("''");
    QTest::newRow("plain word") << QByteArray("mosquitto") << QByteArray("'mosquitto'");
    QTest::newRow("single quote closes, escapes, reopens")
            << QByteArray("it's") << QByteArray("'it'\\''s'");
    QTest::newRow("command substitution stays text")
            << QByteArray("$(rm -rf /)") << QByteArray("'$(rm -rf /)'");
    QTest::newRow("backticks stay text") << QByteArray("`id`") << QByteArray("'`id`'");
    QTest::newRow("newline and semicolon stay inside")
            << QByteArray("a\n; b") << QByteArray("'a\n; b'");
    QTest::newRow("non-ASCII is passed as its bytes")
            << QByteArray("Wetterstation Zürich") << QByteArray("'Wetterstation Zürich'");
}

void tst_ShellQuote::quotes()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, quoted);
    QCOMPARE(shellQuote(text).value_or("<none>"), quoted);
    QCOMPARE(shellQuote(QString::fromUtf8(text)).value_or("<none>"), quoted);
}

void tst_ShellQuote::nulCannotBeQuoted()
{
    QVERIFY(!shellQuote(QByteArray("a\0b", 3)).has_value());
}

void tst_ShellQuote::localShellGivesTheBytesBack()
{
    QFETCH(QByteArray, text);
    QProcess shell;
    shell.start(QStringLiteral("/bin/sh"),
                {QStringLiteral("-c"), QString::fromUtf8("printf %s " + *shellQuote(text))});
    QVERIFY(shell.waitForFinished(10000));
    QCOMPARE(shell.readAllStandardOutput(), text);
}

QTEST_GUILESS_MAIN(tst_ShellQuote)
#include "tst_shellquote.moc"
