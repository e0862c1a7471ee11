// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A pure MQTT 3.1.1 codec (OASIS standard, 29 October 2014): bytes in, packets out and back.
// No I/O, no timers: the client (mqttclient.h) and the fuzz target drive it.

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace wmw::mqtt {

/// Control packet types (spec 2.2.1). 0 and 15 are reserved.
enum class PacketType : quint8 {
    Reserved = 0,
    Connect = 1,
    Connack = 2,
    Publish = 3,
    Puback = 4,
    Pubrec = 5,
    Pubrel = 6,
    Pubcomp = 7,
    Subscribe = 8,
    Suback = 9,
    Unsubscribe = 10,
    Unsuback = 11,
    Pingreq = 12,
    Pingresp = 13,
    Disconnect = 14,
};

/// CONNACK return codes (spec 3.2.2.3, table 3.1); 6-255 are reserved.
enum class ConnackCode : quint8 {
    Accepted = 0,
    UnacceptableProtocolVersion = 1,
    IdentifierRejected = 2,
    ServerUnavailable = 3,
    BadUserNameOrPassword = 4,
    NotAuthorized = 5,
};

/// SUBACK return code for a refused subscription (spec 3.9.3).
inline constexpr quint8 SubackFailure = 0x80;

/// What a CONNECT carries (spec 3.1). The client never sends a will; the decoder reads one.
struct ConnectOptions
{
    QString clientId;
    bool cleanSession = true;
    quint16 keepAliveSeconds = 60;
    std::optional<QString> userName;
    std::optional<QByteArray> password; ///< MQTT-3.1.2-22: only together with a user name
    std::optional<QString> willTopic;
    QByteArray willMessage;
    quint8 willQos = 0;
    bool willRetain = false;
};

using TopicFilter = QPair<QString, quint8>; ///< filter and requested QoS

/// One decoded control packet; only the fields of its type are meaningful.
struct Packet
{
    PacketType type = PacketType::Reserved;
    quint8 flags = 0; ///< low nibble of the fixed header
    quint16 packetId = 0; ///< PUBLISH (QoS > 0), PUBACK..PUBCOMP, (UN)SUBSCRIBE, (UN)SUBACK
    bool sessionPresent = false; ///< CONNACK
    quint8 returnCode = 0; ///< CONNACK; for CONNECT the protocol level (4)
    QString topic; ///< PUBLISH
    QByteArray payload; ///< PUBLISH
    quint8 qos = 0; ///< PUBLISH
    bool retain = false; ///< PUBLISH
    bool dup = false; ///< PUBLISH
    QList<TopicFilter> topicFilters; ///< SUBSCRIBE; UNSUBSCRIBE (QoS 0)
    QList<quint8> returnCodes; ///< SUBACK
    ConnectOptions connect; ///< CONNECT
};

/// Encoders. Input must have passed the check functions below (strings of at most 65535
/// UTF-8 bytes, no U+0000, valid topic names and filters); they do not fail.
namespace encode {
QByteArray connect(const ConnectOptions &options);
QByteArray connack(bool sessionPresent, quint8 returnCode);
QByteArray publish(const QString &topic, const QByteArray &payload, quint8 qos = 0,
                   quint16 packetId = 0, bool retain = false, bool dup = false);
QByteArray puback(quint16 packetId);
QByteArray subscribe(quint16 packetId, const QList<TopicFilter> &filters);
QByteArray suback(quint16 packetId, const QList<quint8> &returnCodes);
QByteArray unsubscribe(quint16 packetId, const QStringList &filters);
QByteArray pingreq();
QByteArray pingresp();
QByteArray disconnect();
} // namespace encode

/// Checks of user input before it is encoded; an empty string means valid, otherwise a
/// translated message that names the field.
class Check
{
    Q_DECLARE_TR_FUNCTIONS(wmw::mqtt::Check)
public:
    static QString topicFilter(const QString &filter); ///< spec 4.7.1
    static QString topicName(const QString &name); ///< no wildcards (MQTT-3.3.2-2)
    static QString clientId(const QString &clientId);
    static QString userName(const QString &userName);
    static QString password(const QByteArray &password);
};

enum class DecodeError {
    None,
    ReservedPacketType, ///< type 0 or 15, or a packet a 3.1.1 peer never sends
    BadFlags, ///< fixed header flags other than the spec requires (MQTT-2.2.2-2)
    BadRemainingLength, ///< more than four length bytes (spec 2.2.3)
    PacketTooLarge, ///< remaining length beyond the decoder's limit
    Truncated, ///< a field runs past the end of the packet
    BadUtf8, ///< ill-formed UTF-8 or U+0000 in a string (MQTT-1.5.3-1, -2)
    Malformed, ///< any other rule of the spec broken (named in errorString())
};

/// Incremental decoder: a websocket message may hold part of a packet or several packets.
/// Memory stays bounded: a packet whose remaining length exceeds the limit is refused as
/// soon as its fixed header is read, before its body is buffered. After an error the
/// decoder refuses further input until reset().
class Decoder
{
    Q_DECLARE_TR_FUNCTIONS(wmw::mqtt::Decoder)
public:
    static constexpr qsizetype DefaultMaxPacketSize = 256 * 1024;
    explicit Decoder(qsizetype maxPacketSize = DefaultMaxPacketSize);

    /// Appends `bytes` and decodes every complete packet. Returns false on a protocol error.
    [[nodiscard]] bool feed(QByteArrayView bytes);
    bool hasPacket() const { return !m_packets.isEmpty(); }
    Packet takePacket() { return m_packets.takeFirst(); }
    QList<Packet> takePackets();

    DecodeError error() const { return m_error; }
    QString errorString() const { return m_errorString; }
    qsizetype bufferedBytes() const { return m_buffer.size(); }
    qsizetype maxPacketSize() const { return m_maxPacketSize; }
    void reset();

private:
    enum class Step { Complete, NeedMore, Failed };
    Step decodeOne(qsizetype &offset);
    bool decodeBody(PacketType type, quint8 flags, QByteArrayView body);
    bool fail(DecodeError error, const QString &message);

    qsizetype m_maxPacketSize = DefaultMaxPacketSize;
    QByteArray m_buffer;
    QList<Packet> m_packets;
    DecodeError m_error = DecodeError::None;
    QString m_errorString;
};

/// Human name of a packet type ("CONNACK"), for logs and messages.
QString packetTypeName(PacketType type);

} // namespace wmw::mqtt
