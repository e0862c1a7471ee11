// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/mqtt/mqttcodec.h"

#include <QStringDecoder>
#include <QtEndian>

namespace wmw::mqtt {

namespace {

constexpr int MaxStringBytes = 65535; // a two-byte length prefix (spec 1.5.3)
constexpr quint32 MaxRemainingLength = 268435455; // four length bytes (spec 2.2.3)

void appendUint16(QByteArray &out, quint16 value)
{
    out.append(char(value >> 8));
    out.append(char(value & 0xff));
}

void appendBinary(QByteArray &out, QByteArrayView bytes)
{
    Q_ASSERT(bytes.size() <= MaxStringBytes);
    appendUint16(out, quint16(bytes.size()));
    out.append(bytes.data(), bytes.size());
}

void appendString(QByteArray &out, const QString &text)
{
    appendBinary(out, text.toUtf8());
}

// Fixed header: type and flags, then the remaining length in 7-bit groups, least
// significant first, the high bit saying "more follows" (spec 2.2.3).
QByteArray packet(PacketType type, quint8 flags, const QByteArray &body)
{
    Q_ASSERT(quint32(body.size()) <= MaxRemainingLength);
    QByteArray out;
    out.reserve(body.size() + 5);
    out.append(char((quint8(type) << 4) | (flags & 0x0f)));
    quint32 length = quint32(body.size());
    do {
        quint8 digit = length % 128;
        length /= 128;
        if (length > 0)
            digit |= 0x80;
        out.append(char(digit));
    } while (length > 0);
    out.append(body);
    return out;
}

// The flags each packet type must carry (spec 2.2.2, table 2.2); PUBLISH has its own.
std::optional<quint8> requiredFlags(PacketType type)
{
    switch (type) {
    case PacketType::Pubrel:
    case PacketType::Subscribe:
    case PacketType::Unsubscribe:
        return quint8(0x02);
    case PacketType::Publish:
        return std::nullopt;
    default:
        return quint8(0x00);
    }
}

// Reads fields from one packet's body; every read checks the bounds of that body.
class Reader
{
public:
    explicit Reader(QByteArrayView body)
        : m_body(body)
    { }
    bool atEnd() const { return m_pos == m_body.size(); }
    qsizetype left() const { return m_body.size() - m_pos; }
    bool byte(quint8 &value)
    {
        if (left() < 1)
            return false;
        value = quint8(m_body[m_pos++]);
        return true;
    }
    bool uint16(quint16 &value)
    {
        if (left() < 2)
            return false;
        value = qFromBigEndian<quint16>(m_body.data() + m_pos);
        m_pos += 2;
        return true;
    }
    bool binary(QByteArray &value)
    {
        quint16 length = 0;
        if (!uint16(length) || left() < length)
            return false;
        value = m_body.sliced(m_pos, length).toByteArray();
        m_pos += length;
        return true;
    }
    QByteArray rest()
    {
        const QByteArray out = m_body.sliced(m_pos).toByteArray();
        m_pos = m_body.size();
        return out;
    }

private:
    QByteArrayView m_body;
    qsizetype m_pos = 0;
};

// MQTT-1.5.3-1: ill-formed UTF-8 (including encoded surrogates) is a protocol violation;
// MQTT-1.5.3-2: so is U+0000.
std::optional<QString> decodeUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (decoder.hasError() || text.contains(QChar(0)))
        return std::nullopt;
    return text;
}

bool hasWildcard(const QString &topic)
{
    return topic.contains(u'+') || topic.contains(u'#');
}

} // namespace

namespace encode {

QByteArray connect(const ConnectOptions &options)
{
    QByteArray body;
    appendString(body, QStringLiteral("MQTT")); // protocol name (spec 3.1.2.1)
    body.append(char(4)); // protocol level 4 = 3.1.1 (spec 3.1.2.2)
    quint8 flags = 0;
    if (options.userName)
        flags |= 0x80;
    if (options.userName && options.password)
        flags |= 0x40; // MQTT-3.1.2-22: no password without a user name
    if (options.willTopic) {
        flags |= 0x04 | quint8((options.willQos & 0x03) << 3);
        if (options.willRetain)
            flags |= 0x20;
    }
    if (options.cleanSession)
        flags |= 0x02;
    body.append(char(flags));
    appendUint16(body, options.keepAliveSeconds);
    // Payload order is fixed: client id, will topic, will message, user name, password
    // (spec 3.1.3).
    appendString(body, options.clientId);
    if (options.willTopic) {
        appendString(body, *options.willTopic);
        appendBinary(body, options.willMessage);
    }
    if (options.userName) {
        appendString(body, *options.userName);
        if (options.password)
            appendBinary(body, *options.password);
    }
    return packet(PacketType::Connect, 0, body);
}

QByteArray connack(bool sessionPresent, quint8 returnCode)
{
    QByteArray body;
    body.append(char(sessionPresent ? 1 : 0));
    body.append(char(returnCode));
    return packet(PacketType::Connack, 0, body);
}

QByteArray publish(const QString &topic, const QByteArray &payload, quint8 qos, quint16 packetId,
                   bool retain, bool dup)
{
    QByteArray body;
    appendString(body, topic);
    if (qos > 0)
        appendUint16(body, packetId);
    body.append(payload);
    const quint8 flags = quint8((dup ? 0x08 : 0) | ((qos & 0x03) << 1) | (retain ? 1 : 0));
    return packet(PacketType::Publish, flags, body);
}

QByteArray puback(quint16 packetId)
{
    QByteArray body;
    appendUint16(body, packetId);
    return packet(PacketType::Puback, 0, body);
}

QByteArray subscribe(quint16 packetId, const QList<TopicFilter> &filters)
{
    QByteArray body;
    appendUint16(body, packetId);
    for (const TopicFilter &filter : filters) {
        appendString(body, filter.first);
        body.append(char(filter.second & 0x03));
    }
    return packet(PacketType::Subscribe, 0x02, body); // MQTT-3.8.1-1: flags 0010
}

QByteArray suback(quint16 packetId, const QList<quint8> &returnCodes)
{
    QByteArray body;
    appendUint16(body, packetId);
    for (quint8 code : returnCodes)
        body.append(char(code));
    return packet(PacketType::Suback, 0, body);
}

QByteArray unsubscribe(quint16 packetId, const QStringList &filters)
{
    QByteArray body;
    appendUint16(body, packetId);
    for (const QString &filter : filters)
        appendString(body, filter);
    return packet(PacketType::Unsubscribe, 0x02, body); // MQTT-3.10.1-1
}

QByteArray pingreq()
{
    return packet(PacketType::Pingreq, 0, {});
}

QByteArray pingresp()
{
    return packet(PacketType::Pingresp, 0, {});
}

QByteArray disconnect()
{
    return packet(PacketType::Disconnect, 0, {});
}

} // namespace encode

// --- checks of user input -------------------------------------------------------------------

namespace {
QString stringProblem(const QString &text, const QString &field)
{
    if (text.contains(QChar(0)))
        return Check::tr("The %1 contains a NUL character, which MQTT forbids.").arg(field);
    if (text.toUtf8().size() > MaxStringBytes)
        return Check::tr("The %1 is longer than 65535 bytes.").arg(field);
    return {};
}
} // namespace

QString Check::topicFilter(const QString &filter)
{
    const QString field = tr("topic");
    if (filter.isEmpty())
        return tr("The topic is empty (MQTT needs at least one character).");
    if (QString problem = stringProblem(filter, field); !problem.isEmpty())
        return problem;
    // Spec 4.7.1: '#' only as the whole last level, '+' only as a whole level.
    const QStringList levels = filter.split(u'/');
    for (qsizetype i = 0; i < levels.size(); ++i) {
        const QString &level = levels[i];
        if (level.contains(u'#') && (level != u"#" || i != levels.size() - 1))
            return tr("The topic \"%1\" has '#' other than as its whole last level.").arg(filter);
        if (level.contains(u'+') && level != u"+")
            return tr("The topic \"%1\" has '+' inside a level; it must stand alone between "
                      "slashes.")
                    .arg(filter);
    }
    return {};
}

QString Check::topicName(const QString &name)
{
    if (name.isEmpty())
        return tr("The topic is empty (MQTT needs at least one character).");
    if (QString problem = stringProblem(name, tr("topic")); !problem.isEmpty())
        return problem;
    if (hasWildcard(name))
        return tr("The topic \"%1\" contains a wildcard ('+' or '#'), which a published "
                  "message cannot have.")
                .arg(name);
    return {};
}

QString Check::clientId(const QString &clientId)
{
    return stringProblem(clientId, tr("client id"));
}

QString Check::userName(const QString &userName)
{
    if (userName.isEmpty())
        return tr("The user name is empty; leave it out to connect anonymously.");
    return stringProblem(userName, tr("user name"));
}

QString Check::password(const QByteArray &password)
{
    if (password.size() > MaxStringBytes)
        return tr("The password is longer than 65535 bytes.");
    return {};
}

// --- decoder --------------------------------------------------------------------------------

Decoder::Decoder(qsizetype maxPacketSize)
    : m_maxPacketSize(maxPacketSize)
{ }

void Decoder::reset()
{
    m_buffer.clear();
    m_packets.clear();
    m_error = DecodeError::None;
    m_errorString.clear();
}

QList<Packet> Decoder::takePackets()
{
    QList<Packet> out;
    out.swap(m_packets);
    return out;
}

bool Decoder::fail(DecodeError error, const QString &message)
{
    m_error = error;
    m_errorString = message;
    m_buffer.clear();
    return false;
}

bool Decoder::feed(QByteArrayView bytes)
{
    if (m_error != DecodeError::None)
        return false;
    m_buffer.append(bytes.data(), bytes.size());
    qsizetype offset = 0;
    Step step = Step::Complete;
    while (offset < m_buffer.size() && (step = decodeOne(offset)) == Step::Complete) { }
    if (step == Step::Failed)
        return false;
    // Dropped once per feed, not per packet: many small packets stay linear.
    m_buffer.remove(0, offset);
    return true;
}

Decoder::Step Decoder::decodeOne(qsizetype &offset)
{
    const qsizetype available = m_buffer.size() - offset;
    const auto *data = reinterpret_cast<const quint8 *>(m_buffer.constData() + offset);
    const quint8 typeNibble = data[0] >> 4;
    const quint8 flags = data[0] & 0x0f;
    if (typeNibble == 0 || typeNibble == 15) {
        fail(DecodeError::ReservedPacketType,
             tr("Reserved packet type %1 in the fixed header (spec 2.2.1).").arg(typeNibble));
        return Step::Failed;
    }
    const auto type = PacketType(typeNibble);
    if (const auto required = requiredFlags(type); required && flags != *required) {
        fail(DecodeError::BadFlags, tr("%1 with flags %2; the spec requires %3 (MQTT-2.2.2-2).")
                                            .arg(packetTypeName(type))
                                            .arg(flags, 4, 2, QChar(u'0'))
                                            .arg(*required, 4, 2, QChar(u'0')));
        return Step::Failed;
    }
    // Remaining length: at most four bytes (spec 2.2.3).
    quint32 length = 0;
    quint32 multiplier = 1;
    qsizetype pos = 1;
    for (;;) {
        if (pos >= available)
            return Step::NeedMore;
        if (pos > 4) {
            fail(DecodeError::BadRemainingLength,
                 tr("The remaining length of a %1 uses more than four bytes (spec 2.2.3).")
                         .arg(packetTypeName(type)));
            return Step::Failed;
        }
        const quint8 digit = data[pos++];
        length += (digit & 0x7f) * multiplier;
        multiplier *= 128;
        if (!(digit & 0x80))
            break;
    }
    if (qsizetype(length) > m_maxPacketSize) {
        fail(DecodeError::PacketTooLarge, tr("A %1 of %2 bytes exceeds the limit of %3 bytes.")
                                                  .arg(packetTypeName(type))
                                                  .arg(length)
                                                  .arg(m_maxPacketSize));
        return Step::Failed;
    }
    if (available - pos < qsizetype(length))
        return Step::NeedMore;
    const QByteArrayView body(m_buffer.constData() + offset + pos, qsizetype(length));
    if (!decodeBody(type, flags, body))
        return Step::Failed;
    offset += pos + qsizetype(length);
    return Step::Complete;
}

bool Decoder::decodeBody(PacketType type, quint8 flags, QByteArrayView body)
{
    Packet packet;
    packet.type = type;
    packet.flags = flags;
    Reader reader(body);
    const QString name = packetTypeName(type);
    auto truncated = [&]() {
        return fail(DecodeError::Truncated, tr("A field of a %1 runs past its end.").arg(name));
    };
    auto malformed = [&](const QString &why) {
        return fail(DecodeError::Malformed, tr("Malformed %1: %2").arg(name, why));
    };
    auto string = [&](QString &out) {
        QByteArray bytes;
        if (!reader.binary(bytes))
            return truncated();
        const std::optional<QString> text = decodeUtf8(bytes);
        if (!text)
            return fail(DecodeError::BadUtf8,
                        tr("A string in a %1 is not valid UTF-8 or holds U+0000 "
                           "(MQTT-1.5.3-1).")
                                .arg(name));
        out = *text;
        return true;
    };
    auto packetId = [&]() {
        if (!reader.uint16(packet.packetId))
            return truncated();
        if (packet.packetId == 0) // MQTT-2.3.1-1: non-zero
            return malformed(tr("packet identifier 0"));
        return true;
    };

    switch (type) {
    case PacketType::Connect: {
        QString protocol;
        quint8 level = 0;
        quint8 connectFlags = 0;
        if (!string(protocol))
            return false;
        if (!reader.byte(level) || !reader.byte(connectFlags)
            || !reader.uint16(packet.connect.keepAliveSeconds))
            return truncated();
        if (protocol != u"MQTT")
            return malformed(tr("protocol name \"%1\" instead of \"MQTT\"").arg(protocol));
        if (connectFlags & 0x01) // MQTT-3.1.2-3
            return malformed(tr("the reserved connect flag is set"));
        const bool will = connectFlags & 0x04;
        packet.connect.willQos = (connectFlags >> 3) & 0x03;
        packet.connect.willRetain = connectFlags & 0x20;
        if (!will && (packet.connect.willQos || packet.connect.willRetain)) // MQTT-3.1.2-11
            return malformed(tr("will QoS or retain set without a will"));
        if (packet.connect.willQos == 3) // MQTT-3.1.2-14
            return malformed(tr("will QoS 3"));
        if ((connectFlags & 0x40) && !(connectFlags & 0x80)) // MQTT-3.1.2-22
            return malformed(tr("a password without a user name"));
        packet.connect.cleanSession = connectFlags & 0x02;
        if (!string(packet.connect.clientId))
            return false;
        if (will) {
            QString topic;
            if (!string(topic))
                return false;
            packet.connect.willTopic = topic;
            if (!reader.binary(packet.connect.willMessage))
                return truncated();
        }
        if (connectFlags & 0x80) {
            QString user;
            if (!string(user))
                return false;
            packet.connect.userName = user;
        }
        if (connectFlags & 0x40) {
            QByteArray password;
            if (!reader.binary(password))
                return truncated();
            packet.connect.password = password;
        }
        // A wrong level is answered with CONNACK 1 (MQTT-3.1.2-2), not a decode error.
        packet.returnCode = level;
        break;
    }
    case PacketType::Connack: {
        quint8 ackFlags = 0;
        if (!reader.byte(ackFlags) || !reader.byte(packet.returnCode))
            return truncated();
        if (ackFlags & 0xfe) // spec 3.2.2.1: bits 7-1 reserved, 0
            return malformed(tr("reserved acknowledge flags are set"));
        packet.sessionPresent = ackFlags & 0x01;
        if (packet.sessionPresent && packet.returnCode != 0) // MQTT-3.2.2-4
            return malformed(tr("session present with a refusal"));
        break;
    }
    case PacketType::Publish: {
        packet.dup = flags & 0x08;
        packet.qos = (flags >> 1) & 0x03;
        packet.retain = flags & 0x01;
        if (packet.qos == 3) // MQTT-3.3.1-4
            return fail(DecodeError::BadFlags, tr("PUBLISH with QoS 3 (MQTT-3.3.1-4)."));
        if (packet.qos == 0 && packet.dup) // MQTT-3.3.1-2
            return fail(DecodeError::BadFlags,
                        tr("PUBLISH with QoS 0 and DUP set (MQTT-3.3.1-2)."));
        if (!string(packet.topic))
            return false;
        if (packet.topic.isEmpty() || hasWildcard(packet.topic)) // MQTT-3.3.2-1, -2
            return malformed(tr("topic name \"%1\" is empty or has a wildcard").arg(packet.topic));
        if (packet.qos > 0 && !packetId())
            return false;
        packet.payload = reader.rest();
        break;
    }
    case PacketType::Puback:
    case PacketType::Pubrec:
    case PacketType::Pubrel:
    case PacketType::Pubcomp:
    case PacketType::Unsuback:
        if (!packetId())
            return false;
        break;
    case PacketType::Subscribe:
    case PacketType::Unsubscribe:
        if (!packetId())
            return false;
        if (reader.atEnd()) // MQTT-3.8.3-3, MQTT-3.10.3-2
            return malformed(tr("no topic filter"));
        while (!reader.atEnd()) {
            TopicFilter filter;
            if (!string(filter.first))
                return false;
            if (type == PacketType::Subscribe) {
                if (!reader.byte(filter.second))
                    return truncated();
                if (filter.second > 2) // MQTT-3.8.3-4: upper bits reserved, QoS 0-2
                    return malformed(tr("requested QoS byte %1").arg(filter.second));
            }
            packet.topicFilters.append(filter);
        }
        break;
    case PacketType::Suback:
        if (!packetId())
            return false;
        if (reader.atEnd())
            return malformed(tr("no return code"));
        while (!reader.atEnd()) {
            quint8 code = 0;
            reader.byte(code);
            if (code > 2 && code != SubackFailure) // spec 3.9.3: 0, 1, 2 or 0x80 only
                return malformed(tr("return code 0x%1").arg(code, 2, 16, QChar(u'0')));
            packet.returnCodes.append(code);
        }
        break;
    case PacketType::Pingreq:
    case PacketType::Pingresp:
    case PacketType::Disconnect:
        break;
    case PacketType::Reserved:
        return fail(DecodeError::ReservedPacketType, tr("Reserved packet type 0."));
    }
    if (!reader.atEnd())
        return malformed(
                tr("%n byte(s) left over after the last field", nullptr, int(reader.left())));
    m_packets.append(std::move(packet));
    return true;
}

QString packetTypeName(PacketType type)
{
    static const char *const names[] = {"reserved packet", "CONNECT",  "CONNACK",     "PUBLISH",
                                        "PUBACK",          "PUBREC",   "PUBREL",      "PUBCOMP",
                                        "SUBSCRIBE",       "SUBACK",   "UNSUBSCRIBE", "UNSUBACK",
                                        "PINGREQ",         "PINGRESP", "DISCONNECT"};
    const int index = int(type);
    return QString::fromLatin1(index < 15 ? names[index] : "reserved packet");
}

} // namespace wmw::mqtt
