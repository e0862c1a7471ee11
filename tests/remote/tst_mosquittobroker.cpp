// SPDX-License-Identifier: GPL-3.0-or-later
// The broker fixture every broker test relies on: it starts a real mosquitto, and it reports
// the broker's own words when a config cannot start.
#include "support/mosquittobroker.h"

#include <QTest>

using wmw::test::MosquittoBroker;

class tst_MosquittoBroker : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void publishReachesSubscriber();
    void brokenConfigsReportTheBrokersReason_data();
    void brokenConfigsReportTheBrokersReason();
};

void tst_MosquittoBroker::init()
{
    const QString why = MosquittoBroker::unavailableReason();
    if (!why.isEmpty())
        QSKIP(qPrintable(why));
}

void tst_MosquittoBroker::publishReachesSubscriber()
{
    MosquittoBroker broker;
    QString error;
    QVERIFY2(broker.start(MosquittoBroker::standardConfig(), {}, &error), qPrintable(error));
    QVERIFY(broker.mqttPort() != broker.websocketPort());
    const QByteArray opened = QByteArray("Opening websockets listen socket on port ")
                              + QByteArray::number(broker.websocketPort());
    QVERIFY(broker.log().contains(opened));
    // A retained message waits for a subscriber that comes later, without timing games.
    const QByteArray payload = R"({"outTemp_F": "1"})";
    QCOMPARE(broker.publish(QStringLiteral("weather/loop"), payload, {}, {}, 0, true).exitCode, 0);
    const auto got = broker.subscribe(QStringLiteral("weather/loop"), 1, 5);
    QCOMPARE(got.exitCode, 0);
    QCOMPARE(got.out, payload + '\n');
    const auto none = broker.subscribe(QStringLiteral("weather/other"), 1, 1);
    QCOMPARE(none.exitCode, 27); // mosquitto_sub -W: timed out, nothing came
}

void tst_MosquittoBroker::brokenConfigsReportTheBrokersReason_data()
{
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QStringList>("rootOnly");
    QTest::addColumn<QString>("reason");
    const QByteArray listeners = MosquittoBroker::standardConfig();
    QTest::newRow("acl_file names a file that does not exist")
            << QByteArray(listeners + "acl_file ${DIR}/acl\n") << QStringList()
            << QStringLiteral("Error: Unable to open acl_file");
    QTest::newRow("password file unreadable for user mosquitto")
            << QByteArray(listeners + "password_file ${DIR}/passwd\n")
            << QStringList{QStringLiteral("passwd")}
            << QStringLiteral("Error: Unable to open pwfile");
    QTest::newRow("websockets alone cannot start")
            << QByteArray("listener ${WS_PORT} lo\nprotocol websockets\n") << QStringList()
            << QStringLiteral("Unable to start any listening sockets");
}

void tst_MosquittoBroker::brokenConfigsReportTheBrokersReason()
{
    QFETCH(QByteArray, config);
    QFETCH(QStringList, rootOnly);
    QFETCH(QString, reason);
    MosquittoBroker broker;
    QMap<QString, QByteArray> files;
    for (const QString &name : rootOnly)
        files.insert(name, "weemqtt:$7$101$iiCjLYdYRp9Ad4ti$KNwu1ipBnQuAaZQvWPscZBBEBq7TW5QSyl65sQl"
                           "sl5aXsr30V/Zr3xQn3tML6lNoiYbelXu7V1JMDUvTmOadTQ==\n");
    QString error;
    QVERIFY(!broker.start(config, files, &error, rootOnly));
    QVERIFY2(error.contains(reason), qPrintable(error));
    QVERIFY(!broker.isRunning());
}

QTEST_GUILESS_MAIN(tst_MosquittoBroker)
#include "tst_mosquittobroker.moc"
