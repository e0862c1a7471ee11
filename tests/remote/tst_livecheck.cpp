// SPDX-License-Identifier: GPL-3.0-or-later
// The live check against a real mosquitto (password file, ACL, websockets listener) and a few
// real misbehaving peers on loopback: each failure class is reproduced, not simulated.
#include "remote/mqtt/livecheck.h"
#include "support/mosquittobroker.h"

#include <QPasswordDigestor>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

#include <QPointer>
#include <QProcess>
#include <QTemporaryDir>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>

using wmw::mqtt::LiveCheck;
using wmw::test::MosquittoBroker;

namespace {

const QString Publisher = QStringLiteral("weewx");
const QString PublisherPassword = QStringLiteral("pub-secret");
const QString WebUser = QStringLiteral("web");
const QString WebPassword = QStringLiteral("web-secret");
const QString BlindUser = QStringLiteral("blind"); // may read other/# only
const QString Topic = QStringLiteral("weather/loop");

const QByteArray LoopJson = R"({"dateTime": "1795621431.0", "usUnits": "1.0", "outTemp_F": "32.67",
 "barometer_inHg": "31.09", "windSpeed_mph": "3.3e-09", "windDir": "359.99", "outHumidity": "79.99",
 "rainRate_inch_per_hour": "0.0"})";
const QByteArray ArchiveJson =
        R"({"dateTime": "1795621500.0", "interval_minute": "5.0", "outTemp_F": "32.1"})";

// A mosquitto_passwd-compatible $7$ line: PBKDF2-HMAC-SHA512, 101 rounds, 12-byte salt.
QByteArray passwordLine(const QString &user, const QString &password)
{
    QByteArray salt(12, '\0');
    for (char &byte : salt)
        byte = char(QRandomGenerator::global()->bounded(256));
    const QByteArray hash = QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha512,
                                                               password.toUtf8(), salt, 101, 64);
    return user.toUtf8() + ":$7$101$" + salt.toBase64() + '$' + hash.toBase64() + '\n';
}

enum class Peer {
    Broker, ///< the websockets listener of the broker
    MqttPort, ///< the broker's plain MQTT listener
    FreePort, ///< nothing listens
    InvalidName, ///< a name under the reserved .invalid TLD
    SilentTcp, ///< accepts TCP, never says a word
    HttpServer, ///< answers HTTP 200, no upgrade
    WebSocketWithoutMqtt, ///< a websocket server that never speaks MQTT
    FullBacklog, ///< a listener whose accept queue is full: SYNs are dropped, as by a firewall
    TlsUntrusted, ///< wss:// with a self-signed certificate nobody vouched for
    TlsWithCa, ///< the same, with that certificate given as the CA
    TlsPinned, ///< the same, with its fingerprint accepted by the user
};

enum class Action { None, PublishLoop, PublishArchive, PublishGarbage, StopBroker };

// The page's user and topic on a websocket address.
LiveCheck::Options webUserOptions(const QString &url, quint16 port)
{
    LiveCheck::Options options;
    options.url = QUrl(url.arg(port));
    options.userName = WebUser;
    options.password = WebPassword.toUtf8();
    options.topic = Topic;
    return options;
}

} // namespace

Q_DECLARE_METATYPE(Peer)
Q_DECLARE_METATYPE(Action)

class tst_LiveCheck : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void verdicts_data();
    void verdicts();
    void subscribeGoesWithTheConnect_data();
    void subscribeGoesWithTheConnect();
    void readingsOfTheLoopMessage();
    void invalidTopicIsReportedQueued();
    void onlyMessagesAfterArmCount_data();
    void onlyMessagesAfterArmCount();
    void urlFromUserInput_data();
    void urlFromUserInput();

private:
    bool startBroker(MosquittoBroker &broker, bool tls = false);

    QTemporaryDir m_tlsDir;
    QByteArray m_cert;
    QByteArray m_key;
};

void tst_LiveCheck::initTestCase()
{
    if (const QString why = MosquittoBroker::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    // A self-signed certificate for 127.0.0.1, as a station owner would make for wss://.
    QVERIFY(m_tlsDir.isValid());
    QProcess openssl;
    openssl.setWorkingDirectory(m_tlsDir.path());
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                   QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                   QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                   QStringLiteral("-keyout"), QStringLiteral("key.pem"), QStringLiteral("-out"),
                   QStringLiteral("cert.pem"), QStringLiteral("-days"), QStringLiteral("2"),
                   QStringLiteral("-subj"), QStringLiteral("/CN=localhost"),
                   QStringLiteral("-addext"),
                   QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost")});
    QVERIFY(openssl.waitForFinished(30000));
    QCOMPARE(openssl.exitCode(), 0);
    QFile cert(m_tlsDir.filePath(QStringLiteral("cert.pem")));
    QFile key(m_tlsDir.filePath(QStringLiteral("key.pem")));
    QVERIFY(cert.open(QIODevice::ReadOnly) && key.open(QIODevice::ReadOnly));
    m_cert = cert.readAll();
    m_key = key.readAll();
}

bool tst_LiveCheck::startBroker(MosquittoBroker &broker, bool tls)
{
    QByteArray listeners = MosquittoBroker::standardConfig().replace("allow_anonymous true",
                                                                     "allow_anonymous false");
    if (tls) // certfile and keyfile belong to the listener above them: the websockets one
        listeners.replace("protocol websockets\n", "protocol websockets\ncertfile ${DIR}/cert.pem\n"
                                                   "keyfile ${DIR}/key.pem\n");
    const QByteArray config = listeners + "password_file ${DIR}/pwfile\nacl_file ${DIR}/aclfile\n";
    const QByteArray acl = "user " + Publisher.toUtf8() + "\ntopic readwrite weather/#\n" + "user "
                           + WebUser.toUtf8() + "\ntopic read weather/loop\n" + "user "
                           + BlindUser.toUtf8() + "\ntopic read other/#\n";
    const QByteArray pw = passwordLine(Publisher, PublisherPassword)
                          + passwordLine(WebUser, WebPassword)
                          + passwordLine(BlindUser, WebPassword);
    QString error;
    QMap<QString, QByteArray> files{{QStringLiteral("pwfile"), pw},
                                    {QStringLiteral("aclfile"), acl}};
    if (tls) {
        files.insert(QStringLiteral("cert.pem"), m_cert);
        files.insert(QStringLiteral("key.pem"), m_key);
    }
    const bool ok = broker.start(config, files, &error);
    if (!ok)
        qWarning().noquote() << error;
    return ok;
}

void tst_LiveCheck::verdicts_data()
{
    QTest::addColumn<Peer>("peer");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<Action>("action");
    QTest::addColumn<LiveCheck::State>("state");
    QTest::addColumn<LiveCheck::Failure>("failure");
    QTest::addColumn<LiveCheck::Layer>("layer");

    using S = LiveCheck::State;
    using F = LiveCheck::Failure;
    using L = LiveCheck::Layer;
    QTest::newRow("success: mosquitto_pub publishes a loop record, the page user receives it")
            << Peer::Broker << WebUser << WebPassword << Action::PublishLoop << S::Receiving
            << F::None << L::None;
    QTest::newRow("wrong port: nothing listens, TCP refused")
            << Peer::FreePort << WebUser << WebPassword << Action::None << S::Failed
            << F::TcpRefused << L::Tcp;
    QTest::newRow("the plain MQTT port: answers TCP, not a websocket listener")
            << Peer::MqttPort << WebUser << WebPassword << Action::None << S::Failed
            << F::NotWebSocket << L::WebSocket;
    QTest::newRow("name under .invalid does not resolve")
            << Peer::InvalidName << WebUser << WebPassword << Action::None << S::Failed
            << F::NameNotResolved << L::Dns;
    QTest::newRow("a peer that accepts TCP and never answers the handshake")
            << Peer::SilentTcp << WebUser << WebPassword << Action::None << S::Failed
            << F::NotWebSocket << L::WebSocket;
    QTest::newRow("a web server without websocket upgrade")
            << Peer::HttpServer << WebUser << WebPassword << Action::None << S::Failed
            << F::NotWebSocket << L::WebSocket;
    QTest::newRow("a websocket server that never answers CONNECT: no CONNACK")
            << Peer::WebSocketWithoutMqtt << WebUser << WebPassword << Action::None << S::Failed
            << F::NoConnack << L::Mqtt;
    QTest::newRow("bad password: mosquitto answers CONNACK 5")
            << Peer::Broker << WebUser << QStringLiteral("wrong") << Action::None << S::Failed
            << F::ConnackNotAuthorised << L::Authentication;
    QTest::newRow("not authorised: anonymous while allow_anonymous is false")
            << Peer::Broker << QString() << QString() << Action::None << S::Failed
            << F::ConnackNotAuthorised << L::Authentication;
    QTest::newRow("ACL-denied read: SUBACK granted, the published record never arrives")
            << Peer::Broker << BlindUser << WebPassword << Action::PublishLoop << S::Failed
            << F::NoMessage << L::Publishing;
    QTest::newRow("nothing published: subscribed, then silence")
            << Peer::Broker << WebUser << WebPassword << Action::None << S::Failed << F::NoMessage
            << L::Publishing;
    QTest::newRow("only archive records (binding lacks loop)")
            << Peer::Broker << WebUser << WebPassword << Action::PublishArchive << S::Failed
            << F::ArchiveOnly << L::Publishing;
    QTest::newRow("messages that are not loop JSON")
            << Peer::Broker << WebUser << WebPassword << Action::PublishGarbage << S::Failed
            << F::NotLoopData << L::Publishing;
    QTest::newRow("TCP timeout: SYNs dropped as by a firewall or a wrong address")
            << Peer::FullBacklog << WebUser << WebPassword << Action::None << S::Failed
            << F::TcpTimeout << L::Tcp;
    QTest::newRow("wss: a self-signed certificate is not trusted, with its fingerprint shown")
            << Peer::TlsUntrusted << WebUser << WebPassword << Action::PublishLoop << S::Failed
            << F::CertificateUntrusted << L::Tls;
    QTest::newRow("wss: the certificate given as CA, the page user receives")
            << Peer::TlsWithCa << WebUser << WebPassword << Action::PublishLoop << S::Receiving
            << F::None << L::None;
    QTest::newRow("wss: the certificate's fingerprint accepted, the page user receives")
            << Peer::TlsPinned << WebUser << WebPassword << Action::PublishLoop << S::Receiving
            << F::None << L::None;
    QTest::newRow("lost: the broker stops while the page waits")
            << Peer::Broker << WebUser << WebPassword << Action::StopBroker << S::Lost
            << F::ConnectionLost << L::WebSocket;
}

void tst_LiveCheck::verdicts()
{
    QFETCH(Peer, peer);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(Action, action);
    QFETCH(LiveCheck::State, state);
    QFETCH(LiveCheck::Failure, failure);
    QFETCH(LiveCheck::Layer, layer);

    MosquittoBroker broker;
    QTcpServer tcpServer;
    QWebSocketServer wsServer(QStringLiteral("silent"), QWebSocketServer::NonSecureMode);
    std::vector<std::unique_ptr<QObject>> keep;
    quint16 port = 0;
    QString host = QStringLiteral("127.0.0.1");
    QString scheme = QStringLiteral("ws");
    int backlogFd = -1;
    auto closeBacklog = qScopeGuard([&backlogFd] {
        if (backlogFd >= 0)
            ::close(backlogFd);
    });
    QTcpSocket queued; // fills the accept queue of FullBacklog
    switch (peer) {
    case Peer::TlsUntrusted:
    case Peer::TlsWithCa:
    case Peer::TlsPinned:
        QVERIFY(startBroker(broker, true));
        port = broker.websocketPort();
        scheme = QStringLiteral("wss");
        break;
    case Peer::FullBacklog: {
        // listen(fd, 0) queues one connection; Linux drops the SYNs of any further one while
        // nobody accepts, so the client sees what a firewall that drops packets shows.
        backlogFd = ::socket(AF_INET, SOCK_STREAM, 0);
        QVERIFY(backlogFd >= 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        QVERIFY(::bind(backlogFd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0);
        QVERIFY(::listen(backlogFd, 0) == 0);
        socklen_t length = sizeof address;
        QVERIFY(::getsockname(backlogFd, reinterpret_cast<sockaddr *>(&address), &length) == 0);
        port = ntohs(address.sin_port);
        queued.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(queued.waitForConnected(5000));
        break;
    }
    case Peer::Broker:
    case Peer::MqttPort:
        QVERIFY(startBroker(broker));
        port = peer == Peer::Broker ? broker.websocketPort() : broker.mqttPort();
        break;
    case Peer::FreePort:
        port = MosquittoBroker::freePort();
        break;
    case Peer::InvalidName:
        host = QStringLiteral("weather-station.invalid");
        port = 9001;
        break;
    case Peer::SilentTcp:
    case Peer::HttpServer:
        QVERIFY(tcpServer.listen(QHostAddress::LocalHost));
        port = tcpServer.serverPort();
        connect(&tcpServer, &QTcpServer::newConnection, this, [&]() {
            while (QTcpSocket *socket = tcpServer.nextPendingConnection()) {
                if (peer == Peer::HttpServer) {
                    connect(socket, &QTcpSocket::readyRead, socket, [socket]() {
                        socket->readAll();
                        socket->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                    });
                }
            }
        });
        break;
    case Peer::WebSocketWithoutMqtt:
        wsServer.setSupportedSubprotocols({QStringLiteral("mqtt")});
        QVERIFY(wsServer.listen(QHostAddress::LocalHost));
        port = wsServer.serverPort();
        break;
    }

    LiveCheck check;
    QSignalSpy finished(&check, &LiveCheck::finished);
    QList<LiveCheck::State> states;
    connect(&check, &LiveCheck::stateChanged, this, [&](LiveCheck::State s) { states.append(s); });
    // Act as the publisher once the page would show "Waiting for data".
    connect(&check, &LiveCheck::stateChanged, this, [&](LiveCheck::State s) {
        if (s != LiveCheck::State::Waiting)
            return;
        if (action == Action::StopBroker) {
            broker.stop();
            return;
        }
        const QByteArray payload = action == Action::PublishLoop      ? LoopJson
                                   : action == Action::PublishArchive ? ArchiveJson
                                   : action == Action::PublishGarbage ? QByteArray("not json {")
                                                                      : QByteArray();
        if (!payload.isEmpty()) {
            const auto result = broker.publish(Topic, payload, Publisher, PublisherPassword);
            QCOMPARE(result.exitCode, 0);
        }
    });

    LiveCheck::Options options;
    options.url = QUrl(QStringLiteral("%1://%2:%3/mqtt").arg(scheme, host).arg(port));
    if (peer == Peer::TlsWithCa)
        options.caCertificates = QSslCertificate::fromData(m_cert);
    if (peer == Peer::TlsPinned)
        options.acceptedCertificateSha256 =
                QSslCertificate(m_cert).digest(QCryptographicHash::Sha256);
    if (!user.isEmpty())
        options.userName = user;
    if (!password.isEmpty())
        options.password = password.toUtf8();
    options.topic = Topic;
    options.stepTimeoutMs = 1500;
    options.messageTimeoutMs = 1500;
    check.start(options);

    QVERIFY2(finished.wait(20000), "no verdict");
    QCOMPARE(finished.size(), 1);
    QVERIFY2(check.failure() == failure, qPrintable(check.message()));
    QCOMPARE(check.state(), state);
    QCOMPARE(check.layer(), layer);
    QCOMPARE(states.first(), LiveCheck::State::Connecting);
    QCOMPARE(states.last(), state);
    if (failure != LiveCheck::Failure::None) {
        QVERIFY(!check.message().isEmpty());
        QVERIFY(!check.fix().isEmpty());
    }
    if (state == LiveCheck::State::Receiving || failure == LiveCheck::Failure::NoMessage)
        QVERIFY(states.contains(LiveCheck::State::Waiting));
    if (failure == LiveCheck::Failure::CertificateUntrusted) {
        // The user can only accept what is shown: the SHA-256 fingerprint, in hex.
        const QByteArray digest = QSslCertificate(m_cert).digest(QCryptographicHash::Sha256);
        const QString message = check.message() + check.fix();
        QVERIFY2(message.contains(QString::fromLatin1(digest.toHex(':')), Qt::CaseInsensitive)
                         || message.contains(QString::fromLatin1(digest.toHex()),
                                             Qt::CaseInsensitive),
                 qPrintable(message));
    }
    // No password anywhere in what the user or a log sees.
    QVERIFY(!check.message().contains(WebPassword));
    QVERIFY(!check.fix().contains(WebPassword));
}

void tst_LiveCheck::subscribeGoesWithTheConnect_data()
{
    QTest::addColumn<QByteArray>("connack");
    QTest::addColumn<LiveCheck::State>("state");
    QTest::addColumn<LiveCheck::Failure>("failure");

    // SUBACK for packet id 1, QoS 0 granted.
    const QByteArray suback = QByteArray::fromHex("9003000100");
    QTest::newRow("CONNACK 0, then SUBACK: waiting for data")
            << QByteArray::fromHex("20020000") + suback << LiveCheck::State::Waiting
            << LiveCheck::Failure::None;
    QTest::newRow("CONNACK 5: refused, whatever was sent after the CONNECT")
            << QByteArray::fromHex("20020005") << LiveCheck::State::Failed
            << LiveCheck::Failure::ConnackNotAuthorised;
    QTest::newRow("CONNACK 0, no SUBACK: the SUBACK wait starts at the CONNACK")
            << QByteArray::fromHex("20020000") << LiveCheck::State::Failed
            << LiveCheck::Failure::ProtocolError;
}

// MQTT 3.1.1 section 3.1.4 lets a client send further packets right after CONNECT: the check
// does not wait a round trip for CONNACK before it subscribes. A websocket peer that answers
// nothing at first shows what arrives before any CONNACK; what it answers then decides.
void tst_LiveCheck::subscribeGoesWithTheConnect()
{
    QFETCH(QByteArray, connack);
    QFETCH(LiveCheck::State, state);
    QFETCH(LiveCheck::Failure, failure);

    QWebSocketServer server(QStringLiteral("peer"), QWebSocketServer::NonSecureMode);
    server.setSupportedSubprotocols({QStringLiteral("mqtt")});
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QList<QByteArray> received;
    QPointer<QWebSocket> peer;
    connect(&server, &QWebSocketServer::newConnection, this, [&] {
        peer = server.nextPendingConnection();
        connect(peer, &QWebSocket::binaryMessageReceived, this,
                [&](const QByteArray &message) { received.append(message); });
    });

    LiveCheck check;
    QSignalSpy finished(&check, &LiveCheck::finished);
    LiveCheck::Options options =
            webUserOptions(QStringLiteral("ws://127.0.0.1:%1/mqtt"), server.serverPort());
    options.stepTimeoutMs = 1500;
    options.messageTimeoutMs = 1500;
    options.stopAtFirstLoop = true;
    check.start(options);

    QTRY_COMPARE_WITH_TIMEOUT(received.size(), 2, 5000);
    QCOMPARE(quint8(received.at(0).at(0)), quint8(0x10)); // CONNECT
    QCOMPARE(quint8(received.at(1).at(0)), quint8(0x82)); // SUBSCRIBE, packet id 1
    QVERIFY(received.at(1).contains(Topic.toUtf8()));
    QCOMPARE(check.state(), LiveCheck::State::Connecting); // no CONNACK yet: no verdict
    QVERIFY(finished.isEmpty());

    QVERIFY(peer);
    peer->sendBinaryMessage(connack);
    if (state == LiveCheck::State::Waiting) {
        QTRY_COMPARE_WITH_TIMEOUT(check.state(), state, 5000);
        check.stop();
        return;
    }
    QVERIFY2(finished.wait(10000), "no verdict");
    QCOMPARE(check.state(), state);
    QVERIFY2(check.failure() == failure, qPrintable(check.message()));
}

void tst_LiveCheck::readingsOfTheLoopMessage()
{
    MosquittoBroker broker;
    QVERIFY(startBroker(broker));
    LiveCheck check;
    QSignalSpy finished(&check, &LiveCheck::finished);
    connect(&check, &LiveCheck::stateChanged, this, [&](LiveCheck::State s) {
        if (s == LiveCheck::State::Waiting) {
            broker.publish(Topic, ArchiveJson, Publisher, PublisherPassword);
            broker.publish(Topic, LoopJson, Publisher, PublisherPassword);
        }
    });
    LiveCheck::Options options =
            webUserOptions(QStringLiteral("ws://127.0.0.1:%1"), broker.websocketPort());
    check.start(options);
    QVERIFY(finished.wait(20000));
    QCOMPARE(check.state(), LiveCheck::State::Receiving);
    QCOMPARE(check.url().path(), QStringLiteral("/mqtt"));
    QCOMPARE(check.archiveCount(), 1); // told apart by interval_minute, not shown as data
    QCOMPARE(check.loopCount(), 1);
    const auto &latest = check.latest();
    QCOMPARE(latest.dateTime().toSecsSinceEpoch(), 1795621431);
    const auto outTemp = latest.reading(QStringLiteral("outTemp"));
    QVERIFY(outTemp);
    QCOMPARE(outTemp->unit, QStringLiteral("F"));
    QCOMPARE(outTemp->text, QStringLiteral("32.67"));
    QCOMPARE(*outTemp->value, 32.67);
    QCOMPARE(latest.reading(QStringLiteral("rainRate"))->unit, QStringLiteral("inch_per_hour"));
    QCOMPARE(latest.reading(QStringLiteral("windDir"))->unit, QString());
    QVERIFY(broker.log().contains("u'web'"));
}

void tst_LiveCheck::onlyMessagesAfterArmCount_data()
{
    QTest::addColumn<LiveCheck::Arm>("arm");
    QTest::addColumn<bool>("archiveBeforeArm"); // an archive record after the early loop record
    QTest::addColumn<bool>("publishAfterArm");
    QTest::addColumn<LiveCheck::State>("verdict");
    QTest::addColumn<qint64>("counted"); // the dateTime of the record that counted; 0: none
    QTest::newRow("a message before arm() is not counted, the next one is")
            << LiveCheck::Arm::FromNow << false << true << LiveCheck::State::Receiving
            << qint64(1795621431);
    QTest::newRow("a message before arm() only: no message")
            << LiveCheck::Arm::FromNow << false << false << LiveCheck::State::Failed << qint64(0);
    QTest::newRow("armed counting the latest: the message before it counts at once")
            << LiveCheck::Arm::CountLatest << false << false << LiveCheck::State::Receiving
            << qint64(1795621000);
    QTest::newRow("counting the latest: the last loop record, not the archive record after it")
            << LiveCheck::Arm::CountLatest << true << false << LiveCheck::State::Receiving
            << qint64(1795621000);
}

void tst_LiveCheck::onlyMessagesAfterArmCount()
{
    QFETCH(LiveCheck::Arm, arm);
    QFETCH(bool, archiveBeforeArm);
    QFETCH(bool, publishAfterArm);
    QFETCH(LiveCheck::State, verdict);
    QFETCH(qint64, counted);
    MosquittoBroker broker;
    QVERIFY(startBroker(broker));
    LiveCheck check;
    QSignalSpy finished(&check, &LiveCheck::finished);
    QSignalSpy progress(&check, &LiveCheck::progress);
    LiveCheck::Options options =
            webUserOptions(QStringLiteral("ws://127.0.0.1:%1"), broker.websocketPort());
    options.messageTimeoutMs = 1500;
    options.armed = false;
    check.start(options);
    QTRY_COMPARE_WITH_TIMEOUT(check.state(), LiveCheck::State::Waiting, 20000);
    QVERIFY(!check.isArmed());
    // The old publisher's last record arrives before arm(): seen, not counted.
    const QByteArray early = QByteArray(LoopJson).replace("1795621431", "1795621000");
    QCOMPARE(broker.publish(Topic, early, Publisher, PublisherPassword).exitCode, 0);
    QTRY_VERIFY_WITH_TIMEOUT(
            progress.size() > 0
                    && progress.last().first().toString().contains(QStringLiteral("not counted")),
            20000);
    if (archiveBeforeArm) {
        const qsizetype seen = progress.size();
        QCOMPARE(broker.publish(Topic, ArchiveJson, Publisher, PublisherPassword).exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(progress.size() > seen, 20000);
    }
    QCOMPARE(check.state(), LiveCheck::State::Waiting);
    QCOMPARE(check.loopCount(), 0);
    check.arm(arm);
    QVERIFY(check.isArmed());
    if (publishAfterArm)
        QCOMPARE(broker.publish(Topic, LoopJson, Publisher, PublisherPassword).exitCode, 0);
    QVERIFY(finished.size() == 1 || finished.wait(20000));
    QCOMPARE(check.state(), verdict);
    if (counted != 0) {
        QCOMPARE(check.loopCount(), 1);
        QCOMPARE(check.latest().dateTime().toSecsSinceEpoch(), counted);
    } else {
        QCOMPARE(check.failure(), LiveCheck::Failure::NoMessage);
    }
}

void tst_LiveCheck::invalidTopicIsReportedQueued()
{
    LiveCheck check;
    LiveCheck::Options options;
    options.url = QUrl(QStringLiteral("ws://127.0.0.1:1/mqtt"));
    options.topic = QStringLiteral("a/#/b");
    check.start(options);
    // Nothing synchronous: a caller connecting after start() still hears the verdict.
    QSignalSpy finished(&check, &LiveCheck::finished);
    QVERIFY(finished.wait(5000));
    QCOMPARE(check.failure(), LiveCheck::Failure::InvalidInput);
    QVERIFY(check.message().contains(QStringLiteral("a/#/b")));
}

void tst_LiveCheck::urlFromUserInput_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("url");
    QTest::newRow("host:port gets ws:// and /mqtt like the page")
            << QStringLiteral("pi.local:9001") << QStringLiteral("ws://pi.local:9001/mqtt");
    QTest::newRow("wss kept, path kept") << QStringLiteral("wss://wx.example.com/ws")
                                         << QStringLiteral("wss://wx.example.com/ws");
    QTest::newRow("http:// is refused") << QStringLiteral("http://pi:9001") << QString();
    QTest::newRow("a password in the URL is refused")
            << QStringLiteral("ws://u:secret@pi:9001") << QString();
    QTest::newRow("empty") << QString() << QString();
}

void tst_LiveCheck::urlFromUserInput()
{
    QFETCH(QString, input);
    QFETCH(QString, url);
    QString error;
    const auto result = LiveCheck::urlFromUserInput(input, &error);
    QCOMPARE(result.has_value(), !url.isEmpty());
    if (result)
        QCOMPARE(result->toString(), url);
    else
        QVERIFY(!error.isEmpty() && !error.contains(QStringLiteral("secret")));
}

QTEST_GUILESS_MAIN(tst_LiveCheck)
#include "tst_livecheck.moc"
