// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "remote/mqtt/mqttcodec.h"

#include <QAbstractSocket>
#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslError>
#include <QTimer>
#include <QUrl>

class QWebSocket;

namespace wmw::mqtt {

/// Where and how to connect. Passwords live only here, in memory, and are never logged.
struct ClientOptions
{
    QUrl url; ///< ws:// or wss://; an empty path becomes /mqtt like Belchertown's Paho client
    ConnectOptions connect; ///< client id, user name, password, keepalive
    int connectTimeoutMs = 10000; ///< name lookup, TCP, TLS and the websocket handshake
    int responseTimeoutMs = 10000; ///< each of CONNACK, SUBACK and PINGRESP
    QList<QSslCertificate> caCertificates; ///< trusted in addition to the system's CAs
    /// SHA-256 digest of a server certificate the user has explicitly accepted after seeing
    /// its fingerprint: only this certificate is then trusted despite its errors.
    QByteArray acceptedCertificateSha256;
    qsizetype maxPacketSize = Decoder::DefaultMaxPacketSize;
};

/// An MQTT 3.1.1 client over QWebSocket (subprotocol `mqtt`), receive-only: connect,
/// subscribe, receive PUBLISH (QoS 0 and 1, answered with PUBACK), keepalive pings, clean
/// disconnect. Every wait has a timeout; every failure is an Error naming the layer.
class MqttClient : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
public:
    enum class State {
        Disconnected,
        Connecting, ///< name lookup, TCP, TLS, websocket handshake
        WaitingForConnack,
        Connected,
    };
    Q_ENUM(State)

    enum class Error {
        None,
        InvalidOptions,
        HostNotFound,
        HostLookupTimeout,
        ConnectionRefused,
        TcpTimeout, ///< no TCP connection within connectTimeoutMs
        NetworkError, ///< unreachable network and the like
        TlsHandshakeFailed,
        CertificateUntrusted, ///< see peerCertificate() and sslErrors()
        NotWebSocket, ///< TCP connected, but the answer to the handshake was no websocket
        HandshakeTimeout, ///< TCP connected, no answer to the handshake at all
        ClosedBeforeConnack,
        ConnackTimeout,
        ConnackRefused, ///< see connackCode()
        SubackTimeout,
        PingTimeout,
        ProtocolError, ///< the broker sent bytes that are not MQTT 3.1.1
        ConnectionLost,
    };
    Q_ENUM(Error)

    explicit MqttClient(QObject *parent = nullptr);
    ~MqttClient() override;

    /// Starts connecting; stateChanged()/errorOccurred() follow, queued even when the options
    /// are invalid.
    void connectToBroker(const ClientOptions &options);
    /// Sends SUBSCRIBE; subscribed() (whose codes may hold 0x80) or errorOccurred() follows.
    /// Returns the packet id, or 0 when not connected. Allowed from connectSent() on: the
    /// SUBSCRIBE then goes right behind the CONNECT, a round trip before CONNACK comes.
    quint16 subscribe(const QString &topicFilter, quint8 qos = 0);
    /// Clean disconnect: DISCONNECT (spec 3.14), then the websocket close handshake.
    void disconnectFromBroker();

    State state() const { return m_state; }
    Error error() const { return m_error; }
    QString errorString() const { return m_errorString; }
    quint8 connackCode() const { return m_connackCode; }
    QList<QSslError> sslErrors() const { return m_sslErrors; }
    QSslCertificate peerCertificate() const { return m_peerCertificate; }
    /// Whether the websocket answer named the `mqtt` subprotocol (mosquitto ignores MQTT
    /// frames on a socket that fell back to its http-only handler).
    bool subprotocolAccepted() const { return m_subprotocolAccepted; }

signals:
    void stateChanged(wmw::mqtt::MqttClient::State state);
    void errorOccurred(wmw::mqtt::MqttClient::Error error);
    void tcpConnected();
    void webSocketConnected();
    void connectSent(); ///< CONNECT is on its way; subscribe() may follow it at once
    void connected(); ///< CONNACK 0
    void subscribed(quint16 packetId, const QList<quint8> &returnCodes);
    void messageReceived(const QString &topic, const QByteArray &payload);
    void disconnected();

private:
    void setState(State state);
    void fail(Error error, const QString &message);
    void teardown();
    void armTimer(int ms, Error error, const QString &message);
    void onTimeout();
    void onSocketError(QAbstractSocket::SocketError socketError);
    void onSocketDisconnected();
    void onSslErrors(const QList<QSslError> &errors);
    void onWebSocketConnected();
    void onBinaryMessage(const QByteArray &message);
    void handle(const Packet &packet);
    void send(const QByteArray &packet);
    void sendPing();
    QString endpoint() const;

    ClientOptions m_options;
    QPointer<QWebSocket> m_socket;
    Decoder m_decoder;
    QTimer m_timer; ///< the one pending wait: connect, CONNACK, SUBACK or PINGRESP
    QTimer m_keepAlive;
    State m_state = State::Disconnected;
    Error m_error = Error::None;
    Error m_timeoutError = Error::None;
    QString m_timeoutMessage;
    QString m_errorString;
    bool m_tcpConnected = false;
    bool m_encrypted = false;
    bool m_subprotocolAccepted = false;
    quint8 m_connackCode = 0;
    bool m_subackAwaited = false; ///< a SUBSCRIBE went out before CONNACK
    quint16 m_nextPacketId = 1;
    QList<QSslError> m_sslErrors;
    QSslCertificate m_peerCertificate;
};

} // namespace wmw::mqtt
