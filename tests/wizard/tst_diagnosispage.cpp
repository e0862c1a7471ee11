// SPDX-License-Identifier: GPL-3.0-or-later
// The Diagnosis page: a simulated Pi with a fault, diagnosed through the page over the Pi
// connection page's session, shows that finding as a failure in the list and breaks its
// link of the chain; the demo report renders offline, and "fix it" jumps to the provisioning
// page holding the field with the hint's value filled in.
#include "../remote/diagnosisfixture.h"
#include "support/simulatedpi.h"
#include "wizard/diagnosisdemo.h"
#include "wizard/diagnosisrun.h"
#include "wizard/mainwizard.h"
#include "wizard/secretstore.h"
#include "wizard/welcomepage.h"
#include "wizard/widgets/chainwidget.h"
#include "wizard/wizardcontroller.h"

#include <QAbstractButton>
#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

using wmw::ChainLink;
using wmw::DiagnosisRun;
using wmw::LiveStatus;
using wmw::MainWizard;
using wmw::WizardController;
using wmw::test::SimulatedPi;

namespace {

QWidget *card(QWizardPage *page, const QString &id)
{
    return page->findChild<QWidget *>(QStringLiteral("finding:") + id);
}

QString severityOf(QWidget *card)
{
    return card->findChild<QLabel *>(QStringLiteral("severity"))->property("severity").toString();
}

ChainLink::State linkState(QWizardPage *page, int link)
{
    return page->findChild<wmw::ChainWidget *>()->links().at(link).state;
}

void chooseJob(MainWizard &wizard, MainWizard::Job job)
{
    qobject_cast<wmw::WelcomePage *>(wizard.page(MainWizard::Welcome))->setJob(job);
}

} // namespace

class tst_DiagnosisPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void chainMarksTheLinksFindingsBreak();
    void demoReportRendersOffline();
    void fixItJumpsToThePageOfTheField();
    void diagnosesASimulatedPiWithAFault();

private:
    QTemporaryDir m_config;
};

void tst_DiagnosisPage::initTestCase()
{
    qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit());
}

void tst_DiagnosisPage::chainMarksTheLinksFindingsBreak()
{
    wmw::config::StationProfile profile;
    profile.piHost = QStringLiteral("weatherpi.local");
    const wmw::diagnosis::DiagnosisReport report = wmw::demoDiagnosisReport(profile);
    const QList<ChainLink> chain = DiagnosisRun::chainOf(report);
    QCOMPARE(chain.size(), LiveStatus::linkCount);
    // The live check got as far as the subscription: the links before it are proven.
    for (int link :
         {LiveStatus::Name, LiveStatus::TcpPort, LiveStatus::WebSocket, LiveStatus::Login})
        QCOMPARE(chain.at(link).state, ChainLink::State::Ok);
    QCOMPARE(chain.at(LiveStatus::Subscription).state, ChainLink::State::Failed);
    QCOMPARE(chain.at(LiveStatus::Subscription).reason,
             QStringLiteral("The ACL does not let the page's user read the page's topic"));
    QCOMPARE(chain.at(LiveStatus::Weewx).state, ChainLink::State::Failed);
    QCOMPARE(chain.at(LiveStatus::Broker).state, ChainLink::State::Ok);
    // No login, no facts: nothing is known about any link.
    wmw::diagnosis::DiagnosisReport noLogin;
    wmw::diagnosis::Finding ssh;
    ssh.id = QStringLiteral("ssh-connection");
    ssh.severity = wmw::diagnosis::Severity::Fail;
    noLogin.findings = {ssh};
    for (const ChainLink &link : DiagnosisRun::chainOf(noLogin))
        QCOMPARE(link.state, ChainLink::State::Pending);
}

void tst_DiagnosisPage::demoReportRendersOffline()
{
    WizardController controller(std::make_unique<wmw::MemorySecretStore>());
    controller.setOffline(true);
    MainWizard wizard(&controller);
    chooseJob(wizard, MainWizard::Job::Diagnose);
    wizard.setStartId(MainWizard::Diagnosis);
    wizard.restart();
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    QWizardPage *page = wizard.currentPage();
    QWidget *acl = card(page, QStringLiteral("web-acl-denies-page-topic"));
    QVERIFY(acl);
    QCOMPARE(severityOf(acl), QStringLiteral("fail"));
    // A failure opens with its evidence and fix.
    auto *body = acl->findChild<QLabel *>(QStringLiteral("body"));
    QVERIFY(body->isVisible());
    QVERIFY(body->text().contains(QStringLiteral("Fix:")));
    QWidget *locale = card(page, QStringLiteral("locale-invalid"));
    QCOMPARE(severityOf(locale), QStringLiteral("warn"));
    QVERIFY(!locale->findChild<QLabel *>(QStringLiteral("body"))->isVisible());
    QTest::mouseClick(locale->findChild<QAbstractButton *>(QStringLiteral("expand")),
                      Qt::LeftButton);
    QVERIFY(locale->findChild<QLabel *>(QStringLiteral("body"))->isVisible());
    // Passes are folded into one line.
    QVERIFY(!card(page, QStringLiteral("broker-not-running")));
    QVERIFY(page->findChild<QAbstractButton *>(QStringLiteral("passedChecks"))
                    ->text()
                    .contains(QStringLiteral("passed")));
    QVERIFY(page->findChild<QLabel *>(QStringLiteral("diagnosisSummary"))
                    ->text()
                    .contains(QStringLiteral("failure")));
    QCOMPARE(linkState(page, LiveStatus::Subscription), ChainLink::State::Failed);

    // The saved report masks the page's password, which the demo's evidence never shows.
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("report.html"));
    QCOMPARE(controller.diagnosisRun()->saveReport(path), QString());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("web-acl-denies-page-topic"));
}

void tst_DiagnosisPage::fixItJumpsToThePageOfTheField()
{
    WizardController controller(std::make_unique<wmw::MemorySecretStore>());
    controller.setOffline(true);
    wmw::config::StationProfile profile;
    profile.piHost = QStringLiteral("weatherpi.local");
    profile.sshUser = QStringLiteral("pi");
    profile.serverUrlHost = QStringLiteral("192.168.1.20");
    controller.replaceProfile(profile, {});
    MainWizard wizard(&controller);
    chooseJob(wizard, MainWizard::Job::Diagnose);
    wizard.setStartId(MainWizard::Diagnosis);
    wizard.restart();
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    QWizardPage *page = wizard.currentPage();
    auto *body = card(page, QStringLiteral("server-url-no-port"))
                         ->findChild<QLabel *>(QStringLiteral("body"));
    QVERIFY(body->text().contains(QStringLiteral("fixit:server-url-no-port")));
    QVERIFY2(body->text().contains(QStringLiteral("WeeWX")), qPrintable(body->text()));

    QMetaObject::invokeMethod(body, "linkActivated",
                              Q_ARG(QString, QStringLiteral("fixit:server-url-no-port")));
    QCOMPARE(wizard.currentId(), int(MainWizard::Weewx));
    // The hint's value is filled in and its field has the focus.
    QCOMPARE(controller.profile().serverUrlHost, QStringLiteral("localhost"));
    auto *field = wizard.currentPage()->findChild<QLineEdit *>(QStringLiteral("serverUrlHost"));
    QCOMPARE(field->text(), QStringLiteral("localhost"));
    QTRY_VERIFY(field->hasFocus());
    // From here the provisioning flow goes on; Back returns to the report.
    QCOMPARE(wizard.nextId(), int(MainWizard::Review));
    wizard.back();
    QCOMPARE(wizard.currentId(), int(MainWizard::Diagnosis));
}

void tst_DiagnosisPage::diagnosesASimulatedPiWithAFault()
{
    if (const QString why = SimulatedPi::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    SimulatedPi pi;
    QString error;
    QVERIFY2(pi.start(&error), qPrintable(error));
    const wmw::test::Station station = wmw::test::healthyStation(pi);
    QVERIFY2(wmw::test::provision(pi, station, &error), qPrintable(error));
    QVERIFY2(pi.injectFault(QStringLiteral("no-websockets-listener"), &error), qPrintable(error));

    WizardController controller(std::make_unique<wmw::MemorySecretStore>());
    controller.setSshEnvironment({pi.knownHostsFile(), QString(), QString(), false});
    wmw::config::StationProfile profile = station.profile;
    wmw::config::Secrets secrets;
    secrets.sudoPassword = QString::fromUtf8(pi.password());
    controller.replaceProfile(profile, secrets);
    controller.setSshAuth(WizardController::SshAuth::KeyFile, pi.clientKeyFile());
    // The stand-in publishes every 2 s: 10 s of silence is a verdict.
    controller.setDiagnosisLiveTimeout(10000);

    MainWizard wizard(&controller);
    chooseJob(wizard, MainWizard::Job::Diagnose);
    wizard.setStartId(MainWizard::PiConnection);
    wizard.restart();
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    QWizardPage *connection = wizard.currentPage();
    QTest::mouseClick(connection->findChild<QAbstractButton *>(QStringLiteral("testConnection")),
                      Qt::LeftButton);
    auto *status = connection->findChild<QLabel *>(QStringLiteral("connectionStatus"));
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("sudo works")), 60000);
    QTest::mouseClick(wizard.button(QWizard::NextButton), Qt::LeftButton);
    QCOMPARE(wizard.currentId(), int(MainWizard::Diagnosis));
    QWizardPage *page = wizard.currentPage();

    // While it runs: progress shown, and it can be cancelled.
    auto *run = page->findChild<QPushButton *>(QStringLiteral("diagnoseButton"));
    QVERIFY(controller.diagnosisRun()->isRunning());
    QVERIFY(run->text().contains(QStringLiteral("Cancel")));
    QTest::mouseClick(run, Qt::LeftButton);
    QTRY_COMPARE(controller.diagnosisRun()->state(), DiagnosisRun::State::Cancelled);
    QVERIFY(page->findChild<QLabel *>(QStringLiteral("diagnosisProgress"))
                    ->text()
                    .contains(QStringLiteral("cancelled")));

    // Again, to the end: the fault is in the list as a failure, its link of the chain broken.
    QTest::mouseClick(run, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(controller.diagnosisRun()->state() == DiagnosisRun::State::Finished,
                             180000);
    QWidget *finding = card(page, QStringLiteral("no-websockets-listener"));
    QVERIFY2(finding, qPrintable(wmw::diagnosis::ReportWriter::summary(
                              controller.diagnosisRun()->report())));
    QCOMPARE(severityOf(finding), QStringLiteral("fail"));
    // A widget added to a shown layout is shown by a queued call: after the next event round.
    QTRY_VERIFY(finding->findChild<QLabel *>(QStringLiteral("body"))->isVisible());
    QCOMPARE(linkState(page, LiveStatus::TcpPort), ChainLink::State::Failed);
    // The connection page's session was used: no second login.
    QVERIFY(!controller.diagnosisRun()->log().join(u'\n').contains(QStringLiteral("over SSH")));

    // The saved report holds no password.
    QTemporaryDir dir;
    for (const QString &name : {QStringLiteral("report.md"), QStringLiteral("report.html")}) {
        const QString path = dir.filePath(name);
        QCOMPARE(controller.diagnosisRun()->saveReport(path), QString());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.contains("no-websockets-listener"));
        QVERIFY(!bytes.contains(station.secrets.webPassword.toUtf8()));
        QVERIFY(!bytes.contains(station.secrets.publishPassword.toUtf8()));
        QVERIFY(!bytes.contains(pi.password()));
        QVERIFY(!bytes.contains("$7$"));
    }
}

QTEST_MAIN(tst_DiagnosisPage)
#include "tst_diagnosispage.moc"
