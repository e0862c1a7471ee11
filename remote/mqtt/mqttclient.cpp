// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/mqtt/mqttclient.h"

#include "remote/mqtt/mqttlogging.h"

#include <QCryptographicHash>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

namespace wmw::mqtt {

MqttClient::MqttClient(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &MqttClient::onTimeout);
    connect(&m_keepAlive, &QTimer::timeout, this, &MqttClient::sendPing);
}

MqttClient::~MqttClient()
{
    teardown();
}

QString MqttClient::endpoint() const
{
    return m_options.url.toString(QUrl::RemoveUserInfo);
}

void MqttClient::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    qCDebug(lcMqtt) << "state" << state << endpoint();
    emit stateChanged(state);
}

void MqttClient::fail(Error error, const QString &message)
{
    teardown();
    m_error = error;
    m_errorString = message;
    qCDebug(lcMqtt).noquote() << endpoint() << error << message;
    setState(State::Disconnected);
    emit errorOccurred(error);
}

void MqttClient::teardown()
{
    m_timer.stop();
    m_keepAlive.stop();
    m_decoder.reset();
    if (m_socket) {
        QWebSocket *socket = m_socket;
        m_socket = nullptr;
        socket->disconnect(this);
        socket->abort();
        socket->deleteLater();
    }
}

void MqttClient::connectToBroker(const ClientOptions &options)
{
    teardown();
    m_options = options;
    m_error = Error::None;
    m_errorString.clear();
    m_tcpConnected = false;
    m_encrypted = false;
    m_subprotocolAccepted = false;
    m_connackCode = 0;
    m_subackAwaited = false;
    m_sslErrors.clear();
    m_peerCertificate = QSslCertificate();
    m_decoder = Decoder(options.maxPacketSize);
    if (m_options.url.path().isEmpty())
        m_options.url.setPath(QStringLiteral("/mqtt")); // Paho's 3-argument Client default

    QString problem;
    const QString scheme = m_options.url.scheme();
    if (!m_options.url.isValid() || (scheme != u"ws" && scheme != u"wss"))
        problem = tr("The address \"%1\" is not a ws:// or wss:// URL.").arg(endpoint());
    else if (m_options.url.host().isEmpty())
        problem = tr("The address \"%1\" has no host name.").arg(endpoint());
    else if (problem = Check::clientId(options.connect.clientId); !problem.isEmpty()) {
    } else if (options.connect.userName
               && !(problem = Check::userName(*options.connect.userName)).isEmpty()) {
    } else if (options.connect.password && !options.connect.userName) {
        problem = tr("A password needs a user name (MQTT-3.1.2-22).");
    } else if (options.connect.password) {
        problem = Check::password(*options.connect.password);
    }
    if (!problem.isEmpty()) {
        // Queued, so a caller that connects to errorOccurred() after this call still hears it.
        QMetaObject::invokeMethod(
                this, [this, problem]() { fail(Error::InvalidOptions, problem); },
                Qt::QueuedConnection);
        return;
    }

    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    // One MQTT packet may span messages and a message may hold several packets; a limit
    // keeps a hostile peer from making us buffer without end.
    socket->setMaxAllowedIncomingMessageSize(quint64(options.maxPacketSize) * 2 + 16);
    socket->setMaxAllowedIncomingFrameSize(quint64(options.maxPacketSize) * 2 + 16);
    if (scheme == u"wss") {
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        if (!options.caCertificates.isEmpty())
            ssl.addCaCertificates(options.caCertificates);
        socket->setSslConfiguration(ssl);
    }
    // Qt 6.4: QWebSocket::errorOccurred is 6.5+.
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            &MqttClient::onSocketError);
    connect(socket, &QWebSocket::disconnected, this, &MqttClient::onSocketDisconnected);
    connect(socket, &QWebSocket::sslErrors, this, &MqttClient::onSslErrors);
    connect(socket, &QWebSocket::connected, this, &MqttClient::onWebSocketConnected);
    connect(socket, &QWebSocket::binaryMessageReceived, this, &MqttClient::onBinaryMessage);
    connect(socket, &QWebSocket::textMessageReceived, this, [this]() {
        fail(Error::ProtocolError,
             tr("The broker sent a websocket text message; MQTT travels in binary messages."));
    });

    setState(State::Connecting);
    m_timer.start(options.connectTimeoutMs);

    QWebSocketHandshakeOptions handshake;
    // Without `mqtt` mosquitto completes the handshake on its http-only handler and then
    // ignores every MQTT frame: the client would only ever time out.
    handshake.setSubprotocols({QStringLiteral("mqtt")});
    socket->open(QNetworkRequest(m_options.url), handshake);

    // QWebSocket hides its TCP socket, but it is a direct child: watching it tells "no TCP
    // connection" apart from "TCP connected, no websocket answer", which name different fixes.
    if (auto *tcp = socket->findChild<QAbstractSocket *>(QString(), Qt::FindDirectChildrenOnly)) {
        connect(tcp, &QAbstractSocket::connected, this, [this]() {
            m_tcpConnected = true;
            qCDebug(lcMqtt) << "TCP connected" << endpoint();
            emit tcpConnected();
        });
        if (auto *tls = qobject_cast<QSslSocket *>(tcp)) {
            connect(tls, &QSslSocket::encrypted, this, [this, tls]() {
                m_encrypted = true;
                m_peerCertificate = tls->peerCertificate();
            });
        }
    }
}

void MqttClient::onTimeout()
{
    const double seconds = m_timer.interval() / 1000.0;
    switch (m_state) {
    case State::Disconnected:
        return;
    case State::Connecting: {
        auto *tcp = m_socket ? m_socket->findChild<QAbstractSocket *>(QString(),
                                                                      Qt::FindDirectChildrenOnly)
                             : nullptr;
        if (tcp && tcp->state() == QAbstractSocket::HostLookupState)
            fail(Error::HostLookupTimeout, tr("Looking up \"%1\" took longer than %2 s.")
                                                   .arg(m_options.url.host())
                                                   .arg(seconds));
        else if (!m_tcpConnected)
            fail(Error::TcpTimeout,
                 tr("No TCP connection to %1 port %2 within %3 s.")
                         .arg(m_options.url.host())
                         .arg(m_options.url.port(m_options.url.scheme() == u"wss" ? 443 : 80))
                         .arg(seconds));
        else if (m_options.url.scheme() == u"wss" && !m_encrypted)
            fail(Error::TlsHandshakeFailed,
                 tr("The port accepted TCP but gave no TLS answer within %1 s.").arg(seconds));
        else
            fail(Error::HandshakeTimeout,
                 tr("The port accepted TCP but did not answer the websocket handshake within "
                    "%1 s.")
                         .arg(seconds));
        return;
    }
    case State::WaitingForConnack:
        fail(Error::ConnackTimeout,
             m_subprotocolAccepted
                     ? tr("The websocket is open, but no CONNACK came within %1 s.").arg(seconds)
                     : tr("The websocket is open but its answer did not name the \"mqtt\" "
                          "subprotocol, and no CONNACK came within %1 s.")
                               .arg(seconds));
        return;
    case State::Connected:
        fail(m_timeoutError, m_timeoutMessage.arg(seconds));
        return;
    }
}

void MqttClient::armTimer(int ms, Error error, const QString &message)
{
    m_timeoutError = error;
    m_timeoutMessage = message;
    m_timer.start(ms);
}

void MqttClient::onSocketError(QAbstractSocket::SocketError socketError)
{
    if (!m_socket)
        return;
    const QString detail = m_socket->errorString();
    qCDebug(lcMqtt) << "socket error" << socketError << detail;
    switch (m_state) {
    case State::Disconnected:
        return;
    case State::Connecting:
        if (!m_tcpConnected) {
            if (socketError == QAbstractSocket::HostNotFoundError)
                fail(Error::HostNotFound,
                     tr("The name \"%1\" does not resolve: %2").arg(m_options.url.host(), detail));
            else if (socketError == QAbstractSocket::ConnectionRefusedError)
                fail(Error::ConnectionRefused, tr("Connection refused: %1").arg(detail));
            else if (socketError == QAbstractSocket::SocketTimeoutError)
                fail(Error::TcpTimeout, tr("The TCP connection timed out: %1").arg(detail));
            else
                fail(Error::NetworkError, detail);
        } else if (m_options.url.scheme() == u"wss" && !m_encrypted) {
            if (!m_sslErrors.isEmpty()) {
                QStringList reasons;
                for (const QSslError &error : std::as_const(m_sslErrors))
                    reasons << error.errorString();
                fail(Error::CertificateUntrusted, reasons.join(u"; "));
            } else {
                fail(Error::TlsHandshakeFailed, tr("The TLS handshake failed: %1").arg(detail));
            }
        } else {
            fail(Error::NotWebSocket, detail);
        }
        return;
    case State::WaitingForConnack:
        fail(Error::ClosedBeforeConnack,
             tr("The connection closed after CONNECT without a CONNACK: %1").arg(detail));
        return;
    case State::Connected:
        fail(Error::ConnectionLost, detail);
        return;
    }
}

void MqttClient::onSocketDisconnected()
{
    if (!m_socket || m_state == State::Disconnected)
        return;
    // QAbstractSocket reports a failed connect as stateChanged(Unconnected) before
    // errorOccurred: the error is already set, so classify by it.
    const QAbstractSocket::SocketError error = m_socket->error();
    onSocketError(error == QAbstractSocket::UnknownSocketError
                          ? QAbstractSocket::RemoteHostClosedError
                          : error);
}

void MqttClient::onSslErrors(const QList<QSslError> &errors)
{
    auto *tls = m_socket ? m_socket->findChild<QSslSocket *>(QString(), Qt::FindDirectChildrenOnly)
                         : nullptr;
    m_peerCertificate = tls ? tls->peerCertificate() : QSslCertificate();
    if (m_peerCertificate.isNull() && !errors.isEmpty())
        m_peerCertificate = errors.first().certificate();
    const QByteArray digest = m_peerCertificate.digest(QCryptographicHash::Sha256);
    if (!m_options.acceptedCertificateSha256.isEmpty() && !m_peerCertificate.isNull()
        && digest == m_options.acceptedCertificateSha256) {
        // The user saw this fingerprint and accepted this one certificate: pinned.
        qCInfo(lcMqtt) << "accepting the pinned certificate despite" << errors.size() << "errors";
        m_socket->ignoreSslErrors();
        return;
    }
    m_sslErrors = errors;
}

void MqttClient::onWebSocketConnected()
{
    m_subprotocolAccepted = m_socket->subprotocol() == u"mqtt";
    if (!m_subprotocolAccepted)
        qCWarning(lcMqtt) << "the websocket answer names no mqtt subprotocol:"
                          << m_socket->subprotocol();
    emit webSocketConnected();
    setState(State::WaitingForConnack);
    m_timer.start(m_options.responseTimeoutMs);
    send(encode::connect(m_options.connect));
    emit connectSent();
}

void MqttClient::send(const QByteArray &packet)
{
    if (!m_socket)
        return;
    qCDebug(lcMqttTrace) << "send" << packetTypeName(PacketType(quint8(packet.at(0)) >> 4))
                         << packet.size() << "bytes";
    m_socket->sendBinaryMessage(packet);
}

void MqttClient::onBinaryMessage(const QByteArray &message)
{
    if (!m_decoder.feed(message)) {
        fail(Error::ProtocolError, m_decoder.errorString());
        return;
    }
    while (m_decoder.hasPacket() && m_state != State::Disconnected)
        handle(m_decoder.takePacket());
}

void MqttClient::handle(const Packet &packet)
{
    qCDebug(lcMqttTrace) << "received" << packetTypeName(packet.type);
    if (m_state == State::WaitingForConnack && packet.type != PacketType::Connack) {
        fail(Error::ProtocolError, tr("The broker sent %1 before CONNACK (MQTT-3.2.0-1).")
                                           .arg(packetTypeName(packet.type)));
        return;
    }
    switch (packet.type) {
    case PacketType::Connack:
        if (m_state != State::WaitingForConnack) {
            fail(Error::ProtocolError, tr("The broker sent a second CONNACK."));
            return;
        }
        m_timer.stop();
        m_connackCode = packet.returnCode;
        if (packet.returnCode != 0) {
            fail(Error::ConnackRefused,
                 tr("The broker refused the connection with CONNACK return code %1.")
                         .arg(packet.returnCode));
            return;
        }
        setState(State::Connected);
        if (m_options.connect.keepAliveSeconds > 0)
            m_keepAlive.start(m_options.connect.keepAliveSeconds * 1000);
        // A SUBSCRIBE sent with the CONNECT: its answer is due from now on.
        if (m_subackAwaited)
            armTimer(m_options.responseTimeoutMs, Error::SubackTimeout,
                     tr("The broker did not answer SUBSCRIBE within %1 s."));
        emit connected();
        return;
    case PacketType::Suback:
        m_subackAwaited = false;
        if (m_timeoutError == Error::SubackTimeout)
            m_timer.stop();
        emit subscribed(packet.packetId, packet.returnCodes);
        return;
    case PacketType::Publish:
        if (packet.qos == 2) {
            // We subscribe at QoS 0 or 1, and a broker never sends more than it granted
            // (MQTT-3.8.4-6).
            fail(Error::ProtocolError, tr("The broker sent a QoS 2 message on a QoS 0/1 "
                                          "subscription."));
            return;
        }
        if (packet.qos == 1)
            send(encode::puback(packet.packetId)); // MQTT-4.3.2-2
        emit messageReceived(packet.topic, packet.payload);
        return;
    case PacketType::Pingresp:
        if (m_timeoutError == Error::PingTimeout)
            m_timer.stop();
        return;
    case PacketType::Puback:
    case PacketType::Pubrec:
    case PacketType::Pubrel:
    case PacketType::Pubcomp:
    case PacketType::Unsuback:
        return; // answers to nothing we sent: harmless
    case PacketType::Connect:
    case PacketType::Subscribe:
    case PacketType::Unsubscribe:
    case PacketType::Pingreq:
    case PacketType::Disconnect:
    case PacketType::Reserved:
        fail(Error::ProtocolError,
             tr("The broker sent %1, which only a client sends.").arg(packetTypeName(packet.type)));
        return;
    }
}

quint16 MqttClient::subscribe(const QString &topicFilter, quint8 qos)
{
    if (m_state != State::Connected && m_state != State::WaitingForConnack)
        return 0;
    const quint16 id = m_nextPacketId;
    m_nextPacketId = m_nextPacketId == 0xffff ? 1 : m_nextPacketId + 1; // MQTT-2.3.1-1
    send(encode::subscribe(id, {{topicFilter, qos}}));
    if (m_state == State::WaitingForConnack) {
        // MQTT 3.1.1 section 3.1.4: a client need not wait for CONNACK; a broker that refuses
        // the CONNECT processes nothing after it. The CONNACK wait stays the one armed.
        m_subackAwaited = true;
        return id;
    }
    armTimer(m_options.responseTimeoutMs, Error::SubackTimeout,
             tr("The broker did not answer SUBSCRIBE within %1 s."));
    return id;
}

void MqttClient::sendPing()
{
    if (m_state != State::Connected)
        return;
    send(encode::pingreq());
    if (!m_timer.isActive())
        armTimer(m_options.responseTimeoutMs, Error::PingTimeout,
                 tr("The broker did not answer a keepalive ping within %1 s."));
}

void MqttClient::disconnectFromBroker()
{
    if (m_state == State::Disconnected)
        return;
    m_timer.stop();
    m_keepAlive.stop();
    if (m_socket) {
        QWebSocket *socket = m_socket;
        m_socket = nullptr;
        socket->disconnect(this);
        if (m_state == State::Connected) {
            // Spec 3.14: DISCONNECT, then the websocket close handshake; the socket deletes
            // itself when the peer has closed, or after a grace period.
            socket->sendBinaryMessage(encode::disconnect());
            socket->close();
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            QTimer::singleShot(m_options.responseTimeoutMs, socket, &QObject::deleteLater);
        } else {
            socket->abort();
            socket->deleteLater();
        }
    }
    m_decoder.reset();
    setState(State::Disconnected);
    emit disconnected();
}

} // namespace wmw::mqtt
