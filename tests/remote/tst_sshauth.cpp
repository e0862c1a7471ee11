// SPDX-License-Identifier: GPL-3.0-or-later
// Each way a user logs in (ssh-agent, key file with and without passphrase, password,
// keyboard-interactive, a ~/.ssh/config alias) against a real sshd, and the failure message
// that says what the server offered and what was tried.
#include "remote/ssh/sshsession.h"
#include "support/sshserver.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace wmw::ssh;
using wmw::test::SshServer;
using Kind = CredentialRequest::Kind;

namespace {
const QString piPassword = QStringLiteral("pi-Login-3");
const QString keyPassphrase = QStringLiteral("key phrase 4");
} // namespace

class tst_SshAuth : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void login_data();
    void login();
    void configAliasGivesHostPortUserAndKey();
    void compressionIsAskedForNeverRequired_data();
    void compressionIsAskedForNeverRequired();

private:
    SshTarget baseTarget(const SshServer &server) const;
    void settle(SshSession &session);
    /// Connects, taking an unknown host key; true once connected.
    bool connectAccepting(SshSession &session, const SshTarget &target);
    /// An ssh config file in the temp folder, for SshTarget::configFile.
    QString writeSshConfig(const QString &name, const QByteArray &text);

    QTemporaryDir m_tmp;
    SshServer m_plain; // sshd checks passwords itself: offers publickey, password
    SshServer m_pam; // PAM, no PasswordAuthentication: offers publickey, keyboard-interactive
    wmw::test::SshAgent m_agent;
    QString m_key;
    QString m_keyWithPassphrase;
    QString m_agentKey;
};

void tst_SshAuth::initTestCase()
{
    if (const QString why = SshServer::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    SshServer::Options options;
    options.users = {{QStringLiteral("pi"), piPassword, SshServer::User::Sudo::None}};
    QVERIFY2(m_plain.start(options), qPrintable(m_plain.errorString()));
    options.usePam = true;
    options.passwordAuthentication = false;
    QVERIFY2(m_pam.start(options), qPrintable(m_pam.errorString()));
    m_key = m_plain.createClientKey(QStringLiteral("plain"));
    m_keyWithPassphrase = m_plain.createClientKey(QStringLiteral("protected"), keyPassphrase);
    m_agentKey = m_plain.createClientKey(QStringLiteral("agent"));
    for (SshServer *server : {&m_plain, &m_pam})
        for (const QString &key : {m_key, m_keyWithPassphrase, m_agentKey})
            QVERIFY(server->authorize(QStringLiteral("root"), key));
    QVERIFY2(m_agent.start(), qPrintable(m_agent.errorString()));
    QVERIFY2(m_agent.add(m_agentKey), qPrintable(m_agent.errorString()));
}

SshTarget tst_SshAuth::baseTarget(const SshServer &server) const
{
    SshTarget target;
    target.host = server.host();
    target.port = server.port();
    target.knownHostsFile = m_tmp.filePath(QStringLiteral("known_hosts"));
    target.sshDirectory = m_tmp.path(); // holds no default key: only the keys a row names
    target.processConfig = false;
    return target;
}

bool tst_SshAuth::connectAccepting(SshSession &session, const SshTarget &target)
{
    connect(&session, &SshSession::hostKeyUnknown, &session, &SshSession::acceptHostKey);
    session.connectToHost(target);
    settle(session);
    if (session.state() != SshSession::State::Connected)
        qWarning().noquote() << "not connected:" << session.errorString();
    return session.state() == SshSession::State::Connected;
}

QString tst_SshAuth::writeSshConfig(const QString &name, const QByteArray &text)
{
    const QString path = m_tmp.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        return {};
    return path;
}

void tst_SshAuth::settle(SshSession &session)
{
    QTRY_VERIFY_WITH_TIMEOUT(session.state() == SshSession::State::Connected
                                     || session.state() == SshSession::State::Disconnected,
                             20000);
}

void tst_SshAuth::login_data()
{
    QTest::addColumn<bool>("pam");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("key"); // "plain", "protected" or none
    QTest::addColumn<bool>("agent");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("passphrase");
    QTest::addColumn<QStringList>("answers"); // given when asked; empty: refuse
    QTest::addColumn<QList<int>>("asked"); // CredentialRequest::Kind of each question
    QTest::addColumn<QStringList>("failure"); // texts of the error; empty: login works
    const QString root = QStringLiteral("root");
    const QString pi = QStringLiteral("pi");
    QTest::newRow("ssh-agent") << false << root << QString() << true << QString() << QString()
                               << QStringList() << QList<int>() << QStringList();
    QTest::newRow("key file without passphrase")
            << false << root << QStringLiteral("plain") << false << QString() << QString()
            << QStringList() << QList<int>() << QStringList();
    QTest::newRow("key file, passphrase given up front")
            << false << root << QStringLiteral("protected") << false << QString() << keyPassphrase
            << QStringList() << QList<int>() << QStringList();
    QTest::newRow("key file, passphrase asked")
            << false << root << QStringLiteral("protected") << false << QString() << QString()
            << QStringList{keyPassphrase} << QList<int>{int(Kind::Passphrase)} << QStringList();
    QTest::newRow("key file, passphrase refused: fails, saying what was tried")
            << false << root << QStringLiteral("protected") << false << QString() << QString()
            << QStringList() << QList<int>{int(Kind::Passphrase), int(Kind::Password)}
            << QStringList{QStringLiteral("offers: publickey, password"),
                           QStringLiteral("key files (passphrase wrong or not given"),
                           QStringLiteral("password (none given)")};
    // The named key is signed and sent without asking first: a refusal must still lead on
    // to the other methods, and the error must still say what was tried.
    QTest::newRow("key file the server does not take, password given: logs in with it")
            << false << pi << QStringLiteral("plain") << false << piPassword << QString()
            << QStringList() << QList<int>() << QStringList();
    QTest::newRow("key file the server does not take, nothing else: says what was tried")
            << false << pi << QStringLiteral("plain") << false << QString() << QString()
            << QStringList() << QList<int>{int(Kind::Password)}
            << QStringList{QStringLiteral("offers: publickey, password"),
                           QStringLiteral("key files (no key accepted)"),
                           QStringLiteral("password (none given)")};
    QTest::newRow("password given up front")
            << false << pi << QString() << false << piPassword << QString() << QStringList()
            << QList<int>() << QStringList();
    QTest::newRow("password asked")
            << false << pi << QString() << false << QString() << QString()
            << QStringList{piPassword} << QList<int>{int(Kind::Password)} << QStringList();
    QTest::newRow("wrong password: lists what the server offered and what failed")
            << false << pi << QString() << false << QStringLiteral("wrong") << QString()
            << QStringList() << QList<int>()
            << QStringList{QStringLiteral("refused the login as pi"),
                           QStringLiteral("offers: publickey, password"),
                           QStringLiteral("ssh-agent (none running)"),
                           QStringLiteral("key files (no key accepted)"),
                           QStringLiteral("password (refused)")};
    QTest::newRow("keyboard-interactive answered with the given password")
            << true << pi << QString() << false << piPassword << QString() << QStringList()
            << QList<int>() << QStringList();
    QTest::newRow("keyboard-interactive asked")
            << true << pi << QString() << false << QString() << QString() << QStringList{piPassword}
            << QList<int>{int(Kind::KeyboardInteractive)} << QStringList();
    QTest::newRow("keyboard-interactive, wrong password: answered once, then refused")
            << true << pi << QString() << false << QStringLiteral("wrong") << QString()
            << QStringList() << QList<int>()
            << QStringList{QStringLiteral("offers: publickey, keyboard-interactive"),
                           QStringLiteral("keyboard-interactive (refused)")};
}

void tst_SshAuth::login()
{
    QFETCH(bool, pam);
    QFETCH(QString, user);
    QFETCH(QString, key);
    QFETCH(bool, agent);
    QFETCH(QString, password);
    QFETCH(QString, passphrase);
    QFETCH(QStringList, answers);
    QFETCH(QList<int>, asked);
    QFETCH(QStringList, failure);

    SshTarget target = baseTarget(pam ? m_pam : m_plain);
    target.user = user;
    if (key == QLatin1String("plain"))
        target.identityFile = m_key;
    else if (key == QLatin1String("protected"))
        target.identityFile = m_keyWithPassphrase;
    target.agentSocket = agent ? m_agent.socket() : QString();
    target.password = password;
    target.passphrase = passphrase;

    SshSession session;
    QList<int> questions;
    connect(&session, &SshSession::hostKeyUnknown, &session, &SshSession::acceptHostKey);
    connect(&session, &SshSession::credentialRequested, &session,
            [&](const CredentialRequest &request) {
                questions << int(request.kind);
                if (answers.isEmpty())
                    session.refuseCredential();
                else
                    session.provideCredential(answers);
            });
    session.connectToHost(target);
    settle(session);
    QCOMPARE(questions, asked);
    if (failure.isEmpty()) {
        QVERIFY2(session.state() == SshSession::State::Connected,
                 qPrintable(session.errorString()));
        return;
    }
    QCOMPARE(session.error(), SshSession::Error::AuthenticationFailed);
    for (const QString &text : failure)
        QVERIFY2(session.errorString().contains(text), qPrintable(session.errorString()));
    QVERIFY(!session.errorString().contains(piPassword));
}

void tst_SshAuth::configAliasGivesHostPortUserAndKey()
{
    const QString config = writeSshConfig(
            QStringLiteral("config"),
            "Host other\n    User nobody\n\nHost weatherpi\n    HostName 127.0.0.1\n    Port "
                    + QByteArray::number(m_plain.port()) + "\n    User root\n    IdentityFile "
                    + QFile::encodeName(m_key) + "\n");
    QVERIFY(!config.isEmpty());
    SshTarget target = baseTarget(m_plain);
    target.host = QStringLiteral("weatherpi");
    target.port = 0;
    target.processConfig = true;
    target.configFile = config;
    SshSession session;
    QVERIFY(connectAccepting(session, target));
    SshJob *job = session.run("id -un");
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), 20000);
    QCOMPARE(job->result().stdOut, QByteArray("root\n"));
}

void tst_SshAuth::compressionIsAskedForNeverRequired_data()
{
    QTest::addColumn<QString>("serverSetting"); // sshd's Compression; empty: its default (yes)
    QTest::addColumn<QByteArray>("userConfig"); // the user's ssh config; empty: none read
    QTest::addColumn<QByteArray>("negotiated"); // as sshd logs it
    QTest::newRow("sshd's default: compressed after login")
            << QString() << QByteArray() << QByteArray("compression: zlib@openssh.com");
    QTest::newRow("sshd with Compression no: connects, uncompressed")
            << QStringLiteral("no") << QByteArray() << QByteArray("compression: none");
    QTest::newRow("the user's config says Compression no: uncompressed")
            << QString() << QByteArray("Host *\n    Compression no\n")
            << QByteArray("compression: none");
}

void tst_SshAuth::compressionIsAskedForNeverRequired()
{
    QFETCH(QString, serverSetting);
    QFETCH(QByteArray, userConfig);
    QFETCH(QByteArray, negotiated);
    SshServer server;
    SshServer::Options options;
    options.compression = serverSetting;
    options.debugLog = true;
    QVERIFY2(server.start(options), qPrintable(server.errorString()));
    QVERIFY(server.authorize(QStringLiteral("root"), m_key));
    SshTarget target = baseTarget(server);
    target.user = QStringLiteral("root");
    target.identityFile = m_key;
    if (!userConfig.isEmpty()) {
        target.processConfig = true;
        target.configFile = writeSshConfig(QStringLiteral("config-compression"), userConfig);
        QVERIFY(!target.configFile.isEmpty());
    }
    SshSession session;
    QVERIFY(connectAccepting(session, target));
    // Both directions carry what was sent, byte for byte, whichever way it travels.
    QByteArray data;
    for (int i = 0; i < 20000; ++i)
        data += QByteArray::number(i * 7919 % 100003) + (i % 13 ? ' ' : '\n');
    RunOptions run;
    run.stdinData = data;
    SshJob *job = session.run("cat", run);
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), 20000);
    QCOMPARE(job->result().exitStatus, 0);
    QCOMPARE(job->result().stdOut, data);
    QByteArray log;
    QTRY_VERIFY2_WITH_TIMEOUT((log += server.takeLog()).contains("kex: client->server cipher"),
                              log.constData(), 5000);
    for (const char *direction : {"kex: client->server cipher", "kex: server->client cipher"}) {
        const qsizetype at = log.indexOf(direction);
        QVERIFY2(at >= 0, log.constData());
        const QByteArray line = log.mid(at, log.indexOf('\n', at) - at);
        QVERIFY2(line.contains(negotiated), line.constData());
    }
}

QTEST_GUILESS_MAIN(tst_SshAuth)
#include "tst_sshauth.moc"
