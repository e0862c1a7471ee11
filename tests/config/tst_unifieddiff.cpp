// SPDX-License-Identifier: GPL-3.0-or-later
// The unified diff against the real tools: the same hunks as GNU `diff -u`, and `patch`
// turns the old file into the new one with it.
#include "config/unifieddiff.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace wmw::config;

namespace {

QByteArray numbered(int from, int to, const char *prefix = "line ")
{
    QByteArray out;
    for (int i = from; i <= to; ++i)
        out += prefix + QByteArray::number(i) + '\n';
    return out;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(bytes) == bytes.size();
}

} // namespace

class tst_UnifiedDiff : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void sameHunksAsGnuDiffAndPatchApplies_data();
    void sameHunksAsGnuDiffAndPatchApplies();
    void equalFilesGiveNoDiff();
    void redactedLinesPrintButRealLinesCompare();

private:
    QTemporaryDir m_dir;
};

void tst_UnifiedDiff::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (!QFile::exists(QStringLiteral("/usr/bin/diff"))
        || !QFile::exists(QStringLiteral("/usr/bin/patch")))
        QSKIP("GNU diff and patch are not installed");
}

void tst_UnifiedDiff::sameHunksAsGnuDiffAndPatchApplies_data()
{
    QTest::addColumn<QByteArray>("from");
    QTest::addColumn<QByteArray>("to");
    const QByteArray base = numbered(1, 40);
    QByteArray oneChanged = base;
    oneChanged.replace("line 20\n", "line twenty\n");
    QTest::newRow("one line changed in the middle") << base << oneChanged;
    QTest::newRow("a line added at the start") << base << "first\n" + base;
    QTest::newRow("the last line removed") << base << numbered(1, 39);
    QByteArray far = base;
    far.replace("line 5\n", "five\n").replace("line 30\n", "thirty\n");
    QTest::newRow("two changes far apart: two hunks") << base << far;
    QByteArray six = base;
    six.replace("line 10\n", "ten\n").replace("line 17\n", "seventeen\n");
    QTest::newRow("six equal lines between changes: one hunk") << base << six;
    QByteArray seven = base;
    seven.replace("line 10\n", "ten\n").replace("line 18\n", "eighteen\n");
    QTest::newRow("seven equal lines between changes: two hunks") << base << seven;
    QTest::newRow("old file without a final newline") << base.chopped(1) << base;
    QTest::newRow("new file without a final newline") << base << base.chopped(1);
    QByteArray lastChanged = base.chopped(1);
    lastChanged.replace("line 40", "forty");
    QTest::newRow("both without a final newline, last line changed")
            << base.chopped(1) << lastChanged;
    QTest::newRow("CRLF lines keep their CR")
            << QByteArray("a\r\nb\r\nc\r\n") << QByteArray("a\r\nB\r\nc\r\n");
    QTest::newRow("from an empty file") << QByteArray() << numbered(1, 3);
    QTest::newRow("to an empty file") << numbered(1, 3) << QByteArray();
    QTest::newRow("everything replaced") << numbered(1, 5) << numbered(1, 4, "other ");
    QTest::newRow("a block inserted")
            << base << QByteArray(base).replace("line 12\n", "line 12\nnew a\nnew b\nnew c\n");
}

void tst_UnifiedDiff::sameHunksAsGnuDiffAndPatchApplies()
{
    QFETCH(QByteArray, from);
    QFETCH(QByteArray, to);
    const QString a = m_dir.filePath(QStringLiteral("a.txt"));
    const QString b = m_dir.filePath(QStringLiteral("b.txt"));
    QVERIFY(writeFile(a, from));
    QVERIFY(writeFile(b, to));
    DiffSide fromSide{from, true, QStringLiteral("a/file"), {}};
    DiffSide toSide{to, true, QStringLiteral("b/file"), {}};
    const QByteArray ours = unifiedDiff(fromSide, toSide);
    QCOMPARE(unifiedDiff(fromSide, toSide), ours); // deterministic
    QVERIFY(ours.startsWith("--- a/file\n+++ b/file\n@@ "));

    QProcess diff;
    diff.start(QStringLiteral("/usr/bin/diff"), {QStringLiteral("-u"), a, b});
    QVERIFY(diff.waitForFinished(30000));
    QCOMPARE(diff.exitCode(), 1);
    QByteArray gnu = diff.readAllStandardOutput();
    gnu = gnu.mid(gnu.indexOf('\n', gnu.indexOf('\n') + 1) + 1); // drop the two header lines
    QCOMPARE(ours.mid(ours.indexOf("@@ ")), gnu);

    const QString d = m_dir.filePath(QStringLiteral("ours.diff"));
    const QString out = m_dir.filePath(QStringLiteral("patched.txt"));
    QVERIFY(writeFile(d, ours));
    QProcess patch;
    patch.start(QStringLiteral("/usr/bin/patch"),
                {QStringLiteral("--quiet"), QStringLiteral("-o"), out, a, d});
    QVERIFY(patch.waitForFinished(30000));
    QVERIFY2(patch.exitCode() == 0, patch.readAllStandardOutput().constData());
    QFile patched(out);
    QVERIFY(patched.open(QIODevice::ReadOnly));
    QCOMPARE(patched.readAll(), to);
}

void tst_UnifiedDiff::equalFilesGiveNoDiff()
{
    const QByteArray same = numbered(1, 10);
    QVERIFY(unifiedDiff({same, true, QStringLiteral("a"), {}},
                        {same, true, QStringLiteral("b"), {}})
                    .isEmpty());
}

void tst_UnifiedDiff::redactedLinesPrintButRealLinesCompare()
{
    const QByteArray from = "user = u\npassword = old-secret\nhost = h\n";
    const QByteArray to = "user = u\npassword = new-secret\nhost = h\n";
    const QList<QByteArray> masked = {"user = u", "password = ***", "host = h"};
    const QByteArray d = unifiedDiff({from, true, QStringLiteral("a/f"), masked},
                                     {to, true, QStringLiteral("b/f"), masked});
    QCOMPARE(d, QByteArray("--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n user = u\n-password = ***\n"
                           "+password = ***\n host = h\n"));
}

QTEST_GUILESS_MAIN(tst_UnifiedDiff)
#include "tst_unifieddiff.moc"
