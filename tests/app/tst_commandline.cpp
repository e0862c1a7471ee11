// SPDX-License-Identifier: GPL-3.0-or-later
// The program as a user starts it: --help, --version, --lang, --screenshots and bad input.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

class tst_CommandLine : public QObject
{
    Q_OBJECT

private slots:
    void informationalOptions_data();
    void informationalOptions();
    void badInput_data();
    void badInput();
    void screenshotsShowRealPages();
    void screenshotsIntoAFolderThatCannotExist();
    void profileThatCannotBeReadNamesTheKey();

private:
    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    static Run run(const QStringList &arguments);
};

tst_CommandLine::Run tst_CommandLine::run(const QStringList &arguments)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("C.UTF-8"));
    env.remove(QStringLiteral("LANGUAGE"));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(WMW_BINARY), arguments);
    Run result;
    if (!process.waitForFinished(60000)) {
        process.kill();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

void tst_CommandLine::informationalOptions_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("--version names the program and its version")
            << QStringList{QStringLiteral("--version")}
            << QStringList{QStringLiteral("weewx-mqtt-wizard " WMW_VERSION)};
    QTest::newRow("--help lists the options")
            << QStringList{QStringLiteral("--help")}
            << QStringList{QStringLiteral("--screenshots <dir>"), QStringLiteral("--lang <code>"),
                           QStringLiteral("Without a command, the wizard starts.")};
    QTest::newRow("--lang de gives German help")
            << QStringList{QStringLiteral("--lang"), QStringLiteral("de"), QStringLiteral("--help")}
            << QStringList{QStringLiteral("Ohne Befehl startet der Assistent.")};
    QTest::newRow("--lang=de in one word works too")
            << QStringList{QStringLiteral("--lang=de"), QStringLiteral("--help")}
            << QStringList{QStringLiteral("Ohne Befehl startet der Assistent.")};
}

void tst_CommandLine::informationalOptions()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, expected);
    const Run result = run(arguments);
    QCOMPARE(result.exitCode, 0);
    for (const QString &text : expected)
        QVERIFY2(result.out.contains(text), qPrintable(text + u" not in:\n" + result.out));
}

void tst_CommandLine::badInput_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("an unknown command is named and is a usage error")
            << QStringList{QStringLiteral("frobnicate")} << 2
            << QStringLiteral("Unknown command \"frobnicate\"");
    QTest::newRow("an unknown option is named")
            << QStringList{QStringLiteral("--no-such-option")} << 1
            << QStringLiteral("Unknown option 'no-such-option'");
    QTest::newRow("--screenshots without a folder says what is missing")
            << QStringList{QStringLiteral("--screenshots")} << 1
            << QStringLiteral("Missing value after '--screenshots'");
}

void tst_CommandLine::badInput()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const Run result = run(arguments);
    QCOMPARE(result.exitCode, exitCode);
    QVERIFY2(result.err.contains(message), qPrintable(result.err));
}

void tst_CommandLine::screenshotsShowRealPages()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString folder = dir.filePath(QStringLiteral("shots"));
    const Run result = run({QStringLiteral("--screenshots"), folder});
    QCOMPARE(result.exitCode, 0);

    const QStringList expected = {QStringLiteral("welcome.png"),
                                  QStringLiteral("pi-connection.png"),
                                  QStringLiteral("broker.png"),
                                  QStringLiteral("weewx.png"),
                                  QStringLiteral("review.png"),
                                  QStringLiteral("apply.png"),
                                  QStringLiteral("apply-rolled-back.png"),
                                  QStringLiteral("live-check.png"),
                                  QStringLiteral("live-check-failed.png"),
                                  QStringLiteral("diagnosis.png"),
                                  QStringLiteral("export.png"),
                                  QStringLiteral("done.png")};
    const QStringList written = QDir(folder).entryList(QDir::Files, QDir::Name);
    for (const QString &name : expected) {
        QVERIFY2(written.contains(name), qPrintable(name + u" missing; got " + written.join(u' ')));
        const QImage image(QDir(folder).filePath(name));
        QVERIFY2(!image.isNull(), qPrintable(name));
        QVERIFY(image.width() >= 400 && image.height() >= 300);
        // A page with widgets and text has many colours; a blank grab has one or two.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 3)
            for (int x = 0; x < image.width(); x += 3)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 20, qPrintable(name));
    }
    QCOMPARE(written.size(), expected.size());
}

void tst_CommandLine::screenshotsIntoAFolderThatCannotExist()
{
    // A folder below a regular file cannot be made, even by root.
    const Run result = run({QStringLiteral("--screenshots"), QStringLiteral("/dev/null/shots")});
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains(QStringLiteral("/dev/null/shots")), qPrintable(result.err));
}

void tst_CommandLine::profileThatCannotBeReadNamesTheKey()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("station.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"format": "weewx-mqtt-wizard-profile", "version": 1, "pi": {"hots": "x"}})");
    file.close();
    const Run result = run({QStringLiteral("--profile"), path});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains(QStringLiteral("pi.hots")), qPrintable(result.err));
    QVERIFY2(result.err.contains(path), qPrintable(result.err));
}

QTEST_GUILESS_MAIN(tst_CommandLine)
#include "tst_commandline.moc"
