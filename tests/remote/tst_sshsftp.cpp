// SPDX-License-Identifier: GPL-3.0-or-later
// SFTP against a real sshd: odd bytes and odd paths arrive unchanged, writes land by rename,
// stat reports owner, group and mode as `ls -l` would.
#include "remote/ssh/sshsession.h"
#include "support/sshserver.h"

#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace wmw::ssh;
using wmw::test::SshServer;

namespace {
const QString password = QStringLiteral("pi-Secret-2");
}

class tst_SshSftp : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void writeThenRead_data();
    void writeThenRead();
    void renameIntoPlaceKeepsModeAndLeavesNoTemporary();
    void stat_data();
    void stat();
    void errors_data();
    void errors();

private:
    static SshResult wait(SshJob *job);

    QTemporaryDir m_tmp;
    SshServer m_server;
    std::unique_ptr<SshSession> m_session;
};

void tst_SshSftp::initTestCase()
{
    if (const QString why = SshServer::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    SshServer::Options options;
    options.users = {{QStringLiteral("pi"), password, SshServer::User::Sudo::None}};
    QVERIFY2(m_server.start(options), qPrintable(m_server.errorString()));
    m_session = std::make_unique<SshSession>();
    SshTarget target;
    target.host = m_server.host();
    target.port = m_server.port();
    target.user = QStringLiteral("pi");
    target.password = password;
    target.knownHostsFile = m_tmp.filePath(QStringLiteral("known_hosts"));
    target.sshDirectory = m_tmp.path();
    target.processConfig = false;
    connect(m_session.get(), &SshSession::hostKeyUnknown, m_session.get(),
            &SshSession::acceptHostKey);
    m_session->connectToHost(target);
    QTRY_VERIFY_WITH_TIMEOUT(m_session->state() == SshSession::State::Connected
                                     || m_session->state() == SshSession::State::Disconnected,
                             20000);
    QVERIFY2(m_session->state() == SshSession::State::Connected,
             qPrintable(m_session->errorString()));
}

SshResult tst_SshSftp::wait(SshJob *job)
{
    QSignalSpy finished(job, &SshJob::finished);
    if (!job->isFinished())
        finished.wait(60000);
    return job->result();
}

void tst_SshSftp::writeThenRead_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("data");
    QByteArray allBytes;
    for (int i = 0; i < 256; ++i)
        allBytes += char(i);
    QTest::newRow("NUL, CR, CRLF and high bytes, path with spaces")
            << QStringLiteral("my weewx conf.txt") << QByteArray("a\0b\rc\r\nd\xff\xfe\x80", 12);
    QTest::newRow("every byte value") << QStringLiteral("all bytes") << allBytes;
    QTest::newRow("empty file") << QStringLiteral("empty") << QByteArray();
    QTest::newRow("larger than one chunk")
            << QStringLiteral("big.bin") << QByteArray(200000, '\x7f');
    QTest::newRow("non-ASCII file name")
            << QStringLiteral("Wetter Zürich ☀.conf") << QByteArray("x=1\n");
}

void tst_SshSftp::writeThenRead()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, data);
    const QString path = m_server.homeOf(QStringLiteral("pi")) + u'/' + name;
    const SshResult written = wait(m_session->writeFile(path, data, 0640));
    QVERIFY2(written.ok(), qPrintable(written.errorString));
    const SshResult read = wait(m_session->readFile(path));
    QVERIFY2(read.ok(), qPrintable(read.errorString));
    QCOMPARE(read.stdOut, data);
    // And what the Pi's disk holds, seen without SSH.
    QFile onDisk(path);
    QVERIFY(onDisk.open(QIODevice::ReadOnly));
    QCOMPARE(onDisk.readAll(), data);
}

void tst_SshSftp::renameIntoPlaceKeepsModeAndLeavesNoTemporary()
{
    const QString home = m_server.homeOf(QStringLiteral("pi"));
    const QString path = home + u"/replace me";
    QVERIFY(wait(m_session->writeFile(path, "old contents\n", 0600)).ok());
    const SshResult replaced = wait(m_session->writeFile(path, "new\n"));
    QVERIFY2(replaced.ok(), qPrintable(replaced.errorString));
    QCOMPARE(wait(m_session->readFile(path)).stdOut, QByteArray("new\n"));
    const SshResult info = wait(m_session->stat(path));
    QCOMPARE(info.info.mode, 0600u);
    const QStringList left = QDir(home).entryList(QDir::Files | QDir::Hidden);
    for (const QString &name : left)
        QVERIFY2(!name.contains(QLatin1String(".wmw-")), qPrintable(name));
}

void tst_SshSftp::stat_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("owner");
    QTest::addColumn<QString>("group");
    QTest::addColumn<uint>("mode");
    QTest::addColumn<bool>("directory");
    QTest::newRow("the user's own file") << QStringLiteral("pi-file") << QStringLiteral("pi")
                                         << QStringLiteral("pi") << 0640u << false;
    QTest::newRow("/etc/shadow: root, group shadow, 0640")
            << QStringLiteral("/etc/shadow") << QStringLiteral("root") << QStringLiteral("shadow")
            << 0640u << false;
    QTest::newRow("a directory") << QStringLiteral("/etc") << QStringLiteral("root")
                                 << QStringLiteral("root") << 0755u << true;
}

void tst_SshSftp::stat()
{
    QFETCH(QString, path);
    QFETCH(QString, owner);
    QFETCH(QString, group);
    QFETCH(uint, mode);
    QFETCH(bool, directory);
    if (!path.startsWith(u'/')) {
        path = m_server.homeOf(QStringLiteral("pi")) + u'/' + path;
        QVERIFY(wait(m_session->writeFile(path, "x", int(mode))).ok());
    }
    const SshResult result = wait(m_session->stat(path));
    QVERIFY2(result.ok(), qPrintable(result.errorString));
    QCOMPARE(result.info.owner, owner);
    QCOMPARE(result.info.group, group);
    QCOMPARE(result.info.mode, mode);
    QCOMPARE(result.info.isDirectory, directory);
}

void tst_SshSftp::errors_data()
{
    QTest::addColumn<int>("operation");
    QTest::addColumn<QString>("path");
    QTest::addColumn<SshSession::Error>("error");
    QTest::newRow("reading a missing file")
            << 0 << QStringLiteral("/no/such/file") << SshSession::Error::NoSuchFile;
    QTest::newRow("reading a file the user may not read")
            << 0 << QStringLiteral("/etc/shadow") << SshSession::Error::PermissionDenied;
    QTest::newRow("writing where the user may not write")
            << 1 << QStringLiteral("/etc/mosquitto-test.conf")
            << SshSession::Error::PermissionDenied;
    QTest::newRow("stat of a missing file")
            << 2 << QStringLiteral("/no/such/file") << SshSession::Error::NoSuchFile;
}

void tst_SshSftp::errors()
{
    QFETCH(int, operation);
    QFETCH(QString, path);
    QFETCH(SshSession::Error, error);
    SshJob *job = operation == 0   ? m_session->readFile(path)
                  : operation == 1 ? m_session->writeFile(path, "x")
                                   : m_session->stat(path);
    const SshResult result = wait(job);
    QCOMPARE(result.error, error);
    QVERIFY2(result.errorString.contains(path), qPrintable(result.errorString));
}

QTEST_GUILESS_MAIN(tst_SshSftp)
#include "tst_sshsftp.moc"
