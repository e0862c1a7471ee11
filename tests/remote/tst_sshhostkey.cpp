// SPDX-License-Identifier: GPL-3.0-or-later
// Host keys against a known_hosts file, as a user meets them: a new Pi (asked, with the
// fingerprint ssh-keygen shows), accepted or refused, and a Pi whose key changed (refused,
// naming the line to remove).
#include "remote/ssh/sshsession.h"
#include "support/sshserver.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace wmw::ssh;
using wmw::test::SshServer;

class tst_SshHostKey : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void unknownKey_data();
    void unknownKey();
    void changedKeyIsRefusedNamingTheLine_data();
    void changedKeyIsRefusedNamingTheLine();

private:
    SshTarget target(const QString &knownHosts) const;
    static QByteArray readAll(const QString &path);

    QTemporaryDir m_tmp;
    SshServer m_server;
    QString m_key;
};

void tst_SshHostKey::initTestCase()
{
    if (const QString why = SshServer::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    m_key = m_server.createClientKey(QStringLiteral("root"));
    QVERIFY(!m_key.isEmpty());
    QVERIFY(m_server.authorize(QStringLiteral("root"), m_key));
}

SshTarget tst_SshHostKey::target(const QString &knownHosts) const
{
    SshTarget target;
    target.host = m_server.host();
    target.port = m_server.port();
    target.user = QStringLiteral("root");
    target.identityFile = m_key;
    target.knownHostsFile = knownHosts;
    target.sshDirectory = m_tmp.path(); // no key or known_hosts of the developer leaks in
    target.processConfig = false;
    return target;
}

QByteArray tst_SshHostKey::readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void tst_SshHostKey::unknownKey_data()
{
    QTest::addColumn<bool>("accept");
    QTest::newRow("new Pi, key accepted: saved, and not asked again") << true;
    QTest::newRow("new Pi, key refused: nothing saved, clear error") << false;
}

void tst_SshHostKey::unknownKey()
{
    QFETCH(bool, accept);
    const QString knownHosts =
            m_tmp.filePath(QString::fromLatin1(QTest::currentDataTag()).left(12));
    QFile::remove(knownHosts);

    SshSession session;
    QList<HostKeyInfo> asked;
    connect(&session, &SshSession::hostKeyUnknown, &session, [&](const HostKeyInfo &info) {
        asked << info;
        accept ? session.acceptHostKey() : session.refuseHostKey();
    });
    session.connectToHost(target(knownHosts));
    QTRY_VERIFY_WITH_TIMEOUT(session.state() == SshSession::State::Connected
                                     || session.state() == SshSession::State::Disconnected,
                             20000);
    QCOMPARE(asked.size(), 1);
    QCOMPARE(asked.first().fingerprint, m_server.hostKeyFingerprint());
    QCOMPARE(asked.first().keyType, SshServer::hostKeyType());
    QCOMPARE(asked.first().knownHostsFile, knownHosts);

    if (!accept) {
        QCOMPARE(session.error(), SshSession::Error::HostKeyUnknownRefused);
        QVERIFY2(session.errorString().contains(m_server.hostKeyFingerprint()),
                 qPrintable(session.errorString()));
        QVERIFY(readAll(knownHosts).isEmpty());
        return;
    }
    QCOMPARE(session.state(), SshSession::State::Connected);
    const QByteArray saved = readAll(knownHosts);
    const QByteArray entry = "[127.0.0.1]:" + QByteArray::number(m_server.port()) + " ssh-ed25519 ";
    QVERIFY2(saved.startsWith(entry), saved.constData());

    SshSession again;
    QSignalSpy askedAgain(&again, &SshSession::hostKeyUnknown);
    again.connectToHost(target(knownHosts));
    QTRY_VERIFY_WITH_TIMEOUT(again.state() == SshSession::State::Connected
                                     || again.state() == SshSession::State::Disconnected,
                             20000);
    QCOMPARE(again.state(), SshSession::State::Connected);
    QCOMPARE(askedAgain.size(), 0);
}

void tst_SshHostKey::changedKeyIsRefusedNamingTheLine_data()
{
    QTest::addColumn<bool>("hashed");
    QTest::addColumn<QByteArray>("before");
    QTest::addColumn<QString>("line");
    QTest::newRow("plain entry on line 1") << false << QByteArray() << QStringLiteral("line 1");
    QTest::newRow("hashed entry after a comment and another host, line 3")
            << true
            << QByteArray("# my hosts\nother.example ssh-ed25519 "
                          "AAAAC3NzaC1lZDI1NTE5AAAAIJ3dbbCXaVFrFvnq1tGHYWCkTBXlhRSrwKsu/o3ST/yZ\n")
            << QStringLiteral("line 3");
}

void tst_SshHostKey::changedKeyIsRefusedNamingTheLine()
{
    QFETCH(bool, hashed);
    QFETCH(QByteArray, before);
    QFETCH(QString, line);
    const QString knownHosts = m_tmp.filePath(hashed ? QStringLiteral("changed-hashed")
                                                     : QStringLiteral("changed-plain"));
    QFile::remove(knownHosts);
    {
        QFile file(knownHosts);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(before);
    }
    {
        SshSession first;
        connect(&first, &SshSession::hostKeyUnknown, &first, &SshSession::acceptHostKey);
        first.connectToHost(target(knownHosts));
        QTRY_COMPARE_WITH_TIMEOUT(first.state(), SshSession::State::Connected, 20000);
    }
    if (hashed) {
        QProcess keygen;
        keygen.start(QStringLiteral("ssh-keygen"),
                     {QStringLiteral("-H"), QStringLiteral("-f"), knownHosts});
        QVERIFY(keygen.waitForFinished(10000));
        QCOMPARE(keygen.exitCode(), 0);
        QVERIFY(readAll(knownHosts).contains("|1|"));
    }
    const QByteArray savedBefore = readAll(knownHosts);

    QVERIFY2(m_server.restartWithNewHostKey(), qPrintable(m_server.errorString()));
    SshSession session;
    QSignalSpy asked(&session, &SshSession::hostKeyUnknown);
    session.connectToHost(target(knownHosts));
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SshSession::State::Disconnected, 20000);
    QCOMPARE(session.error(), SshSession::Error::HostKeyChanged);
    QCOMPARE(asked.size(), 0);
    const QString message = session.errorString();
    QVERIFY2(message.contains(knownHosts), qPrintable(message));
    QVERIFY2(message.contains(line), qPrintable(message));
    QVERIFY2(message.contains(m_server.hostKeyFingerprint()), qPrintable(message));
    QCOMPARE(readAll(knownHosts), savedBefore);
}

QTEST_GUILESS_MAIN(tst_SshHostKey)
#include "tst_sshhostkey.moc"
