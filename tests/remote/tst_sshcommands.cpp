// SPDX-License-Identifier: GPL-3.0-or-later
// Remote commands over a real sshd: exit status and output, a timeout, cancelling, hostile
// text through shellQuote(), and sudo with its password on stdin.
#include "remote/ssh/shellquote.h"
#include "remote/ssh/sshsession.h"
#include "support/sshserver.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace wmw::ssh;
using wmw::test::SshServer;

namespace {
const QString sudoPassword = QStringLiteral("pi-sudo-Secret1");
}

class tst_SshCommands : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void run_data();
    void run();
    void commandThatTimesOut();
    void cancelledCommand();
    void sessionChannelRefused();
    void streamedOutput_data();
    void streamedOutput();
    void inputKeptOpen_data();
    void inputKeptOpen();
    void hostileTextArrivesByteIdentical_data();
    void hostileTextArrivesByteIdentical();
    void sudo_data();
    void sudo();
    void sudoCommandFails();

private:
    SshSession *session(const QString &user);
    static SshResult wait(SshJob *job);

    QTemporaryDir m_tmp;
    SshServer m_server;
    QString m_key;
    std::map<QString, std::unique_ptr<SshSession>> m_sessions;
};

void tst_SshCommands::initTestCase()
{
    if (const QString why = SshServer::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    SshServer::Options options;
    using Sudo = SshServer::User::Sudo;
    options.users = {{QStringLiteral("pi"), sudoPassword, Sudo::WithPassword},
                     {QStringLiteral("nopw"), sudoPassword, Sudo::WithoutPassword},
                     {QStringLiteral("plain"), sudoPassword, Sudo::None}};
    QVERIFY2(m_server.start(options), qPrintable(m_server.errorString()));
}

SshSession *tst_SshCommands::session(const QString &user)
{
    auto &slot = m_sessions[user];
    if (slot && slot->state() == SshSession::State::Connected)
        return slot.get();
    slot = std::make_unique<SshSession>();
    SshTarget target;
    target.host = m_server.host();
    target.port = m_server.port();
    target.user = user;
    target.password = sudoPassword;
    target.knownHostsFile = m_tmp.filePath(QStringLiteral("known_hosts"));
    target.sshDirectory = m_tmp.path();
    target.processConfig = false;
    connect(slot.get(), &SshSession::hostKeyUnknown, slot.get(), &SshSession::acceptHostKey);
    slot->connectToHost(target);
    QSignalSpy settled(slot.get(), &SshSession::stateChanged);
    while (slot->state() != SshSession::State::Connected
           && slot->state() != SshSession::State::Disconnected)
        if (!settled.wait(20000))
            break;
    if (slot->state() != SshSession::State::Connected)
        qWarning() << "login as" << user << "failed:" << slot->errorString();
    return slot.get();
}

SshResult tst_SshCommands::wait(SshJob *job)
{
    QSignalSpy finished(job, &SshJob::finished);
    if (!job->isFinished())
        finished.wait(60000);
    return job->result();
}

void tst_SshCommands::run_data()
{
    QTest::addColumn<QByteArray>("command");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("exitStatus");
    QTest::addColumn<QByteArray>("out");
    QTest::addColumn<QByteArray>("err");
    QTest::newRow("exit status, stdout and stderr apart")
            << QByteArray("printf out; printf err >&2; exit 3") << QByteArray() << 3
            << QByteArray("out") << QByteArray("err");
    QTest::newRow("stdin reaches the command, then end of file")
            << QByteArray("wc -c") << QByteArray(100000, 'x') << 0 << QByteArray("100000\n")
            << QByteArray();
    QTest::newRow("large output is read completely")
            << QByteArray("head -c 300000 /dev/zero | tr '\\0' y") << QByteArray() << 0
            << QByteArray(300000, 'y') << QByteArray();
    QTest::newRow("a missing command is exit status 127")
            << QByteArray("no-such-command-here 2>/dev/null") << QByteArray() << 127 << QByteArray()
            << QByteArray();
}

void tst_SshCommands::run()
{
    QFETCH(QByteArray, command);
    QFETCH(QByteArray, input);
    QFETCH(int, exitStatus);
    QFETCH(QByteArray, out);
    QFETCH(QByteArray, err);
    SshSession *s = session(QStringLiteral("pi"));
    QCOMPARE(s->state(), SshSession::State::Connected);
    RunOptions options;
    options.stdinData = input;
    const SshResult result = wait(s->run(command, options));
    QVERIFY2(result.ok(), qPrintable(result.errorString));
    QCOMPARE(result.exitStatus, exitStatus);
    QCOMPARE(result.stdOut, out);
    QCOMPARE(result.stdErr, err);
}

void tst_SshCommands::commandThatTimesOut()
{
    SshSession *s = session(QStringLiteral("pi"));
    RunOptions options;
    options.timeoutMs = 300;
    const SshResult result = wait(s->run("sleep 30", options));
    QCOMPARE(result.error, SshSession::Error::Timeout);
    QVERIFY2(result.errorString.contains(m_server.host()), qPrintable(result.errorString));
    // The session survives: the next command runs at once.
    const SshResult next = wait(s->run("echo still here"));
    QVERIFY2(next.ok(), qPrintable(next.errorString));
    QCOMPARE(next.stdOut, QByteArray("still here\n"));
}

void tst_SshCommands::cancelledCommand()
{
    SshSession *s = session(QStringLiteral("pi"));
    SshJob *job = s->run("sleep 30");
    QSignalSpy finished(job, &SshJob::finished);
    job->cancel();
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(job->result().error, SshSession::Error::Cancelled);
    const SshResult next = wait(s->run("echo still here"));
    QVERIFY2(next.ok(), qPrintable(next.errorString));
    QCOMPARE(next.stdOut, QByteArray("still here\n"));
    QCOMPARE(finished.size(), 1); // the worker's late answer does not finish it twice
}

void tst_SshCommands::sessionChannelRefused()
{
    // MaxSessions 0: sshd lets the user in, then refuses every session channel.
    SshServer server;
    SshServer::Options options;
    options.maxSessions = 0;
    QVERIFY2(server.start(options), qPrintable(server.errorString()));
    const QString key = server.createClientKey(QStringLiteral("refused"));
    QVERIFY(server.authorize(QStringLiteral("root"), key));
    SshTarget target;
    target.host = server.host();
    target.port = server.port();
    target.user = QStringLiteral("root");
    target.identityFile = key;
    target.knownHostsFile = m_tmp.filePath(QStringLiteral("known_hosts_refused"));
    target.sshDirectory = m_tmp.path();
    target.processConfig = false;
    SshSession session;
    connect(&session, &SshSession::hostKeyUnknown, &session, &SshSession::acceptHostKey);
    session.connectToHost(target);
    QTRY_VERIFY_WITH_TIMEOUT(session.state() == SshSession::State::Connected
                                     || session.state() == SshSession::State::Disconnected,
                             20000);
    QVERIFY2(session.state() == SshSession::State::Connected, qPrintable(session.errorString()));
    for (int attempt = 0; attempt < 2; ++attempt) { // the session stays usable for the next
        const SshResult result = wait(session.run("true"));
        QCOMPARE(result.error, SshSession::Error::ChannelFailed);
        QVERIFY2(result.errorString.contains(QLatin1String("refused to open a session channel")),
                 qPrintable(result.errorString));
        QVERIFY2(result.errorString.contains(server.host()), qPrintable(result.errorString));
        QCOMPARE(session.state(), SshSession::State::Connected);
    }
}

void tst_SshCommands::streamedOutput_data()
{
    QTest::addColumn<bool>("sudo");
    QTest::addColumn<bool>("stream");
    QTest::newRow("run: stdout arrives while the command runs") << false << true;
    QTest::newRow("sudo: stdout arrives while the command runs") << true << true;
    QTest::newRow("without streamOutput: only the result") << false << false;
}

void tst_SshCommands::streamedOutput()
{
    QFETCH(bool, sudo);
    QFETCH(bool, stream);
    SshSession *s = session(QStringLiteral("pi"));
    QCOMPARE(s->state(), SshSession::State::Connected);
    RunOptions options;
    options.streamOutput = stream;
    options.stdinData = "input\n"; // with sudo: the password is checked before it
    // The command itself takes its time between the two lines; the test waits on signals.
    const QByteArray command = "cat >/dev/null; echo first; echo to stderr >&2; sleep 2; "
                               "echo second";
    SshJob *job = sudo ? s->runSudo(command, sudoPassword, options) : s->run(command, options);
    QSignalSpy output(job, &SshJob::output);
    QSignalSpy finished(job, &SshJob::finished);
    if (stream) {
        QVERIFY(output.wait(20000));
        QCOMPARE(output.first().first().toByteArray(), QByteArray("first\n"));
        QVERIFY(!job->isFinished());
    }
    QVERIFY(finished.wait(20000));
    QVERIFY2(job->result().ok(), qPrintable(job->result().errorString));
    QCOMPARE(job->result().stdOut, QByteArray("first\nsecond\n"));
    QByteArray streamed;
    for (const QList<QVariant> &chunk : std::as_const(output))
        streamed += chunk.first().toByteArray();
    QCOMPARE(streamed, stream ? QByteArray("first\nsecond\n") : QByteArray());
}

void tst_SshCommands::inputKeptOpen_data()
{
    QTest::addColumn<bool>("sudo");
    QTest::addColumn<QByteArray>("later"); // written once the first answer came back
    QTest::addColumn<QByteArray>("out");
    QTest::newRow("run: written after the first answer, then end of file")
            << false << QByteArray("second\n") << QByteArray("first\ngot second\nend\n");
    QTest::newRow("sudo: written after the first answer, then end of file")
            << true << QByteArray("second\n") << QByteArray("first\ngot second\nend\n");
    QTest::newRow("run: closed without more: the command sees end of file")
            << false << QByteArray() << QByteArray("first\nend\n");
    QTest::newRow("sudo: 200 KiB written later arrive whole")
            << true << QByteArray(200 * 1024, 'z').append('\n')
            << QByteArray("first\ngot ").append(QByteArray(200 * 1024, 'z')).append("\nend\n");
}

void tst_SshCommands::inputKeptOpen()
{
    QFETCH(bool, sudo);
    QFETCH(QByteArray, later);
    QFETCH(QByteArray, out);
    SshSession *s = session(QStringLiteral("pi"));
    QCOMPARE(s->state(), SshSession::State::Connected);
    RunOptions options;
    options.streamOutput = true;
    options.keepInputOpen = true;
    options.stdinData = "first\n";
    // Answers line by line: what comes later can only arrive after the first answer.
    const QByteArray command = "while IFS= read -r line; do if [ \"$line\" = first ]; then "
                               "echo first; else echo \"got $line\"; fi; done; echo end";
    SshJob *job = sudo ? s->runSudo(command, sudoPassword, options) : s->run(command, options);
    QSignalSpy output(job, &SshJob::output);
    QVERIFY(output.wait(20000));
    QCOMPARE(output.first().first().toByteArray(), QByteArray("first\n"));
    QVERIFY(!job->isFinished()); // still reading its input
    if (!later.isEmpty())
        QVERIFY(job->write(later));
    job->closeInput();
    QVERIFY(!job->write("too late\n"));
    const SshResult result = wait(job);
    QVERIFY2(result.ok(), qPrintable(result.errorString));
    QCOMPARE(result.exitStatus, 0);
    QCOMPARE(result.stdOut.size(), out.size());
    QCOMPARE(result.stdOut, out);
    // Without keepInputOpen there is nothing to write to.
    SshJob *plain = s->run("cat");
    QVERIFY(!plain->write("x"));
    QCOMPARE(wait(plain).stdOut, QByteArray());
}

void tst_SshCommands::hostileTextArrivesByteIdentical_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("single and double quotes") << QByteArray("it's \"quoted\" ''");
    QTest::newRow("command substitution") << QByteArray("$(touch /tmp/pwned) ${HOME}");
    QTest::newRow("backticks") << QByteArray("`id` \\`");
    QTest::newRow("newlines and semicolons") << QByteArray("a\nb;\nrm -rf / ; echo x\n");
    QTest::newRow("globs, pipes, redirections") << QByteArray("* ? [a] | > /tmp/x < & && ||");
    QTest::newRow("non-ASCII and high bytes") << QByteArray("Zürich ☀ \xff\xfe\x80");
    QTest::newRow("leading dash") << QByteArray("-n -e --");
    QTest::newRow("empty") << QByteArray();
}

void tst_SshCommands::hostileTextArrivesByteIdentical()
{
    QFETCH(QByteArray, text);
    SshSession *s = session(QStringLiteral("pi"));
    const std::optional<QByteArray> quoted = shellQuote(text);
    QVERIFY(quoted);
    // printf %s writes the argument unchanged; od shows each byte, so nothing is lost in
    // a terminal or an encoding on the way back.
    const SshResult printed = wait(s->run("printf %s " + *quoted + " | od -An -v -tx1"));
    QVERIFY2(printed.ok(), qPrintable(printed.errorString));
    QCOMPARE(printed.stdErr, QByteArray());
    QCOMPARE(QByteArray::fromHex(printed.stdOut.simplified().replace(' ', "")), text);
    // And as a file name (a name holds no slash) and its contents, read back.
    const QByteArray name = *shellQuote("f " + QByteArray(text).replace('/', '_'));
    const SshResult file =
            wait(s->run("cd ~ && printf %s " + *quoted + " > " + name + " && cat " + name));
    QVERIFY2(file.ok(), qPrintable(file.errorString));
    QCOMPARE(file.stdOut, text);
    QVERIFY(!QFile::exists(QStringLiteral("/tmp/pwned")));
}

void tst_SshCommands::sudo_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<SshSession::Error>("error");
    QTest::addColumn<QByteArray>("out");
    const auto noError = SshSession::Error::NoError;
    QTest::newRow("right password: runs as root")
            << QStringLiteral("pi") << sudoPassword << QByteArray() << noError << QByteArray("0\n");
    QTest::newRow("right password: stdin after the password line reaches the command")
            << QStringLiteral("pi") << sudoPassword << QByteArray("line 1\nline 2\n") << noError
            << QByteArray("line 1\nline 2\n");
    QTest::newRow("wrong password: Sorry, try again")
            << QStringLiteral("pi") << QStringLiteral("wrong") << QByteArray()
            << SshSession::Error::SudoPasswordWrong << QByteArray();
    QTest::newRow("wrong password with input: the input is never tried as a password")
            << QStringLiteral("pi") << QStringLiteral("wrong") << QByteArray("pi-sudo-Secret1\n")
            << SshSession::Error::SudoPasswordWrong << QByteArray();
    QTest::newRow("password required, none given")
            << QStringLiteral("pi") << QString() << QByteArray()
            << SshSession::Error::SudoPasswordRequired << QByteArray();
    QTest::newRow("NOPASSWD: runs without a password")
            << QStringLiteral("nopw") << QString() << QByteArray() << noError << QByteArray("0\n");
    QTest::newRow("NOPASSWD: a given password does not leak into the command's input")
            << QStringLiteral("nopw") << sudoPassword << QByteArray("data\n") << noError
            << QByteArray("data\n");
    QTest::newRow("user without sudo rights")
            << QStringLiteral("plain") << sudoPassword << QByteArray()
            << SshSession::Error::SudoNotAllowed << QByteArray();
    QTest::newRow("right password: input without a final newline arrives byte for byte")
            << QStringLiteral("pi") << sudoPassword << QByteArray("no newline\n\nat the end")
            << noError << QByteArray("no newline\n\nat the end");
    QTest::newRow("right password: input of 200 KiB arrives whole")
            << QStringLiteral("pi") << sudoPassword << QByteArray(200 * 1024, 'x') << noError
            << QByteArray(200 * 1024, 'x');
}

void tst_SshCommands::sudoCommandFails()
{
    // The command's own exit status and stderr come back as they are: not a sudo error, and
    // nothing of the password handling in them.
    SshSession *s = session(QStringLiteral("pi"));
    QCOMPARE(s->state(), SshSession::State::Connected);
    RunOptions options;
    options.stdinData = "input\n";
    const SshResult result = wait(s->runSudo(
            "cat >/dev/null; echo out; echo 'no such file' >&2; exit 3", sudoPassword, options));
    QVERIFY2(result.ok(), qPrintable(result.errorString));
    QCOMPARE(result.exitStatus, 3);
    QCOMPARE(result.stdOut, QByteArray("out\n"));
    QCOMPARE(result.stdErr, QByteArray("no such file\n"));
    // A wrong password on the same connection after a right one is still caught.
    const SshResult wrong = wait(s->runSudo("cat", QStringLiteral("wrong"), options));
    QCOMPARE(wrong.error, SshSession::Error::SudoPasswordWrong);
    QVERIFY(wrong.stdOut.isEmpty());
}

void tst_SshCommands::sudo()
{
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QByteArray, input);
    QFETCH(SshSession::Error, error);
    QFETCH(QByteArray, out);
    SshSession *s = session(user);
    QCOMPARE(s->state(), SshSession::State::Connected);
    RunOptions options;
    options.stdinData = input;
    const SshResult result = wait(s->runSudo(
            input.isEmpty() ? QByteArray("id -u") : QByteArray("cat"), password, options));
    QVERIFY2(result.error == error, qPrintable(result.errorString));
    if (error == SshSession::Error::NoError) {
        QCOMPARE(result.exitStatus, 0);
        QCOMPARE(result.stdOut, out);
    } else {
        QVERIFY2(result.errorString.contains(user) || error == SshSession::Error::SudoNotAllowed,
                 qPrintable(result.errorString));
        QVERIFY(!result.stdOut.contains("Secret"));
    }
}

QTEST_GUILESS_MAIN(tst_SshCommands)
#include "tst_sshcommands.moc"
