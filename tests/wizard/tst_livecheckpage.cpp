// SPDX-License-Identifier: GPL-3.0-or-later
// The live-check page against a real mosquitto: it reaches "receiving" with the readings of a
// published loop packet, and for a port where nothing listens it marks the TCP link red.
#include "support/mosquittobroker.h"
#include "wizard/livemonitor.h"
#include "wizard/mainwizard.h"
#include "wizard/secretstore.h"
#include "wizard/widgets/chainwidget.h"
#include "wizard/widgets/livechart.h"
#include "wizard/wizardcontroller.h"

#include <QLabel>
#include <QTemporaryDir>
#include <QTest>

using wmw::ChainLink;
using wmw::ChainWidget;
using wmw::LiveStatus;
using wmw::MainWizard;
using wmw::WizardController;
using wmw::test::MosquittoBroker;

class tst_LiveCheckPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void receivesReadingsFromARealBroker();
    void wrongPortMarksTheTcpLink();

private:
    QTemporaryDir m_config;
};

namespace {
wmw::config::StationProfile profileFor(quint16 websocketPort)
{
    wmw::config::StationProfile p;
    p.piHost = QStringLiteral("127.0.0.1");
    p.sshUser = QStringLiteral("pi");
    p.websocketPort = websocketPort;
    return p;
}

ChainLink::State linkState(const MainWizard &wizard, int link)
{
    return wizard.currentPage()->findChild<ChainWidget *>()->links().at(link).state;
}
} // namespace

void tst_LiveCheckPage::initTestCase()
{
    qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit());
    if (const QString why = MosquittoBroker::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
}

void tst_LiveCheckPage::receivesReadingsFromARealBroker()
{
    MosquittoBroker broker;
    QString error;
    QVERIFY2(broker.start(MosquittoBroker::standardConfig(), {}, &error), qPrintable(error));

    WizardController controller(std::make_unique<wmw::MemorySecretStore>());
    // The standard broker lets anonymous clients in: no web password, no login.
    controller.replaceProfile(profileFor(broker.websocketPort()), {});
    MainWizard wizard(&controller);
    wizard.setStartId(MainWizard::LiveCheck);
    wizard.restart(); // the page starts the check when it is shown
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));

    auto *banner = wizard.currentPage()->findChild<QLabel *>(QStringLiteral("liveBanner"));
    QTRY_VERIFY_WITH_TIMEOUT(banner->text().contains(QStringLiteral("Waiting for data")), 15000);
    QCOMPARE(linkState(wizard, LiveStatus::Subscription), ChainLink::State::Ok);
    QCOMPARE(linkState(wizard, LiveStatus::Data), ChainLink::State::Active);

    const QByteArray loop = R"({"dateTime": "1764086890.0", "outTemp_C": "21.4",
        "outHumidity": "80.0", "windSpeed_kph": "12.0", "windDir": "225.0",
        "barometer_mbar": "1013.2", "dayRain_cm": "0.2", "usUnits": "16.0"})";
    QCOMPARE(broker.publish(QStringLiteral("weather/loop"), loop).exitCode, 0);

    QTRY_VERIFY_WITH_TIMEOUT(banner->text().contains(QStringLiteral("Data received")), 15000);
    for (int link = 0; link < LiveStatus::linkCount; ++link)
        QCOMPARE(linkState(wizard, link), ChainLink::State::Ok);
    auto reading = [&wizard](int i) {
        return wizard.currentPage()
                ->findChild<QLabel *>(QStringLiteral("reading%1").arg(i))
                ->text();
    };
    QVERIFY2(reading(0).contains(QStringLiteral("21.4"))
                     && reading(0).contains(QStringLiteral("°C")),
             qPrintable(reading(0)));
    QVERIFY2(reading(1).contains(QStringLiteral("80")) && reading(1).contains(u'%'),
             qPrintable(reading(1)));
    QVERIFY2(reading(2).contains(QStringLiteral("12.0"))
                     && reading(2).contains(QStringLiteral("km/h")),
             qPrintable(reading(2)));
    QVERIFY2(reading(3).contains(QStringLiteral("1013.2"))
                     && reading(3).contains(QStringLiteral("mbar")),
             qPrintable(reading(3)));
    QVERIFY2(reading(4).contains(QStringLiteral("0.2"))
                     && reading(4).contains(QStringLiteral("cm")),
             qPrintable(reading(4)));
    auto *chart = wizard.currentPage()->findChild<wmw::LiveChart *>(QStringLiteral("chart0"));
    QCOMPARE(chart->points().size(), 1);

    // A second packet: the readings follow and the chart grows.
    QByteArray next = loop;
    next.replace("21.4", "21.9");
    QCOMPARE(broker.publish(QStringLiteral("weather/loop"), next).exitCode, 0);
    QTRY_VERIFY_WITH_TIMEOUT(reading(0).contains(QStringLiteral("21.9")), 15000);
    QCOMPARE(chart->points().size(), 2);
    QVERIFY(!wizard.currentPage()->findChild<QLabel *>(QStringLiteral("liveFailure"))->isVisible());
}

void tst_LiveCheckPage::wrongPortMarksTheTcpLink()
{
    WizardController controller(std::make_unique<wmw::MemorySecretStore>());
    // A loopback port that nothing listens on: the TCP connection is refused.
    controller.replaceProfile(profileFor(MosquittoBroker::freePort()), {});
    MainWizard wizard(&controller);
    wizard.setStartId(MainWizard::LiveCheck);
    wizard.restart();
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));

    auto *failure = wizard.currentPage()->findChild<QLabel *>(QStringLiteral("liveFailure"));
    QTRY_VERIFY_WITH_TIMEOUT(failure->isVisible(), 15000);
    QCOMPARE(linkState(wizard, LiveStatus::Name), ChainLink::State::Ok);
    QCOMPARE(linkState(wizard, LiveStatus::TcpPort), ChainLink::State::Failed);
    QCOMPARE(linkState(wizard, LiveStatus::WebSocket), ChainLink::State::Pending);
    auto *chain = wizard.currentPage()->findChild<ChainWidget *>();
    QVERIFY2(chain->failureText().startsWith(QStringLiteral("TCP port: ")),
             qPrintable(chain->failureText()));
    QVERIFY(chain->failureText().contains(QStringLiteral("connection refused")));
    QVERIFY2(failure->text().contains(QStringLiteral("TCP connection")),
             qPrintable(failure->text()));
    QVERIFY(failure->text().contains(QStringLiteral("Fix:")));
    auto *banner = wizard.currentPage()->findChild<QLabel *>(QStringLiteral("liveBanner"));
    QVERIFY(banner->text().contains(QStringLiteral("Failed connecting")));
}

QTEST_MAIN(tst_LiveCheckPage)
#include "tst_livecheckpage.moc"
