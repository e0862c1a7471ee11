// SPDX-License-Identifier: GPL-3.0-or-later
// Connecting to a peer that never speaks SSH: the connect timeout, cancelling, bad input.
// A QTcpServer that accepts and stays silent is what a wrong port or a stuck Pi looks like.
#include "remote/ssh/sshsession.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace wmw::ssh;

class tst_SshConnect : public QObject
{
    Q_OBJECT

private slots:
    void silentPeer_data();
    void silentPeer();
    void emptyHostIsAnErrorSignalledLater();
};

void tst_SshConnect::silentPeer_data()
{
    QTest::addColumn<bool>("cancel");
    QTest::newRow("a peer that never answers: connect times out") << false;
    QTest::newRow("cancelled while connecting") << true;
}

void tst_SshConnect::silentPeer()
{
    QFETCH(bool, cancel);
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    QTemporaryDir tmp;
    SshTarget target;
    target.host = QStringLiteral("127.0.0.1");
    target.port = silent.serverPort();
    target.user = QStringLiteral("root");
    target.knownHostsFile = tmp.filePath(QStringLiteral("known_hosts"));
    target.sshDirectory = tmp.path();
    target.processConfig = false;
    target.connectTimeoutMs = cancel ? 60000 : 500;
    SshSession session;
    QSignalSpy errors(&session, &SshSession::errorOccurred);
    session.connectToHost(target);
    QCOMPARE(session.state(), SshSession::State::Connecting);
    if (cancel)
        session.cancel();
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), SshSession::State::Disconnected, 20000);
    QCOMPARE(session.error(), cancel ? SshSession::Error::Cancelled : SshSession::Error::Timeout);
    QCOMPARE(errors.size(), 1);
    QVERIFY2(session.errorString().contains(QLatin1String("127.0.0.1")),
             qPrintable(session.errorString()));
}

void tst_SshConnect::emptyHostIsAnErrorSignalledLater()
{
    SshSession session;
    session.connectToHost({});
    QSignalSpy errors(&session, &SshSession::errorOccurred); // connected after the call
    QVERIFY(errors.wait(5000));
    QCOMPARE(session.error(), SshSession::Error::InvalidInput);
}

QTEST_GUILESS_MAIN(tst_SshConnect)
#include "tst_sshconnect.moc"
