// SPDX-License-Identifier: GPL-3.0-or-later
// `weewx-mqtt-wizard export`: the bundle written with the passwords from standard input,
// readable by its owner only; every usage error names the option and writes nothing.

#include "config/stationprofile.h"
#include "remote/export/bundlearchive.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace wmw::config;
using wmw::exporting::BundleArchive;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run exportCommand(const QStringList &arguments, const QByteArray &input)
{
    QProcess p;
    p.start(QStringLiteral(WMW_BINARY), QStringList{QStringLiteral("export")} + arguments);
    p.write(input);
    p.closeWriteChannel();
    Run run;
    if (!p.waitForFinished(60000))
        return run;
    run.exitCode = p.exitCode();
    run.out = p.readAllStandardOutput();
    run.err = p.readAllStandardError();
    return run;
}

} // namespace

class TestExportCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void writesAPrivateBundle_data();
    void writesAPrivateBundle();
    void usageErrors_data();
    void usageErrors();

private:
    QTemporaryDir m_dir;
    QString m_profile;
};

void TestExportCli::initTestCase()
{
    QVERIFY(m_dir.isValid());
    StationProfile p;
    p.piHost = QStringLiteral("weatherpi.local");
    p.sshUser = QStringLiteral("pi");
    m_profile = m_dir.filePath(QStringLiteral("station.json"));
    QFile f(m_profile);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(p.toJson());
}

void TestExportCli::writesAPrivateBundle_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("tar.gz, passwords one per line") << "a.tar.gz" << QByteArray("pub-1\nweb-2\n");
    QTest::newRow("zip, CRLF from a pasted clipboard")
            << "b.zip" << QByteArray("pub-1\r\nweb-2\r\n");
}

void TestExportCli::writesAPrivateBundle()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, input);
    const QString out = m_dir.filePath(name);
    const Run run = exportCommand({QStringLiteral("--profile"), m_profile, QStringLiteral("--out"),
                                   out, QStringLiteral("--passwords-stdin")},
                                  input);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QVERIFY(run.out.contains("sudo sh install.sh"));
    QCOMPARE(QFileInfo(out).permissions() & ~(QFile::ReadUser | QFile::WriteUser),
             QFile::ReadOwner | QFile::WriteOwner);
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto read = BundleArchive::read(file.readAll());
    QVERIFY2(read.ok(), qPrintable(read.errorString));
    bool found = false;
    for (const auto &entry : read.entries) {
        if (entry.path.endsWith(u"weewx/edit-weewx-conf.py")) {
            found = true;
            // The line end is never part of a password.
            QVERIFY(entry.bytes.contains("mqtt://weewx:pub-1@localhost:1883/'"));
            QVERIFY(entry.bytes.contains("'web-2'"));
        }
    }
    QVERIFY(found);
}

void TestExportCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("errorHas");

    const QString profile = QStringLiteral("PROFILE");
    QTest::newRow("a password as an argument is refused")
            << QStringList{QStringLiteral("--profile"), profile, QStringLiteral("--out"),
                           QStringLiteral("x.zip"), QStringLiteral("--password=secret")}
            << QByteArray() << QByteArray("never command-line arguments");
    QTest::newRow("unknown archive type")
            << QStringList{QStringLiteral("--profile"), profile, QStringLiteral("--out"),
                           QStringLiteral("x.rar"), QStringLiteral("--passwords-stdin")}
            << QByteArray("a\nb\n") << QByteArray(".tar.gz, .tgz or .zip");
    QTest::newRow("second password missing")
            << QStringList{QStringLiteral("--profile"), profile, QStringLiteral("--out"),
                           QStringLiteral("x.zip"), QStringLiteral("--passwords-stdin")}
            << QByteArray("only-one\n") << QByteArray("Two passwords are needed");
    QTest::newRow("no terminal and no --passwords-stdin")
            << QStringList{QStringLiteral("--profile"), profile, QStringLiteral("--out"),
                           QStringLiteral("x.zip")}
            << QByteArray() << QByteArray("--passwords-stdin");
    QTest::newRow("publishing password that breaks server_url")
            << QStringList{QStringLiteral("--profile"), profile, QStringLiteral("--out"),
                           QStringLiteral("x.zip"), QStringLiteral("--passwords-stdin")}
            << QByteArray("a@b\nweb\n") << QByteArray("publishing user");
    QTest::newRow("missing --out") << QStringList{QStringLiteral("--profile"), profile}
                                   << QByteArray() << QByteArray("--out is missing");
}

void TestExportCli::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, errorHas);
    arguments.replaceInStrings(QStringLiteral("PROFILE"), m_profile);
    for (QString &a : arguments) {
        if (a.startsWith(u"x."))
            a = m_dir.filePath(a);
    }
    const Run run = exportCommand(arguments, input);
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(errorHas), run.err.constData());
    QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("x.zip"))));
    QVERIFY(!run.err.contains("secret"));
}

QTEST_GUILESS_MAIN(TestExportCli)
#include "tst_exportcli.moc"
