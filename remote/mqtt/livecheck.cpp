// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/mqtt/livecheck.h"

#include "remote/mqtt/mqttlogging.h"

#include <QCryptographicHash>
#include <QMetaEnum>
#include <QRandomGenerator>

namespace wmw::mqtt {

LiveCheck::LiveCheck(QObject *parent)
    : QObject(parent)
{
    m_messageTimer.setSingleShot(true);
    connect(&m_messageTimer, &QTimer::timeout, this, &LiveCheck::onMessageTimeout);
    connect(&m_client, &MqttClient::errorOccurred, this, &LiveCheck::onClientError);
    connect(&m_client, &MqttClient::connected, this, &LiveCheck::onConnected);
    connect(&m_client, &MqttClient::subscribed, this, &LiveCheck::onSubscribed);
    // Like the page, but one round trip sooner: the SUBSCRIBE goes with the CONNECT. A CONNACK
    // that refuses still decides the verdict; the broker drops what came after the CONNECT.
    connect(&m_client, &MqttClient::connectSent, this,
            [this]() { m_client.subscribe(m_options.topic, 0); }); // Paho's default QoS
    connect(&m_client, &MqttClient::messageReceived, this, &LiveCheck::onMessage);
    connect(&m_client, &MqttClient::tcpConnected, this,
            [this]() { emit progress(tr("TCP connection established")); });
    connect(&m_client, &MqttClient::webSocketConnected, this, [this]() {
        emit progress(m_client.subprotocolAccepted()
                              ? tr("websocket open (subprotocol mqtt), sent CONNECT and "
                                   "SUBSCRIBE to %1")
                                        .arg(m_options.topic)
                              : tr("websocket open, but the answer names no mqtt subprotocol"));
    });
}

std::optional<QUrl> LiveCheck::urlFromUserInput(const QString &text, QString *error)
{
    QString input = text.trimmed();
    if (input.isEmpty()) {
        *error = tr("The broker address is empty.");
        return std::nullopt;
    }
    if (!input.contains(u"://"))
        input.prepend(u"ws://");
    QUrl url(input, QUrl::StrictMode);
    if (!url.isValid()) {
        *error = tr("\"%1\" is not a valid address: %2").arg(text, url.errorString());
        return std::nullopt;
    }
    if (url.scheme() != u"ws" && url.scheme() != u"wss") {
        *error = tr("\"%1\" must start with ws:// or wss:// (the page connects over websockets).")
                         .arg(text);
        return std::nullopt;
    }
    if (url.host().isEmpty()) {
        *error = tr("\"%1\" has no host name.").arg(text);
        return std::nullopt;
    }
    if (!url.password().isEmpty() || !url.userName().isEmpty()) {
        *error = tr("The address must not hold a user name or password; give the user with "
                    "--user and the password on standard input.");
        return std::nullopt;
    }
    if (url.path().isEmpty())
        url.setPath(QStringLiteral("/mqtt"));
    return url;
}

QString LiveCheck::failureId(Failure failure)
{
    static const char *const ids[] = {"none",
                                      "invalid-input",
                                      "name-not-resolved",
                                      "tcp-refused",
                                      "tcp-timeout",
                                      "network-unreachable",
                                      "tls-failed",
                                      "certificate-untrusted",
                                      "not-websocket",
                                      "no-connack",
                                      "connack-1-protocol-version",
                                      "connack-2-identifier-rejected",
                                      "connack-3-server-unavailable",
                                      "connack-4-bad-credentials",
                                      "connack-5-not-authorised",
                                      "subscribe-refused",
                                      "no-message",
                                      "archive-only",
                                      "not-loop-data",
                                      "protocol-error",
                                      "connection-lost"};
    static_assert(sizeof(ids) / sizeof(ids[0]) == int(Failure::ConnectionLost) + 1);
    return QString::fromLatin1(ids[int(failure)]);
}

QString LiveCheck::stateId(State state)
{
    return QString::fromLatin1(QMetaEnum::fromType<State>().valueToKey(int(state))).toLower();
}

QString LiveCheck::stateText(State state)
{
    switch (state) {
    case State::Idle:
        return tr("Not connected.");
    case State::Connecting:
        return tr("Connecting to weather station real time data.");
    case State::Waiting:
        return tr("Connected. Waiting for data.");
    case State::Receiving:
        return tr("Connected to weather station live. Data received.");
    case State::Failed:
        return tr("Failed connecting to the weather station.");
    case State::Lost:
        return tr("Lost connection to the weather station.");
    }
    return {};
}

void LiveCheck::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    qCDebug(lcMqtt) << "live check" << state << m_options.url.toString(QUrl::RemoveUserInfo);
    emit stateChanged(state);
}

void LiveCheck::conclude(State state, Failure failure, Layer layer, const QString &message,
                         const QString &fix)
{
    m_messageTimer.stop();
    m_failure = failure;
    m_layer = layer;
    m_message = message;
    m_fix = fix;
    if (m_client.state() != MqttClient::State::Disconnected)
        m_client.disconnectFromBroker();
    setState(state);
    emit finished();
}

void LiveCheck::start(const Options &options)
{
    m_messageTimer.stop();
    m_options = options;
    if (m_options.url.path().isEmpty())
        m_options.url.setPath(QStringLiteral("/mqtt")); // as the page's Paho client
    m_failure = Failure::None;
    m_layer = Layer::None;
    m_message.clear();
    m_fix.clear();
    m_latest = LoopMessage();
    m_lastProblem.clear();
    m_beforeArm = {};
    m_lastReceivedAt = QDateTime();
    m_loopCount = m_archiveCount = m_otherCount = 0;
    m_state = State::Idle;

    if (const QString problem = Check::topicFilter(options.topic); !problem.isEmpty()) {
        QMetaObject::invokeMethod(
                this,
                [this, problem]() {
                    conclude(State::Failed, Failure::InvalidInput, Layer::Input, problem,
                             tr("Give the topic the page subscribes to "
                                "(mqtt_websockets_topic), e.g. weather/loop."));
                },
                Qt::QueuedConnection);
        return;
    }
    ClientOptions client;
    client.url = options.url;
    // Like the page's "website" + random number, so broker logs show who connected.
    client.connect.clientId =
            QStringLiteral("wmw-check-%1").arg(QRandomGenerator::global()->bounded(1000000000));
    client.connect.cleanSession = true;
    client.connect.keepAliveSeconds = 60; // Paho's default, as on the page
    client.connect.userName = options.userName;
    client.connect.password = options.password;
    client.connectTimeoutMs = options.stepTimeoutMs;
    client.responseTimeoutMs = options.stepTimeoutMs;
    client.caCertificates = options.caCertificates;
    client.acceptedCertificateSha256 = options.acceptedCertificateSha256;
    setState(State::Connecting);
    m_client.connectToBroker(client);
}

void LiveCheck::stop()
{
    m_messageTimer.stop();
    m_client.disconnectFromBroker();
    setState(State::Idle);
}

void LiveCheck::arm(Arm how)
{
    if (m_options.armed)
        return;
    m_options.armed = true;
    const auto [topic, payload] = std::exchange(m_beforeArm, {});
    if (m_state != State::Waiting)
        return;
    m_messageTimer.start(m_options.messageTimeoutMs);
    if (how == Arm::CountLatest && !topic.isEmpty())
        onMessage(topic, payload);
}

void LiveCheck::onConnected()
{
    emit progress(tr("CONNACK 0: connection accepted"));
}

void LiveCheck::onSubscribed(quint16, const QList<quint8> &codes)
{
    if (codes.contains(SubackFailure)) {
        conclude(State::Failed, Failure::SubscribeRefused, Layer::Authentication,
                 tr("The broker refused the subscription to \"%1\" (SUBACK 0x80).")
                         .arg(m_options.topic),
                 tr("Allow this user to read the topic in the broker's ACL (an acl_file line "
                    "\"topic read %1\" under \"user <name>\", or for anonymous pages before the "
                    "first \"user\" line).")
                         .arg(m_options.topic));
        return;
    }
    setState(State::Waiting);
    if (m_options.armed)
        m_messageTimer.start(m_options.messageTimeoutMs);
}

void LiveCheck::onMessage(const QString &topic, const QByteArray &payload)
{
    if (!m_options.armed) {
        // From a publisher that may be on its way out: no proof, no verdict.
        emit progress(tr("message on %1 before the check was armed: not counted").arg(topic));
        // Kept for Arm::CountLatest: the last loop record (an archive record after it proves
        // less, and the page waits for loop records).
        if (LoopMessage::parse(payload).kind() == LoopMessage::Kind::Loop)
            m_beforeArm = {topic, payload};
        return;
    }
    const LoopMessage message = LoopMessage::parse(payload);
    m_lastReceivedAt = QDateTime::currentDateTimeUtc();
    switch (message.kind()) {
    case LoopMessage::Kind::Archive:
        ++m_archiveCount;
        emit progress(tr("archive record on %1 (the page reloads its charts and keeps waiting)")
                              .arg(topic));
        return;
    case LoopMessage::Kind::NotJson:
    case LoopMessage::Kind::NotObject:
        ++m_otherCount;
        m_lastProblem = message.problem();
        emit progress(
                tr("message on %1 that the page cannot use: %2").arg(topic, message.problem()));
        return;
    case LoopMessage::Kind::Loop:
        break;
    }
    ++m_loopCount;
    m_latest = message;
    emit readingsChanged();
    if (m_options.stopAtFirstLoop) {
        conclude(State::Receiving, Failure::None, Layer::None,
                 tr("Data received on %1.").arg(topic), QString());
        return;
    }
    // Keep receiving: the next silence is measured from this message.
    m_messageTimer.start(m_options.messageTimeoutMs);
    setState(State::Receiving);
}

void LiveCheck::onMessageTimeout()
{
    const QString seconds = QString::number(m_options.messageTimeoutMs / 1000.0);
    if (m_state == State::Receiving) {
        conclude(State::Lost, Failure::NoMessage, Layer::Publishing,
                 tr("Loop data stopped: nothing for %1 s.").arg(seconds),
                 tr("WeeWX stopped publishing: check that weewxd is running and its log for "
                    "MQTT errors."));
        return;
    }
    if (m_archiveCount > 0) {
        conclude(State::Failed, Failure::ArchiveOnly, Layer::Publishing,
                 tr("Only archive records arrived on %1 within %2 s (they carry interval_minute); "
                    "the page keeps waiting for loop data.")
                         .arg(m_options.topic, seconds),
                 tr("Publish loop packets too: set \"binding = archive, loop\" in weewx.conf "
                    "[StdRESTful] [[MQTT]] and restart WeeWX."));
        return;
    }
    if (m_otherCount > 0) {
        conclude(State::Failed, Failure::NotLoopData, Layer::Publishing,
                 tr("Messages arrived on %1, but none is a loop record the page can show: %2")
                         .arg(m_options.topic, m_lastProblem),
                 tr("The page needs weewx-mqtt's JSON on <topic>/loop: check \"aggregation\" "
                    "(it must include aggregate) and that nothing else publishes to this topic."));
        return;
    }
    conclude(State::Failed, Failure::NoMessage, Layer::Publishing,
             tr("Subscribed to %1, but no message arrived within %2 s.")
                     .arg(m_options.topic, seconds),
             tr("Three causes look alike here: (1) WeeWX is not publishing: check [StdRESTful] "
                "[[MQTT]] in weewx.conf and the WeeWX log (\"Published record\" proves nothing); "
                "(2) the topic differs: the page needs the [[MQTT]] topic plus \"/loop\", e.g. "
                "weather/loop; (3) the broker's ACL denies this user reading the topic: "
                "mosquitto still confirms the subscription and then silently drops every "
                "message; add \"topic read %1\" for this user (or for anonymous users before the "
                "first \"user\" line).")
                     .arg(m_options.topic));
}

void LiveCheck::failConnack(quint8 code)
{
    switch (code) {
    case 1:
        conclude(State::Failed, Failure::ConnackProtocolVersion, Layer::Mqtt,
                 tr("The broker refused MQTT 3.1.1 (CONNACK 1: unacceptable protocol version)."),
                 tr("Use a broker that speaks MQTT 3.1.1, such as mosquitto 1.3 or later."));
        return;
    case 2:
        conclude(State::Failed, Failure::ConnackIdentifierRejected, Layer::Mqtt,
                 tr("The broker rejected the client identifier (CONNACK 2)."),
                 tr("The page sends ids like \"website123456789\": allow such ids (check "
                    "clientid_prefixes and allow_zero_length_clientid in mosquitto.conf)."));
        return;
    case 3:
        conclude(State::Failed, Failure::ConnackServerUnavailable, Layer::Mqtt,
                 tr("The broker is unavailable (CONNACK 3)."),
                 tr("The broker accepts connections but no MQTT service: check its log."));
        return;
    case 4:
        conclude(State::Failed, Failure::ConnackBadCredentials, Layer::Authentication,
                 tr("The broker refused the user name or password (CONNACK 4)."),
                 tr("Check the user name and password (mqtt_websockets_username/_password) "
                    "against the broker's password_file."));
        return;
    case 5:
        conclude(State::Failed, Failure::ConnackNotAuthorised, Layer::Authentication,
                 tr("The broker refused the login: not authorised (CONNACK 5)."),
                 tr("mosquitto answers 5 for a wrong password, an unknown user, and an anonymous "
                    "login while allow_anonymous is false. Check the user and password against "
                    "the password_file (hashed with mosquitto_passwd), or for an anonymous page "
                    "set \"allow_anonymous true\" with an ACL that lets anonymous users read "
                    "only the loop topic."));
        return;
    default:
        conclude(State::Failed, Failure::ProtocolError, Layer::Mqtt,
                 tr("The broker answered with the reserved CONNACK code %1.").arg(code),
                 tr("Check that the address leads to an MQTT 3.1.1 broker."));
        return;
    }
}

void LiveCheck::onClientError(MqttClient::Error error)
{
    const QString host = m_options.url.host();
    const int port = m_options.url.port(m_options.url.scheme() == u"wss" ? 443 : 80);
    const QString detail = m_client.errorString();
    using E = MqttClient::Error;
    switch (error) {
    case E::None:
        return;
    case E::InvalidOptions:
        conclude(State::Failed, Failure::InvalidInput, Layer::Input, detail,
                 tr("Correct the address, user name or password."));
        return;
    case E::HostNotFound:
    case E::HostLookupTimeout:
        conclude(State::Failed, Failure::NameNotResolved, Layer::Dns, detail,
                 tr("Check the spelling of \"%1\". The page's visitors need a name their own "
                    "browsers can resolve (mqtt_websockets_host): not localhost, and not a LAN "
                    "name for visitors from the Internet.")
                         .arg(host));
        return;
    case E::ConnectionRefused:
        conclude(State::Failed, Failure::TcpRefused, Layer::Tcp,
                 tr("Nothing listens on %1 port %2 (connection refused).").arg(host).arg(port),
                 tr("Is mosquitto running? Does it have a websockets listener on this port "
                    "(\"listener %1\" followed by \"protocol websockets\")? The port must match "
                    "mqtt_websockets_port.")
                         .arg(port));
        return;
    case E::TcpTimeout:
        conclude(State::Failed, Failure::TcpTimeout, Layer::Tcp, detail,
                 tr("Packets to %1 port %2 go unanswered: a firewall drops them, the port is not "
                    "forwarded to the Pi, or the address is wrong.")
                         .arg(host)
                         .arg(port));
        return;
    case E::NetworkError:
        conclude(State::Failed, Failure::NetworkUnreachable, Layer::Tcp,
                 tr("%1 cannot be reached: %2").arg(host, detail),
                 tr("Check the network connection and the address."));
        return;
    case E::TlsHandshakeFailed:
        conclude(State::Failed, Failure::TlsFailed, Layer::Tls, detail,
                 tr("wss:// needs a listener with certfile and keyfile; a listener without them "
                    "speaks ws:// (mqtt_websockets_ssl = 0)."));
        return;
    case E::CertificateUntrusted: {
        const QString fingerprint = QString::fromLatin1(
                m_client.peerCertificate().digest(QCryptographicHash::Sha256).toHex(':'));
        conclude(State::Failed, Failure::CertificateUntrusted, Layer::Tls,
                 tr("The broker's certificate is not trusted: %1. Its SHA-256 fingerprint is %2.")
                         .arg(detail, fingerprint),
                 tr("Give the certificate of the CA that signed it, or accept this one "
                    "certificate after comparing the fingerprint with the broker's. Visitors' "
                    "browsers refuse it too unless a public CA signed it for this name."));
        return;
    }
    case E::NotWebSocket:
    case E::HandshakeTimeout:
        conclude(State::Failed, Failure::NotWebSocket, Layer::WebSocket,
                 tr("Port %1 answers TCP, but not as a websocket listener: %2")
                         .arg(port)
                         .arg(detail),
                 tr("This is often the plain MQTT port (1883). Use the port of the listener with "
                    "\"protocol websockets\", and if a web server or proxy is in between, make it "
                    "pass /mqtt through as a websocket."));
        return;
    case E::ConnackTimeout:
    case E::ClosedBeforeConnack:
        conclude(State::Failed, Failure::NoConnack, Layer::Mqtt, detail,
                 tr("The websocket opened but MQTT got no answer. The websocket subprotocol "
                    "must be \"mqtt\" (mosquitto silently ignores a socket without it); a proxy "
                    "in front of the broker may drop frames or lead somewhere else."));
        return;
    case E::ConnackRefused:
        failConnack(m_client.connackCode());
        return;
    case E::SubackTimeout:
    case E::PingTimeout:
    case E::ProtocolError:
        conclude(m_state == State::Connecting ? State::Failed : State::Lost, Failure::ProtocolError,
                 Layer::Mqtt, detail,
                 tr("Check that the address leads to an MQTT 3.1.1 broker and nothing between "
                    "alters the frames."));
        return;
    case E::ConnectionLost:
        conclude(State::Lost, Failure::ConnectionLost, Layer::WebSocket,
                 tr("The connection was lost: %1").arg(detail),
                 tr("The broker stopped or restarted, or the network dropped. Check that "
                    "mosquitto is running (and its log); the page reconnects by itself."));
        return;
    }
}

} // namespace wmw::mqtt
