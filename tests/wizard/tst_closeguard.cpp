// SPDX-License-Identifier: GPL-3.0-or-later
// Closing the window while the wizard works on a simulated Pi: an apply still preparing is
// stopped after the user agrees, and no staged file (password hashes, weewx.conf's passwords)
// is left on the Pi when the window closes; past the point of no return the window refuses to
// close until the Pi has finished; a diagnosis is cancelled.
#include "support/simulatedpi.h"
#include "wizard/connectiontest.h"
#include "wizard/diagnosisrun.h"
#include "wizard/mainwizard.h"
#include "wizard/provisioningflow.h"
#include "wizard/secretstore.h"
#include "wizard/wizardcontroller.h"

#include <QAbstractButton>
#include <QApplication>
#include <QLabel>
#include <QMessageBox>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using wmw::MainWizard;
using wmw::WizardController;
using wmw::test::SimulatedPi;

namespace {
/// Answers the next message box that opens with `button`; its text lands in `text`.
void answerNextMessageBox(QMessageBox::StandardButton button, QString *text)
{
    auto *timer = new QTimer;
    timer->setInterval(10);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, button, text] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box)
            return;
        *text = box->text();
        timer->stop();
        timer->deleteLater();
        if (QAbstractButton *answer = box->button(button))
            answer->click();
        else
            box->reject(); // another box than expected: the text tells the test
    });
    timer->start();
}
} // namespace

class tst_CloseGuard : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void closingWhileDiagnosingCancelsTheDiagnosis();
    void closingAfterThePointOfNoReturnWaitsForThePi();
    void closingBeforeThePointOfNoReturnStopsAndCleansUp();

private:
    std::unique_ptr<WizardController> makeController();
    bool connectController(WizardController &controller);
    QStringList stagingEntries() const;

    QTemporaryDir m_config;
    QTemporaryDir m_sshDir;
    SimulatedPi m_pi;
};

void tst_CloseGuard::initTestCase()
{
    qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit());
    if (const QString why = SimulatedPi::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QString error;
    QVERIFY2(m_pi.start(&error), qPrintable(error));
}

std::unique_ptr<WizardController> tst_CloseGuard::makeController()
{
    auto controller =
            std::make_unique<WizardController>(std::make_unique<wmw::MemorySecretStore>());
    controller->setSshEnvironment({m_pi.knownHostsFile(), m_sshDir.path(), QString(), false});
    wmw::config::StationProfile profile;
    profile.piHost = m_pi.host();
    profile.sshPort = m_pi.sshPort();
    profile.sshUser = m_pi.user();
    profile.mqttPort = m_pi.mqttPort();
    profile.websocketPort = m_pi.websocketPort();
    wmw::config::Secrets secrets;
    secrets.sudoPassword = QString::fromUtf8(m_pi.password());
    controller->replaceProfile(profile, secrets);
    controller->setSshAuth(WizardController::SshAuth::KeyFile, m_pi.clientKeyFile());
    controller->ensureBrokerPasswords();
    return controller;
}

bool tst_CloseGuard::connectController(WizardController &controller)
{
    controller.testConnection();
    QSignalSpy changed(controller.connectionTest(), &wmw::ConnectionTest::stateChanged);
    while (controller.connectionTest()->state() != wmw::ConnectionTest::State::Succeeded
           && controller.connectionTest()->state() != wmw::ConnectionTest::State::Failed) {
        if (!changed.wait(60000))
            return false;
    }
    return controller.connectionTest()->state() == wmw::ConnectionTest::State::Succeeded;
}

/// The Provisioner's private staging folders on the Pi and what is in them.
QStringList tst_CloseGuard::stagingEntries() const
{
    const SimulatedPi::Result found = m_pi.exec(
            {QStringLiteral("find"), QStringLiteral("/tmp"), QStringLiteral("-maxdepth"),
             QStringLiteral("3"), QStringLiteral("-path"), QStringLiteral("*weewx-mqtt-wizard.*")});
    return QString::fromUtf8(found.out).split(u'\n', Qt::SkipEmptyParts);
}

void tst_CloseGuard::closingWhileDiagnosingCancelsTheDiagnosis()
{
    auto controller = makeController();
    QVERIFY(connectController(*controller));
    MainWizard wizard(controller.get());
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    controller->startDiagnosis();
    QVERIFY(controller->diagnosisRun()->isRunning());

    QVERIFY(wizard.close());
    QVERIFY(!wizard.isVisible());
    QTRY_COMPARE(controller->diagnosisRun()->state(), wmw::DiagnosisRun::State::Cancelled);
}

void tst_CloseGuard::closingBeforeThePointOfNoReturnStopsAndCleansUp()
{
    auto controller = makeController();
    QVERIFY(connectController(*controller));
    MainWizard wizard(controller.get());
    wizard.setStartId(MainWizard::Apply); // the page starts the apply when it is shown
    wizard.restart();
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    // Just started: the Provisioner looks at the Pi and reads its files, seconds before
    // anything is installed.
    QCOMPARE(controller->provisioningFlow()->applyStatus().state, wmw::RunStatus::State::Running);

    // Refusing the question keeps the apply running and the window open.
    QString question;
    answerNextMessageBox(QMessageBox::No, &question);
    QVERIFY(!wizard.close());
    QVERIFY2(question.contains(QStringLiteral("nothing on the Pi has been changed")),
             qPrintable(question));
    QVERIFY(wizard.isVisible());

    answerNextMessageBox(QMessageBox::Yes, &question);
    wizard.close();
    QVERIFY2(question.contains(QStringLiteral("nothing on the Pi has been changed")),
             qPrintable(question));
    // The window stays until the Pi's side of the apply has ended; nothing was staged.
    QTRY_VERIFY_WITH_TIMEOUT(!wizard.isVisible(), 60000);
    QCOMPARE(controller->provisioningFlow()->applyStatus().state, wmw::RunStatus::State::Cancelled);
    QCOMPARE(stagingEntries(), QStringList());
}

void tst_CloseGuard::closingAfterThePointOfNoReturnWaitsForThePi()
{
    auto controller = makeController();
    QVERIFY(connectController(*controller));
    MainWizard wizard(controller.get());
    wizard.setStartId(MainWizard::Apply);
    wizard.restart();
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));

    auto *noReturn = wizard.currentPage()->findChild<QLabel *>(QStringLiteral("pointOfNoReturn"));
    QTRY_VERIFY_WITH_TIMEOUT(noReturn->isVisible(), 240000);
    QString message;
    answerNextMessageBox(QMessageBox::Ok, &message);
    QVERIFY(!wizard.close());
    QVERIFY2(message.contains(QStringLiteral("cannot be stopped")), qPrintable(message));
    QVERIFY(wizard.isVisible());
    // Cancel and Escape take the same way as the window's close button.
    answerNextMessageBox(QMessageBox::Ok, &message);
    QTest::keyClick(&wizard, Qt::Key_Escape);
    QVERIFY(wizard.isVisible());

    QTRY_VERIFY_WITH_TIMEOUT(controller->provisioningFlow()->applyStatus().isFinished(), 240000);
    QVERIFY(wizard.close()); // no question once the Pi is done
    QVERIFY(!wizard.isVisible());
    QCOMPARE(stagingEntries(), QStringList());
}

QTEST_MAIN(tst_CloseGuard)
#include "tst_closeguard.moc"
