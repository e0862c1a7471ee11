// SPDX-License-Identifier: GPL-3.0-or-later
// The MQTT 3.1.1 codec against the byte tables and examples of the OASIS specification
// (29 October 2014); section numbers in the row names.
#include "remote/mqtt/mqttcodec.h"

#include <QTest>

using namespace wmw::mqtt;

Q_DECLARE_METATYPE(wmw::mqtt::DecodeError)

namespace {
QByteArray hex(const char *text)
{
    return QByteArray::fromHex(QByteArray(text).replace(' ', ""));
}
} // namespace

class tst_MqttCodec : public QObject
{
    Q_OBJECT

private slots:
    void remainingLengthEncoding_data();
    void remainingLengthEncoding();
    void remainingLengthDecoding_data();
    void remainingLengthDecoding();
    void encoding_data();
    void encoding();
    void decodingServerPackets_data();
    void decodingServerPackets();
    void connectRoundTrip_data();
    void connectRoundTrip();
    void malformedInput_data();
    void malformedInput();
    void splitAtEveryByte();
    void oversizePacketIsRefusedBeforeItsBody();
    void decoderStaysFailedUntilReset();
    void topicFilterChecks_data();
    void topicFilterChecks();
};

// Spec 2.2.3, table 2.4: the boundaries of one to four remaining-length bytes.
void tst_MqttCodec::remainingLengthEncoding_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("2.2.3: 127 is one byte 0x7F") << 127 << hex("7F");
    QTest::newRow("2.2.3: 128 is 0x80 0x01") << 128 << hex("80 01");
    QTest::newRow("2.2.3: 16383 is 0xFF 0x7F") << 16383 << hex("FF 7F");
    QTest::newRow("2.2.3: 16384 is 0x80 0x80 0x01") << 16384 << hex("80 80 01");
    QTest::newRow("2.2.3: 2097151 is 0xFF 0xFF 0x7F") << 2097151 << hex("FF FF 7F");
    QTest::newRow("2.2.3: 2097152 is 0x80 0x80 0x80 0x01") << 2097152 << hex("80 80 80 01");
}

void tst_MqttCodec::remainingLengthEncoding()
{
    QFETCH(int, length);
    QFETCH(QByteArray, expected);
    // PUBLISH "a" at QoS 0: the body is 3 bytes of topic plus the payload. (Length 0 is
    // PINGREQ's, in encoding().)
    const QByteArray packet = encode::publish(QStringLiteral("a"), QByteArray(length - 3, 'x'));
    QCOMPARE(packet.mid(1, expected.size()), expected);
    QCOMPARE(packet.size(), 1 + expected.size() + length);
}

void tst_MqttCodec::remainingLengthDecoding_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::newRow("2.2.3: 268435455 is 0xFF 0xFF 0xFF 0x7F, the largest") << hex("30 FF FF FF 7F");
    QTest::newRow("2.2.3: 2097152 is 0x80 0x80 0x80 0x01") << hex("30 80 80 80 01");
    QTest::newRow("2.2.3: 16384 is 0x80 0x80 0x01") << hex("30 80 80 01");
}

void tst_MqttCodec::remainingLengthDecoding()
{
    QFETCH(QByteArray, header);
    // With the largest limit the header is accepted and the decoder waits for the body.
    Decoder decoder(268435455);
    QVERIFY2(decoder.feed(header), qPrintable(decoder.errorString()));
    QVERIFY(!decoder.hasPacket());
    QCOMPARE(decoder.bufferedBytes(), header.size());
}

void tst_MqttCodec::encoding_data()
{
    QTest::addColumn<QByteArray>("actual");
    QTest::addColumn<QByteArray>("expected");

    ConnectOptions minimal;
    minimal.clientId = QStringLiteral("a");
    minimal.keepAliveSeconds = 60;
    QTest::newRow("3.1: CONNECT, clean session, client id \"a\", keepalive 60")
            << encode::connect(minimal) << hex("10 0D 00 04 4D 51 54 54 04 02 00 3C 00 01 61");

    ConnectOptions withUser = minimal;
    withUser.keepAliveSeconds = 10;
    withUser.userName = QStringLiteral("u");
    withUser.password = QByteArray("p");
    QTest::newRow("3.1.2.8-9: CONNECT with user name and password sets flags 0xC2")
            << encode::connect(withUser)
            << hex("10 13 00 04 4D 51 54 54 04 C2 00 0A 00 01 61 00 01 75 00 01 70");

    ConnectOptions passwordOnly = minimal;
    passwordOnly.password = QByteArray("p");
    QTest::newRow("MQTT-3.1.2-22: a password without a user name is not sent")
            << encode::connect(passwordOnly) << encode::connect(minimal);

    // Figure 1.3: "A" U+2A6D4 is 0x00 0x05 0x41 0xF0 0xAA 0x9B 0x94.
    QTest::newRow("1.5.3 figure 1.3: topic \"A\\U0002A6D4\" as UTF-8")
            << encode::publish(QStringLiteral(u"A\U0002A6D4"), {})
            << hex("30 07 00 05 41 F0 AA 9B 94");
    // 3.3.2.3 example: topic "a/b", packet identifier 10.
    QTest::newRow("3.3.2.3: PUBLISH QoS 1, topic a/b, id 10")
            << encode::publish(QStringLiteral("a/b"), QByteArray("x"), 1, 10)
            << hex("32 08 00 03 61 2F 62 00 0A 78");
    QTest::newRow("3.3.1: PUBLISH QoS 0 retained has flags 0001")
            << encode::publish(QStringLiteral("a/b"), QByteArray("x"), 0, 0, true)
            << hex("31 06 00 03 61 2F 62 78");
    QTest::newRow("3.4: PUBACK id 10") << encode::puback(10) << hex("40 02 00 0A");
    // 3.8.3 example: "a/b" QoS 1 and "c/d" QoS 2; MQTT-3.8.1-1 flags 0010.
    QTest::newRow("3.8.3: SUBSCRIBE a/b QoS 1, c/d QoS 2, id 10")
            << encode::subscribe(10, {{QStringLiteral("a/b"), 1}, {QStringLiteral("c/d"), 2}})
            << hex("82 0E 00 0A 00 03 61 2F 62 01 00 03 63 2F 64 02");
    QTest::newRow("3.9.3 figure 3.26: SUBACK 0, 1, 2, 0x80")
            << encode::suback(10, {0, 1, 2, SubackFailure}) << hex("90 06 00 0A 00 01 02 80");
    QTest::newRow("3.10: UNSUBSCRIBE a/b, id 10")
            << encode::unsubscribe(10, {QStringLiteral("a/b")})
            << hex("A2 07 00 0A 00 03 61 2F 62");
    QTest::newRow("3.2: CONNACK accepted") << encode::connack(false, 0) << hex("20 02 00 00");
    QTest::newRow("3.12: PINGREQ") << encode::pingreq() << hex("C0 00");
    QTest::newRow("3.13: PINGRESP") << encode::pingresp() << hex("D0 00");
    QTest::newRow("3.14: DISCONNECT") << encode::disconnect() << hex("E0 00");
}

void tst_MqttCodec::encoding()
{
    QFETCH(QByteArray, actual);
    QFETCH(QByteArray, expected);
    QCOMPARE(actual.toHex(' '), expected.toHex(' '));
}

void tst_MqttCodec::decodingServerPackets_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("packetId");
    QTest::addColumn<int>("returnCode");
    QTest::addColumn<QList<quint8>>("returnCodes");
    QTest::addColumn<QString>("topic");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("qos");

    const int connack = int(PacketType::Connack);
    for (int code = 0; code <= 5; ++code)
        QTest::addRow("3.2.2.3: CONNACK return code %d", code)
                << hex("20 02 00") + char(code) << connack << 0 << code << QList<quint8>{}
                << QString() << QByteArray() << 0;
    QTest::newRow("3.9.3: SUBACK with the failure code 0x80")
            << hex("90 03 00 01 80") << int(PacketType::Suback) << 1 << 0
            << QList<quint8>{SubackFailure} << QString() << QByteArray() << 0;
    QTest::newRow("3.9.3: SUBACK granting QoS 0, 1, 2")
            << hex("90 05 12 34 00 01 02") << int(PacketType::Suback) << 0x1234 << 0
            << QList<quint8>{0, 1, 2} << QString() << QByteArray() << 0;
    QTest::newRow("3.3: PUBLISH QoS 0 weather/loop with JSON")
            << hex("30 17 00 0C") + QByteArray("weather/loop{\"a\":\"1\"}")
            << int(PacketType::Publish) << 0 << 0 << QList<quint8>{}
            << QStringLiteral("weather/loop") << QByteArray("{\"a\":\"1\"}") << 0;
    QTest::newRow("3.3: PUBLISH QoS 1 carries a packet id")
            << hex("32 08 00 03 61 2F 62 00 0A 78") << int(PacketType::Publish) << 10 << 0
            << QList<quint8>{} << QStringLiteral("a/b") << QByteArray("x") << 1;
    QTest::newRow("3.3: PUBLISH with an empty payload")
            << hex("30 05 00 03 61 2F 62") << int(PacketType::Publish) << 0 << 0 << QList<quint8>{}
            << QStringLiteral("a/b") << QByteArray() << 0;
    QTest::newRow("3.13: PINGRESP") << hex("D0 00") << int(PacketType::Pingresp) << 0 << 0
                                    << QList<quint8>{} << QString() << QByteArray() << 0;
    QTest::newRow("3.11: UNSUBACK") << hex("B0 02 00 07") << int(PacketType::Unsuback) << 7 << 0
                                    << QList<quint8>{} << QString() << QByteArray() << 0;
}

void tst_MqttCodec::decodingServerPackets()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, type);
    QFETCH(int, packetId);
    QFETCH(int, returnCode);
    QFETCH(QList<quint8>, returnCodes);
    QFETCH(QString, topic);
    QFETCH(QByteArray, payload);
    QFETCH(int, qos);
    Decoder decoder;
    QVERIFY2(decoder.feed(bytes), qPrintable(decoder.errorString()));
    QVERIFY(decoder.hasPacket());
    const Packet packet = decoder.takePacket();
    QVERIFY(!decoder.hasPacket());
    QCOMPARE(int(packet.type), type);
    QCOMPARE(int(packet.packetId), packetId);
    QCOMPARE(int(packet.returnCode), returnCode);
    QCOMPARE(packet.returnCodes, returnCodes);
    QCOMPARE(packet.topic, topic);
    QCOMPARE(packet.payload, payload);
    QCOMPARE(int(packet.qos), qos);
    QCOMPARE(decoder.bufferedBytes(), 0);
}

void tst_MqttCodec::connectRoundTrip_data()
{
    QTest::addColumn<bool>("withUser");
    QTest::addColumn<bool>("withWill");
    QTest::newRow("anonymous, no will") << false << false;
    QTest::newRow("user and password") << true << false;
    QTest::newRow("3.1.2.2 figure 3.6 flags 0xCE: user, password, will QoS 1, clean")
            << true << true;
}

void tst_MqttCodec::connectRoundTrip()
{
    QFETCH(bool, withUser);
    QFETCH(bool, withWill);
    ConnectOptions options;
    options.clientId = QStringLiteral("website123456789");
    options.keepAliveSeconds = 10;
    if (withUser) {
        options.userName = QStringLiteral("weewx-web");
        options.password = QByteArray("p\xc3\xa4ss:word");
    }
    if (withWill) {
        options.willTopic = QStringLiteral("status/x");
        options.willMessage = QByteArray("gone");
        options.willQos = 1;
    }
    const QByteArray bytes = encode::connect(options);
    if (withUser && withWill) // figure 3.6: connect flags byte
        QCOMPARE(quint8(bytes.at(9)), quint8(0xCE));
    Decoder decoder;
    QVERIFY2(decoder.feed(bytes), qPrintable(decoder.errorString()));
    const Packet packet = decoder.takePacket();
    QCOMPARE(packet.type, PacketType::Connect);
    QCOMPARE(packet.returnCode, quint8(4)); // protocol level
    QCOMPARE(packet.connect.clientId, options.clientId);
    QCOMPARE(packet.connect.keepAliveSeconds, quint16(10));
    QCOMPARE(packet.connect.cleanSession, true);
    QCOMPARE(packet.connect.userName, options.userName);
    QCOMPARE(packet.connect.password, options.password);
    QCOMPARE(packet.connect.willTopic, options.willTopic);
    QCOMPARE(packet.connect.willMessage, options.willMessage);
    QCOMPARE(packet.connect.willQos, options.willQos);
}

void tst_MqttCodec::malformedInput_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<DecodeError>("error");
    QTest::addColumn<QString>("message");

    QTest::newRow("2.2.1: packet type 0 is reserved")
            << hex("00 00") << DecodeError::ReservedPacketType << QStringLiteral("Reserved");
    QTest::newRow("2.2.1: packet type 15 is reserved")
            << hex("F0 00") << DecodeError::ReservedPacketType << QStringLiteral("Reserved");
    QTest::newRow("MQTT-2.2.2-2: CONNACK with flags 0001")
            << hex("21 02 00 00") << DecodeError::BadFlags << QStringLiteral("CONNACK");
    QTest::newRow("MQTT-3.8.1-1: SUBSCRIBE with flags 0000")
            << hex("80 06 00 01 00 01 61 00") << DecodeError::BadFlags
            << QStringLiteral("SUBSCRIBE");
    QTest::newRow("MQTT-3.3.1-4: PUBLISH with QoS 3")
            << hex("36 05 00 03 61 2F 62") << DecodeError::BadFlags << QStringLiteral("QoS 3");
    QTest::newRow("MQTT-3.3.1-2: PUBLISH QoS 0 with DUP")
            << hex("38 05 00 03 61 2F 62") << DecodeError::BadFlags << QStringLiteral("DUP");
    QTest::newRow("2.2.3: a fifth remaining-length byte")
            << hex("30 FF FF FF FF 01") << DecodeError::BadRemainingLength
            << QStringLiteral("four bytes");
    QTest::newRow("1.5.3: topic length beyond the packet")
            << hex("30 04 00 09 61 62") << DecodeError::Truncated << QStringLiteral("runs past");
    QTest::newRow("3.3.2.2: PUBLISH QoS 1 without its packet id")
            << hex("32 05 00 03 61 2F 62") << DecodeError::Truncated << QStringLiteral("PUBLISH");
    QTest::newRow("3.2: CONNACK one byte short")
            << hex("20 01 00") << DecodeError::Truncated << QStringLiteral("CONNACK");
    QTest::newRow("MQTT-1.5.3-1: ill-formed UTF-8 in a topic")
            << hex("30 04 00 02 C3 28") << DecodeError::BadUtf8 << QStringLiteral("UTF-8");
    QTest::newRow("MQTT-1.5.3-1: an encoded surrogate U+D800")
            << hex("30 05 00 03 ED A0 80") << DecodeError::BadUtf8 << QStringLiteral("UTF-8");
    QTest::newRow("MQTT-1.5.3-2: U+0000 in a topic")
            << hex("30 05 00 03 61 00 62") << DecodeError::BadUtf8 << QStringLiteral("U+0000");
    QTest::newRow("MQTT-3.3.2-2: wildcard in a PUBLISH topic")
            << hex("30 05 00 03 61 2F 23") << DecodeError::Malformed << QStringLiteral("wildcard");
    QTest::newRow("MQTT-2.3.1-1: SUBACK with packet id 0")
            << hex("90 03 00 00 00") << DecodeError::Malformed << QStringLiteral("identifier 0");
    QTest::newRow("3.9.3: SUBACK return code 0x03")
            << hex("90 03 00 01 03") << DecodeError::Malformed << QStringLiteral("0x03");
    QTest::newRow("3.2.2.1: CONNACK reserved acknowledge flags")
            << hex("20 02 02 00") << DecodeError::Malformed << QStringLiteral("reserved");
    QTest::newRow("MQTT-3.2.2-4: session present with a refusal")
            << hex("20 02 01 05") << DecodeError::Malformed << QStringLiteral("session present");
    QTest::newRow("3.12: PINGRESP with a body")
            << hex("D0 01 00") << DecodeError::Malformed << QStringLiteral("left over");
    QTest::newRow("3.1.2.1: CONNECT with protocol name MQIsdp")
            << hex("10 0F 00 06 4D 51 49 73 64 70 03 02 00 3C 00 01 61") << DecodeError::Malformed
            << QStringLiteral("MQIsdp");
    QTest::newRow("MQTT-3.1.2-22: CONNECT with a password but no user name")
            << hex("10 10 00 04 4D 51 54 54 04 42 00 3C 00 01 61 00 01 70")
            << DecodeError::Malformed << QStringLiteral("password without a user name");
    QTest::newRow("plain HTTP on an MQTT decoder: 'G' is a PUBACK with flags 0111")
            << QByteArray("GET /mqtt HTTP/1.1\r\n") << DecodeError::BadFlags
            << QStringLiteral("PUBACK");
}

void tst_MqttCodec::malformedInput()
{
    QFETCH(QByteArray, bytes);
    QFETCH(DecodeError, error);
    QFETCH(QString, message);
    Decoder decoder;
    QVERIFY(!decoder.feed(bytes));
    QCOMPARE(decoder.error(), error);
    QVERIFY2(decoder.errorString().contains(message), qPrintable(decoder.errorString()));
    QVERIFY(!decoder.hasPacket());
    QCOMPARE(decoder.bufferedBytes(), 0);
}

// A websocket message may end inside a packet or hold several: every split gives the same.
void tst_MqttCodec::splitAtEveryByte()
{
    const QByteArray stream =
            encode::connack(false, 0) + encode::suback(1, {0})
            + encode::publish(QStringLiteral("weather/loop"), QByteArray(300, 'j'))
            + encode::pingresp() + encode::publish(QStringLiteral("a"), "b", 1, 2);
    for (qsizetype split = 0; split <= stream.size(); ++split) {
        Decoder decoder;
        QVERIFY(decoder.feed(QByteArrayView(stream).first(split)));
        QVERIFY(decoder.feed(QByteArrayView(stream).sliced(split)));
        const QList<Packet> packets = decoder.takePackets();
        QCOMPARE(packets.size(), 5);
        QCOMPARE(packets[0].type, PacketType::Connack);
        QCOMPARE(packets[1].type, PacketType::Suback);
        QCOMPARE(packets[2].payload.size(), 300);
        QCOMPARE(packets[3].type, PacketType::Pingresp);
        QCOMPARE(packets[4].packetId, quint16(2));
        QCOMPARE(decoder.bufferedBytes(), 0);
    }
    Decoder byteByByte;
    for (char byte : stream)
        QVERIFY(byteByByte.feed(QByteArrayView(&byte, 1)));
    QCOMPARE(byteByByte.takePackets().size(), 5);
}

void tst_MqttCodec::oversizePacketIsRefusedBeforeItsBody()
{
    Decoder decoder(1024);
    // Announces 2 MB; only the header has arrived, and it is refused already.
    QVERIFY(!decoder.feed(hex("30 80 80 80 01")));
    QCOMPARE(decoder.error(), DecodeError::PacketTooLarge);
    QVERIFY(decoder.errorString().contains(QStringLiteral("1024")));
    QCOMPARE(decoder.bufferedBytes(), 0);

    Decoder exact(1024);
    QVERIFY(exact.feed(encode::publish(QStringLiteral("a"), QByteArray(1024 - 3, 'x'))));
    QCOMPARE(exact.takePackets().size(), 1);
}

void tst_MqttCodec::decoderStaysFailedUntilReset()
{
    Decoder decoder;
    QVERIFY(!decoder.feed(hex("00 00")));
    QVERIFY(!decoder.feed(encode::pingresp()));
    QVERIFY(!decoder.hasPacket());
    decoder.reset();
    QVERIFY(decoder.feed(encode::pingresp()));
    QVERIFY(decoder.hasPacket());
}

void tst_MqttCodec::topicFilterChecks_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<bool>("valid");
    QTest::newRow("weather/loop") << QStringLiteral("weather/loop") << true;
    QTest::newRow("4.7.1.2: # alone") << QStringLiteral("#") << true;
    QTest::newRow("4.7.1.2: weather/# ") << QStringLiteral("weather/#") << true;
    QTest::newRow("4.7.1.3: +/loop") << QStringLiteral("+/loop") << true;
    QTest::newRow("4.7.1.3: weather/+/x") << QStringLiteral("weather/+/x") << true;
    QTest::newRow("4.7.3: leading slash is a level") << QStringLiteral("/weather") << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("4.7.1.2: weather# ") << QStringLiteral("weather#") << false;
    QTest::newRow("4.7.1.2: #/loop") << QStringLiteral("#/loop") << false;
    QTest::newRow("4.7.1.3: weather+") << QStringLiteral("weather+") << false;
    QTest::newRow("MQTT-4.7.3-2: U+0000") << QStringLiteral(u"a\u0000b") << false;
}

void tst_MqttCodec::topicFilterChecks()
{
    QFETCH(QString, filter);
    QFETCH(bool, valid);
    const QString problem = Check::topicFilter(filter);
    QCOMPARE(problem.isEmpty(), valid);
}

QTEST_GUILESS_MAIN(tst_MqttCodec)
#include "tst_mqttcodec.moc"
