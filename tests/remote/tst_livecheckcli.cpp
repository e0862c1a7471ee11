// SPDX-License-Identifier: GPL-3.0-or-later
// `weewx-mqtt-wizard live-check` as a user or a script runs it: exit codes, --json lines,
// the password from standard input, against a real mosquitto.
#include "support/mosquittobroker.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPasswordDigestor>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

using wmw::test::MosquittoBroker;

namespace {

const QString Topic = QStringLiteral("weather/loop");
const QByteArray LoopJson = R"({"dateTime": "1795621431.0", "outTemp_F": "32.67"})";

QByteArray passwordLine(const QString &user, const QString &password)
{
    QByteArray salt(12, '\0');
    for (char &byte : salt)
        byte = char(QRandomGenerator::global()->bounded(256));
    const QByteArray hash = QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha512,
                                                               password.toUtf8(), salt, 101, 64);
    return user.toUtf8() + ":$7$101$" + salt.toBase64() + '$' + hash.toBase64() + '\n';
}

enum class Target { WebSocketPort, MqttPort, FreePort };

struct Run
{
    int exitCode = -1;
    QList<QJsonObject> lines; ///< with --json
    QByteArray out;
    QByteArray err;
};

} // namespace

Q_DECLARE_METATYPE(Target)

class tst_LiveCheckCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void exitCodes_data();
    void exitCodes();
    void humanOutputNamesLayerAndFix();
    void usageErrors_data();
    void usageErrors();

private:
    Run run(const QStringList &arguments, const QByteArray &stdinBytes, bool publishWhenWaiting);
    MosquittoBroker m_broker;
};

void tst_LiveCheckCli::initTestCase()
{
    if (const QString why = MosquittoBroker::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    const QByteArray config = MosquittoBroker::standardConfig().replace("allow_anonymous true",
                                                                        "allow_anonymous false")
                              + "password_file ${DIR}/pwfile\nacl_file ${DIR}/aclfile\n";
    QString error;
    QVERIFY2(m_broker.start(
                     config,
                     {{QStringLiteral("pwfile"),
                       passwordLine(QStringLiteral("weewx"), QStringLiteral("pub-secret"))
                               + passwordLine(QStringLiteral("web"), QStringLiteral("web-secret"))},
                      {QStringLiteral("aclfile"),
                       "user weewx\ntopic readwrite weather/#\nuser web\ntopic read "
                       "weather/loop\n"}},
                     &error),
             qPrintable(error));
}

Run tst_LiveCheckCli::run(const QStringList &arguments, const QByteArray &stdinBytes,
                          bool publishWhenWaiting)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    env.remove(QStringLiteral("LANGUAGE"));
    process.setProcessEnvironment(env);
    Run result;
    bool published = false;
    connect(&process, &QProcess::readyReadStandardOutput, this, [&]() {
        while (process.canReadLine()) {
            const QByteArray line = process.readLine();
            result.out += line;
            const QJsonObject json = QJsonDocument::fromJson(line).object();
            result.lines.append(json);
            if (publishWhenWaiting && !published
                && json.value(QStringLiteral("state")) == QStringLiteral("waiting")) {
                published = true;
                m_broker.publish(Topic, LoopJson, QStringLiteral("weewx"),
                                 QStringLiteral("pub-secret"));
            }
        }
    });
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(QStringLiteral(WMW_BINARY), arguments);
    if (!process.waitForStarted())
        return result;
    process.write(stdinBytes);
    process.closeWriteChannel();
    if (!finished.wait(60000)) {
        process.kill();
        return result;
    }
    result.out += process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    return result;
}

void tst_LiveCheckCli::exitCodes_data()
{
    QTest::addColumn<Target>("target");
    QTest::addColumn<QByteArray>("password");
    QTest::addColumn<bool>("publish");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("failure");

    QTest::newRow("receiving: 0, password from stdin with a pasted CR LF")
            << Target::WebSocketPort << QByteArray("web-secret\r\n") << true << 0
            << QStringLiteral("none");
    QTest::newRow("bad password: 25 (CONNACK 5)")
            << Target::WebSocketPort << QByteArray("wrong\n") << false << 25
            << QStringLiteral("connack-5-not-authorised");
    QTest::newRow("nothing published: 31") << Target::WebSocketPort << QByteArray("web-secret")
                                           << false << 31 << QStringLiteral("no-message");
    QTest::newRow("the plain MQTT port: 16") << Target::MqttPort << QByteArray("web-secret")
                                             << false << 16 << QStringLiteral("not-websocket");
    QTest::newRow("nothing listens: 11") << Target::FreePort << QByteArray("web-secret") << false
                                         << 11 << QStringLiteral("tcp-refused");
}

void tst_LiveCheckCli::exitCodes()
{
    QFETCH(Target, target);
    QFETCH(QByteArray, password);
    QFETCH(bool, publish);
    QFETCH(int, exitCode);
    QFETCH(QString, failure);
    const quint16 port = target == Target::WebSocketPort ? m_broker.websocketPort()
                         : target == Target::MqttPort    ? m_broker.mqttPort()
                                                         : MosquittoBroker::freePort();
    const Run result = run(
            {QStringLiteral("live-check"), QStringLiteral("127.0.0.1:%1").arg(port),
             QStringLiteral("--user"), QStringLiteral("web"), QStringLiteral("--topic"), Topic,
             QStringLiteral("--password-stdin"), QStringLiteral("--timeout"), QStringLiteral("1.5"),
             QStringLiteral("--connect-timeout"), QStringLiteral("3"), QStringLiteral("--json")},
            password, publish);
    QVERIFY2(result.exitCode == exitCode, QByteArray(result.out + result.err).constData());
    QVERIFY(result.lines.size() >= 2);
    // Every line is JSON; the first is "connecting", the last the verdict.
    for (const QJsonObject &line : result.lines)
        QVERIFY2(!line.isEmpty(), result.out.constData());
    QCOMPARE(result.lines.first().value(QStringLiteral("state")).toString(),
             QStringLiteral("connecting"));
    const QJsonObject verdict = result.lines.last();
    QCOMPARE(verdict.value(QStringLiteral("event")).toString(), QStringLiteral("verdict"));
    QCOMPARE(verdict.value(QStringLiteral("failure")).toString(), failure);
    QCOMPARE(verdict.value(QStringLiteral("exit_code")).toInt(), exitCode);
    if (exitCode == 0) {
        QCOMPARE(verdict.value(QStringLiteral("state")).toString(), QStringLiteral("receiving"));
        QCOMPARE(verdict.value(QStringLiteral("readings"))
                         .toObject()
                         .value(QStringLiteral("outTemp_F"))
                         .toString(),
                 QStringLiteral("32.67"));
        QCOMPARE(verdict.value(QStringLiteral("data_time")).toString(),
                 QStringLiteral("2026-11-25T15:43:51Z"));
    } else {
        QVERIFY(!verdict.value(QStringLiteral("fix")).toString().isEmpty());
    }
    QVERIFY(!result.out.contains("secret") && !result.err.contains("secret"));
}

void tst_LiveCheckCli::humanOutputNamesLayerAndFix()
{
    const Run result = run({QStringLiteral("live-check"),
                            QStringLiteral("ws://127.0.0.1:%1/mqtt").arg(m_broker.mqttPort()),
                            QStringLiteral("--topic"), Topic},
                           {}, false);
    QCOMPARE(result.exitCode, 16);
    QVERIFY2(result.out.contains("connecting: Connecting to weather station real time data."),
             result.out);
    QVERIFY2(result.out.contains("websocket failure: Port"), result.out.constData());
    QVERIFY2(result.out.contains("Fix: This is often the plain MQTT port"), result.out.constData());
}

void tst_LiveCheckCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("stdinBytes");
    QTest::addColumn<QString>("message");
    QTest::newRow("--password as an argument is refused")
            << QStringList{QStringLiteral("ws://127.0.0.1:1"),
                           QStringLiteral("--topic"),
                           Topic,
                           QStringLiteral("--user"),
                           QStringLiteral("web"),
                           QStringLiteral("--password=web-secret")}
            << QByteArray() << QStringLiteral("--password-stdin");
    QTest::newRow("a password inside the URL is refused")
            << QStringList{QStringLiteral("ws://web:web-secret@127.0.0.1:1"),
                           QStringLiteral("--topic"), Topic}
            << QByteArray() << QStringLiteral("standard input");
    QTest::newRow("--topic missing") << QStringList{QStringLiteral("ws://127.0.0.1:1")}
                                     << QByteArray() << QStringLiteral("--topic is missing");
    QTest::newRow("--password-stdin without --user")
            << QStringList{QStringLiteral("ws://127.0.0.1:1"), QStringLiteral("--topic"), Topic,
                           QStringLiteral("--password-stdin")}
            << QByteArray("x\n") << QStringLiteral("needs --user");
    QTest::newRow("--password-stdin with empty stdin")
            << QStringList{QStringLiteral("ws://127.0.0.1:1"),
                           QStringLiteral("--topic"),
                           Topic,
                           QStringLiteral("--user"),
                           QStringLiteral("web"),
                           QStringLiteral("--password-stdin")}
            << QByteArray() << QStringLiteral("holds no password");
    QTest::newRow("http:// is not a websocket address")
            << QStringList{QStringLiteral("http://127.0.0.1:1"), QStringLiteral("--topic"), Topic}
            << QByteArray() << QStringLiteral("ws://");
    QTest::newRow("--timeout not a number")
            << QStringList{QStringLiteral("ws://127.0.0.1:1"), QStringLiteral("--topic"), Topic,
                           QStringLiteral("--timeout"), QStringLiteral("soon")}
            << QByteArray() << QStringLiteral("--timeout");
    QTest::newRow("bad topic filter")
            << QStringList{QStringLiteral("ws://127.0.0.1:1"), QStringLiteral("--topic"),
                           QStringLiteral("weather/#/loop")}
            << QByteArray() << QStringLiteral("'#'");
}

void tst_LiveCheckCli::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, stdinBytes);
    QFETCH(QString, message);
    const Run result =
            run(QStringList{QStringLiteral("live-check")} + arguments, stdinBytes, false);
    QCOMPARE(result.exitCode, 2);
    const QString all = QString::fromUtf8(result.out + result.err);
    QVERIFY2(all.contains(message), qPrintable(all));
    QVERIFY2(!all.contains(QStringLiteral("web-secret")), qPrintable(all));
}

QTEST_GUILESS_MAIN(tst_LiveCheckCli)
#include "tst_livecheckcli.moc"
