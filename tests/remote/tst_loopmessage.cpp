// SPDX-License-Identifier: GPL-3.0-or-later
// Loop messages read the way the Belchertown page reads them (update_current_wx).
#include "remote/mqtt/loopmessage.h"

#include <QTest>

using wmw::mqtt::LoopMessage;

class tst_LoopMessage : public QObject
{
    Q_OBJECT

private slots:
    void unitSuffixes_data();
    void unitSuffixes();
    void kinds_data();
    void kinds();
};

void tst_LoopMessage::unitSuffixes_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("observation");
    QTest::addColumn<QString>("unit");
    QTest::newRow("outTemp_F") << QStringLiteral("outTemp_F") << QStringLiteral("outTemp")
                               << QStringLiteral("F");
    QTest::newRow("windSpeed_kph") << QStringLiteral("windSpeed_kph") << QStringLiteral("windSpeed")
                                   << QStringLiteral("kph");
    QTest::newRow("rainRate_inch_per_hour: a unit with underscores")
            << QStringLiteral("rainRate_inch_per_hour") << QStringLiteral("rainRate")
            << QStringLiteral("inch_per_hour");
    QTest::newRow("rainRate_cm_per_hour")
            << QStringLiteral("rainRate_cm_per_hour") << QStringLiteral("rainRate")
            << QStringLiteral("cm_per_hour");
    QTest::newRow("barometer_inHg") << QStringLiteral("barometer_inHg")
                                    << QStringLiteral("barometer") << QStringLiteral("inHg");
    QTest::newRow("radiation_Wpm2") << QStringLiteral("radiation_Wpm2")
                                    << QStringLiteral("radiation") << QStringLiteral("Wpm2");
    QTest::newRow("windDir: degree_compass has no suffix")
            << QStringLiteral("windDir") << QStringLiteral("windDir") << QStringLiteral("");
    QTest::newRow("outHumidity: percent has no suffix")
            << QStringLiteral("outHumidity") << QStringLiteral("outHumidity") << QStringLiteral("");
    QTest::newRow("pm2_5: an underscore that is no unit")
            << QStringLiteral("pm2_5") << QStringLiteral("pm2_5") << QStringLiteral("");
    QTest::newRow("pm2_5_F would still split")
            << QStringLiteral("pm2_5_F") << QStringLiteral("pm2_5") << QStringLiteral("F");
}

void tst_LoopMessage::unitSuffixes()
{
    QFETCH(QString, key);
    QFETCH(QString, observation);
    QFETCH(QString, unit);
    const auto reading = LoopMessage::splitKey(key);
    QCOMPARE(reading.observation, observation);
    QCOMPARE(reading.unit, unit);
}

void tst_LoopMessage::kinds_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<LoopMessage::Kind>("kind");
    QTest::addColumn<qint64>("dateTime");
    QTest::newRow("loop record with string values")
            << QByteArray(R"({"dateTime": "1795621431.0", "outTemp_F": "32.67"})")
            << LoopMessage::Kind::Loop << qint64(1795621431);
    QTest::newRow("archive record: interval_minute present")
            << QByteArray(R"({"dateTime": "1795621500.0", "interval_minute": "5.0"})")
            << LoopMessage::Kind::Archive << qint64(1795621500);
    QTest::newRow("numbers instead of strings still read")
            << QByteArray(R"({"dateTime": 1795621431, "outTemp_C": 0.4})")
            << LoopMessage::Kind::Loop << qint64(1795621431);
    QTest::newRow("not JSON") << QByteArray("22.5") << LoopMessage::Kind::NotJson << qint64(-1);
    QTest::newRow("JSON array") << QByteArray("[1,2]") << LoopMessage::Kind::NotObject
                                << qint64(-1);
}

void tst_LoopMessage::kinds()
{
    QFETCH(QByteArray, payload);
    QFETCH(LoopMessage::Kind, kind);
    QFETCH(qint64, dateTime);
    const LoopMessage message = LoopMessage::parse(payload);
    QCOMPARE(message.kind(), kind);
    if (dateTime >= 0)
        QCOMPARE(message.dateTime().toSecsSinceEpoch(), dateTime);
    else
        QVERIFY(!message.problem().isEmpty());
}

QTEST_GUILESS_MAIN(tst_LoopMessage)
#include "tst_loopmessage.moc"
