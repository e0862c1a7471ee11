// SPDX-License-Identifier: GPL-3.0-or-later
// The MQTT decoder on hostile bytes. Beyond "no crash, no sanitizer report" it checks:
// - memory stays bounded (never more than one packet's limit buffered);
// - feeding the input in pieces gives the same packets and the same verdict as all at once;
// - every decoded server packet re-encodes to bytes that decode to the same fields.
#include "remote/mqtt/mqttcodec.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace wmw::mqtt;

namespace {

constexpr qsizetype Limit = 4096;

bool sameFields(const Packet &a, const Packet &b)
{
    return a.type == b.type && a.packetId == b.packetId && a.returnCode == b.returnCode
           && a.sessionPresent == b.sessionPresent && a.topic == b.topic && a.payload == b.payload
           && a.qos == b.qos && a.retain == b.retain && a.dup == b.dup
           && a.returnCodes == b.returnCodes && a.topicFilters == b.topicFilters;
}

QByteArray reencode(const Packet &p)
{
    switch (p.type) {
    case PacketType::Connack:
        return encode::connack(p.sessionPresent, p.returnCode);
    case PacketType::Publish:
        return encode::publish(p.topic, p.payload, p.qos, p.packetId, p.retain, p.dup);
    case PacketType::Puback:
        return encode::puback(p.packetId);
    case PacketType::Suback:
        return encode::suback(p.packetId, p.returnCodes);
    case PacketType::Subscribe:
        return encode::subscribe(p.packetId, p.topicFilters);
    case PacketType::Pingresp:
        return encode::pingresp();
    case PacketType::Pingreq:
        return encode::pingreq();
    case PacketType::Disconnect:
        return encode::disconnect();
    default:
        return {};
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    // The first byte picks the piece size; the rest is the stream.
    const qsizetype piece = 1 + data[0] % 17;
    const QByteArrayView stream(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    Decoder whole(Limit);
    const bool wholeOk = whole.feed(stream);
    const QList<Packet> wholePackets = whole.takePackets();

    Decoder pieces(Limit);
    bool piecesOk = true;
    QList<Packet> piecePackets;
    for (qsizetype at = 0; at < stream.size() && piecesOk; at += piece) {
        piecesOk = pieces.feed(stream.sliced(at, qMin(piece, stream.size() - at)));
        piecePackets += pieces.takePackets();
        // Bounded: a partial packet (header at most 5 bytes plus body) and one piece.
        if (pieces.bufferedBytes() > Limit + 5 + piece)
            std::abort();
    }
    if (wholeOk != piecesOk || whole.error() != pieces.error()
        || wholePackets.size() != piecePackets.size())
        std::abort();
    for (qsizetype i = 0; i < wholePackets.size(); ++i) {
        if (!sameFields(wholePackets[i], piecePackets[i]))
            std::abort();
        const QByteArray again = reencode(wholePackets[i]);
        if (again.isEmpty())
            continue;
        Decoder check(Limit);
        if (!check.feed(again) || !check.hasPacket()
            || !sameFields(check.takePacket(), wholePackets[i]))
            std::abort();
    }
    return 0;
}
