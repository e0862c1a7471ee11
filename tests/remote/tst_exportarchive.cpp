// SPDX-License-Identifier: GPL-3.0-or-later
// The bundle as an archive: modes and checksums as recorded, the same bytes for the same
// profile and salts (in any time zone), and what the system's tar and unzip extract.

#include "config/bundle.h"
#include "remote/export/bundlearchive.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <ctime>
#include <sys/stat.h>

using namespace wmw::config;
using namespace wmw::exporting;

Q_DECLARE_METATYPE(wmw::exporting::ArchiveFormat)

namespace {

BundleInput input(char seed = 's')
{
    BundleInput in;
    in.profile.piHost = QStringLiteral("weatherpi.local");
    in.profile.sshUser = QStringLiteral("pi");
    in.secrets.publishPassword = QStringLiteral("publish-secret-1");
    in.secrets.webPassword = QStringLiteral("web-public-2");
    auto counter = std::make_shared<char>(seed);
    in.salts = [counter](int size) {
        return QByteArray(size, (*counter)++);
    };
    return in;
}

QByteArray archiveOf(ArchiveFormat format, char seed = 's')
{
    const BundleResult bundle = Bundle::make(input(seed));
    if (!bundle.ok())
        return {};
    const ArchiveWriteResult written = BundleArchive::write(bundle.entries, format);
    return written.ok() ? written.bytes : QByteArray();
}

void setTimeZone(const QByteArray &tz)
{
    qputenv("TZ", tz);
    tzset();
}

int run(const QString &program, const QStringList &arguments, const QString &dir,
        QByteArray *output = nullptr)
{
    QProcess p;
    p.setWorkingDirectory(dir);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, arguments);
    if (!p.waitForFinished(60000))
        return -1;
    if (output)
        *output = p.readAll();
    return p.exitCode();
}

} // namespace

class TestExportArchive : public QObject
{
    Q_OBJECT

private slots:
    void formatFromFileName_data();
    void formatFromFileName();
    void entriesKeepModesAndBytes_data();
    void entriesKeepModesAndBytes();
    void checksumsMatchTheManifest_data();
    void checksumsMatchTheManifest();
    void sameInputSameBytesInAnyTimeZone_data();
    void sameInputSameBytesInAnyTimeZone();
    void systemToolsExtractWithModes_data();
    void systemToolsExtractWithModes();
    void damagedArchiveIsAnError();
};

void TestExportArchive::formatFromFileName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("format"); // -1: none

    QTest::newRow(".tar.gz") << "station.tar.gz" << int(ArchiveFormat::TarGz);
    QTest::newRow(".tgz, upper case") << "STATION.TGZ" << int(ArchiveFormat::TarGz);
    QTest::newRow(".zip") << "/tmp/x/station.zip" << int(ArchiveFormat::Zip);
    QTest::newRow(".tar without gzip: refused") << "station.tar" << -1;
    QTest::newRow("no extension: refused") << "station" << -1;
}

void TestExportArchive::formatFromFileName()
{
    QFETCH(QString, name);
    QFETCH(int, format);
    const auto found = BundleArchive::formatForFileName(name);
    QCOMPARE(found ? int(*found) : -1, format);
}

void TestExportArchive::entriesKeepModesAndBytes_data()
{
    QTest::addColumn<ArchiveFormat>("format");
    QTest::newRow("tar.gz") << ArchiveFormat::TarGz;
    QTest::newRow("zip") << ArchiveFormat::Zip;
}

void TestExportArchive::entriesKeepModesAndBytes()
{
    QFETCH(ArchiveFormat, format);
    const BundleResult bundle = Bundle::make(input());
    QVERIFY2(bundle.ok(), qPrintable(bundle.errorString));
    const ArchiveWriteResult written = BundleArchive::write(bundle.entries, format);
    QVERIFY2(written.ok(), qPrintable(written.errorString));
    const ArchiveReadResult read = BundleArchive::read(written.bytes);
    QVERIFY2(read.ok(), qPrintable(read.errorString));
    QCOMPARE(read.entries.size(), bundle.entries.size());
    for (qsizetype i = 0; i < read.entries.size(); ++i) {
        const ArchiveEntry &got = read.entries.at(i);
        const BundleEntry &want = bundle.entries.at(i);
        QCOMPARE(got.path, want.path);
        QCOMPARE(got.isDirectory, want.isDirectory);
        QCOMPARE(got.mode, want.mode);
        QCOMPARE(got.bytes, want.bytes);
        if (format == ArchiveFormat::TarGz) {
            QCOMPARE(got.mtime, BundleArchive::tarMtime);
            QCOMPARE(got.owner, QStringLiteral("root"));
        }
    }
    const auto mode = [&](const QString &path) {
        for (const ArchiveEntry &e : read.entries) {
            if (e.path == Bundle::rootName() + u'/' + path)
                return e.mode;
        }
        return -1;
    };
    QCOMPARE(mode(QStringLiteral("install.sh")), 0755);
    QCOMPARE(mode(QStringLiteral("files/etc/mosquitto/passwd")), 0700);
    QCOMPARE(mode(QStringLiteral("files/etc/mosquitto/acl")), 0700);
    QCOMPARE(mode(QStringLiteral("files/etc/mosquitto/conf.d/weewx-mqtt-wizard.conf")), 0644);
    QCOMPARE(mode(QStringLiteral("weewx/edit-weewx-conf.py")), 0700);
}

void TestExportArchive::checksumsMatchTheManifest_data()
{
    entriesKeepModesAndBytes_data();
}

void TestExportArchive::checksumsMatchTheManifest()
{
    QFETCH(ArchiveFormat, format);
    const ArchiveReadResult read = BundleArchive::read(archiveOf(format));
    QVERIFY2(read.ok(), qPrintable(read.errorString));
    const QString prefix = Bundle::rootName() + u'/';
    QByteArray manifest;
    for (const ArchiveEntry &e : read.entries) {
        if (e.path == prefix + QStringLiteral("MANIFEST.sha256"))
            manifest = e.bytes;
    }
    const auto sums = Bundle::parseManifest(manifest);
    QVERIFY(sums);
    int files = 0;
    for (const ArchiveEntry &e : read.entries) {
        if (e.isDirectory || e.path == prefix + QStringLiteral("MANIFEST.sha256"))
            continue;
        ++files;
        const QString relative = e.path.mid(prefix.size());
        QVERIFY2(sums->contains(relative), qPrintable(relative + u" is not in the manifest"));
        QCOMPARE(QCryptographicHash::hash(e.bytes, QCryptographicHash::Sha256).toHex(),
                 sums->value(relative));
    }
    QCOMPARE(sums->size(), files);
}

void TestExportArchive::sameInputSameBytesInAnyTimeZone_data()
{
    entriesKeepModesAndBytes_data();
}

void TestExportArchive::sameInputSameBytesInAnyTimeZone()
{
    QFETCH(ArchiveFormat, format);
    const QByteArray oldTz = qgetenv("TZ");
    const QByteArray utc = (setTimeZone("UTC"), archiveOf(format));
    const QByteArray tokyo = (setTimeZone("Asia/Tokyo"), archiveOf(format));
    const QByteArray la = (setTimeZone("America/Los_Angeles"), archiveOf(format));
    if (oldTz.isEmpty())
        qunsetenv("TZ");
    else
        qputenv("TZ", oldTz);
    tzset();
    QVERIFY(!utc.isEmpty());
    QVERIFY(utc == tokyo);
    QVERIFY(utc == la);
    // Other salts: other hashes, other bytes.
    QVERIFY(archiveOf(format, 'z') != utc);
}

void TestExportArchive::systemToolsExtractWithModes_data()
{
    entriesKeepModesAndBytes_data();
}

void TestExportArchive::systemToolsExtractWithModes()
{
    QFETCH(ArchiveFormat, format);
    const QString tool =
            format == ArchiveFormat::TarGz ? QStringLiteral("tar") : QStringLiteral("unzip");
    if (QStandardPaths::findExecutable(tool).isEmpty())
        QSKIP(qPrintable(tool + u" is not installed"));
    QTemporaryDir dir;
    const QString file = dir.filePath(format == ArchiveFormat::TarGz ? QStringLiteral("b.tar.gz")
                                                                     : QStringLiteral("b.zip"));
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(archiveOf(format));
    out.close();
    QByteArray output;
    const QStringList args = format == ArchiveFormat::TarGz
                                     ? QStringList{QStringLiteral("-xzf"), file}
                                     : QStringList{QStringLiteral("-q"), file};
    QCOMPARE(run(tool, args, dir.path(), &output), 0);
    // tar and unzip print nothing odd (no "implausibly old time stamp").
    QVERIFY2(output.isEmpty(), output.constData());
    const QString root = dir.filePath(Bundle::rootName());
    QCOMPARE(run(QStringLiteral("sha256sum"),
                 {QStringLiteral("--check"), QStringLiteral("--strict"),
                  QStringLiteral("MANIFEST.sha256")},
                 root, &output),
             0);
    struct stat st = {};
    auto modeOf = [&](const QString &path) {
        return ::stat(QFile::encodeName(root + u'/' + path).constData(), &st) == 0
                       ? int(st.st_mode & 07777)
                       : -1;
    };
    QCOMPARE(modeOf(QStringLiteral("install.sh")), 0755);
    QCOMPARE(modeOf(QStringLiteral("files/etc/mosquitto/passwd")), 0700);
    QCOMPARE(modeOf(QStringLiteral("weewx/edit-weewx-conf.py")), 0700);
    QCOMPARE(modeOf(QString()), 0700);
}

void TestExportArchive::damagedArchiveIsAnError()
{
    QByteArray bytes = archiveOf(ArchiveFormat::TarGz);
    bytes.truncate(bytes.size() / 2);
    QVERIFY(!BundleArchive::read(bytes).ok());
    QVERIFY(!BundleArchive::read("plain text, not an archive").ok());
}

QTEST_GUILESS_MAIN(TestExportArchive)
#include "tst_exportarchive.moc"
