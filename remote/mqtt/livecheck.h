// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "remote/mqtt/loopmessage.h"
#include "remote/mqtt/mqttclient.h"

#include <QDateTime>
#include <QObject>
#include <QSslCertificate>
#include <QTimer>
#include <QUrl>

#include <optional>
#include <utility>

namespace wmw::mqtt {

/// Connects like the Belchertown page (Paho JS: ws[s]://host:port/mqtt, subprotocol mqtt,
/// MQTT 3.1.1, clean session, subscribe at QoS 0) and shows the page's states, but says which
/// layer failed, why, and what fixes it.
class LiveCheck : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
public:
    /// The page's states ("Connecting…", "Connected. Waiting for data.", "Data received",
    /// "Failed connecting…", "Lost connection…"), plus Idle before start and after stop().
    enum class State { Idle, Connecting, Waiting, Receiving, Failed, Lost };
    Q_ENUM(State)

    enum class Layer { None, Input, Dns, Tcp, Tls, WebSocket, Mqtt, Authentication, Publishing };
    Q_ENUM(Layer)

    enum class Failure {
        None,
        InvalidInput,
        NameNotResolved,
        TcpRefused,
        TcpTimeout,
        NetworkUnreachable,
        TlsFailed,
        CertificateUntrusted,
        NotWebSocket, ///< e.g. the plain MQTT port
        NoConnack, ///< websocket open, no CONNACK in time (subprotocol, proxy)
        ConnackProtocolVersion, ///< CONNACK 1
        ConnackIdentifierRejected, ///< CONNACK 2
        ConnackServerUnavailable, ///< CONNACK 3
        ConnackBadCredentials, ///< CONNACK 4
        ConnackNotAuthorised, ///< CONNACK 5 (mosquitto: wrong password too)
        SubscribeRefused, ///< SUBACK 0x80
        NoMessage, ///< WeeWX not publishing, wrong topic, or an ACL denying reads
        ArchiveOnly, ///< only archive records (binding lacks loop)
        NotLoopData, ///< messages, but not weewx-mqtt JSON
        ProtocolError,
        ConnectionLost,
    };
    Q_ENUM(Failure)

    struct Options
    {
        QUrl url;
        std::optional<QString> userName;
        std::optional<QByteArray> password;
        QString topic; ///< what the page subscribes to: mqtt_websockets_topic, e.g. weather/loop
        int stepTimeoutMs = 10000; ///< each network step: connect, CONNACK, SUBACK
        int messageTimeoutMs = 30000; ///< subscribed, then no loop message for this long
        bool stopAtFirstLoop = true; ///< a verdict at the first loop record; else keep receiving
        /// false: connect and subscribe now, but count loop records (and the message timeout)
        /// only from arm() on. What arrives before may come from a publisher about to be
        /// replaced (the old weewxd, before its restart): it proves nothing about the new one.
        bool armed = true;
        QList<QSslCertificate> caCertificates;
        QByteArray acceptedCertificateSha256; ///< see ClientOptions
    };

    explicit LiveCheck(QObject *parent = nullptr);

    /// Starts; stateChanged() follows (queued even for invalid input), then finished().
    void start(const Options &options);
    /// Clean disconnect; the state goes back to Idle without a verdict.
    void stop();
    /// Counts loop records from now on (Options::armed false); a no-op when armed.
    /// CountLatest also counts the last loop record that came before, as if it came now: for a
    /// caller that learned that its publisher was never replaced (nothing was restarted).
    enum class Arm { FromNow, CountLatest };
    Q_ENUM(Arm)
    void arm(Arm how = Arm::FromNow);
    bool isArmed() const { return m_options.armed; }
    bool hasVerdict() const
    {
        return m_state == State::Failed || m_state == State::Lost
               || (m_state == State::Receiving && m_options.stopAtFirstLoop);
    }

    State state() const { return m_state; }
    Failure failure() const { return m_failure; }
    Layer layer() const { return m_layer; }
    QString message() const { return m_message; } ///< translated: what happened
    QString fix() const { return m_fix; } ///< translated: what to change
    /// The latest loop record, its station time and when it arrived here.
    const LoopMessage &latest() const { return m_latest; }
    QDateTime lastReceivedAt() const { return m_lastReceivedAt; }
    int loopCount() const { return m_loopCount; }
    int archiveCount() const { return m_archiveCount; }
    QSslCertificate peerCertificate() const { return m_client.peerCertificate(); }
    QUrl url() const { return m_options.url; }

    /// "ws://host:9001/mqtt" from user text: `host:port` gets ws://, an empty path /mqtt.
    /// A URL holding a password is refused (the password is never an argument).
    static std::optional<QUrl> urlFromUserInput(const QString &text, QString *error);
    /// Stable machine name of a failure ("tcp-refused"), for --json and scripts.
    static QString failureId(Failure failure);
    static QString stateId(State state);
    /// The translated one-line text of a state, close to the page's own words.
    static QString stateText(State state);

signals:
    void stateChanged(wmw::mqtt::LiveCheck::State state);
    void progress(const QString &step); ///< translated: "TCP connected", "websocket open"...
    void readingsChanged();
    void finished(); ///< a verdict: Receiving (stopAtFirstLoop), Failed or Lost

private:
    void setState(State state);
    void conclude(State state, Failure failure, Layer layer, const QString &message,
                  const QString &fix);
    void onClientError(MqttClient::Error error);
    void onConnected();
    void onSubscribed(quint16 packetId, const QList<quint8> &codes);
    void onMessage(const QString &topic, const QByteArray &payload);
    void onMessageTimeout();
    void failConnack(quint8 code);

    Options m_options;
    MqttClient m_client;
    QTimer m_messageTimer;
    State m_state = State::Idle;
    Failure m_failure = Failure::None;
    Layer m_layer = Layer::None;
    QString m_message;
    QString m_fix;
    LoopMessage m_latest;
    QString m_lastProblem;
    QDateTime m_lastReceivedAt;
    /// The last loop record before arm(): topic and payload (empty topic: none)
    std::pair<QString, QByteArray> m_beforeArm;
    int m_loopCount = 0;
    int m_archiveCount = 0;
    int m_otherCount = 0;
};

} // namespace wmw::mqtt
