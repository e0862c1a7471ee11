// SPDX-License-Identifier: GPL-3.0-or-later
// The Pi connection page against a simulated Pi (a real sshd): "Test connection" shows the
// unknown host key with its fingerprint, and once accepted, a summary of what the Pi has.
#include "support/simulatedpi.h"
#include "wizard/mainwizard.h"
#include "wizard/secretstore.h"
#include "wizard/wizardcontroller.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDialog>
#include <QFile>
#include <QLabel>
#include <QTemporaryDir>
#include <QTest>

using wmw::MainWizard;
using wmw::WizardController;
using wmw::test::SimulatedPi;

class tst_PiConnectionPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void hostKeyDialogThenFacts_data();
    void hostKeyDialogThenFacts();

private:
    QTemporaryDir m_config;
    SimulatedPi m_pi;
};

void tst_PiConnectionPage::initTestCase()
{
    qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit());
    if (const QString why = SimulatedPi::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QString error;
    QVERIFY2(m_pi.start(&error), qPrintable(error));
}

void tst_PiConnectionPage::hostKeyDialogThenFacts_data()
{
    QTest::addColumn<bool>("accept");
    QTest::newRow("an accepted key leads to the Pi's facts") << true;
    QTest::newRow("a refused key ends the test with a reason") << false;
}

void tst_PiConnectionPage::hostKeyDialogThenFacts()
{
    QFETCH(bool, accept);
    QTemporaryDir ssh;
    WizardController controller(std::make_unique<wmw::MemorySecretStore>());
    // A known_hosts file without the Pi: its key is unknown, as on a first connection.
    controller.setSshEnvironment(
            {ssh.filePath(QStringLiteral("known_hosts")), ssh.path(), QString(), false});
    wmw::config::StationProfile profile;
    profile.piHost = m_pi.host();
    profile.sshPort = m_pi.sshPort();
    profile.sshUser = m_pi.user();
    wmw::config::Secrets secrets;
    secrets.sudoPassword = QString::fromUtf8(m_pi.password());
    controller.replaceProfile(profile, secrets);
    controller.setSshAuth(WizardController::SshAuth::KeyFile, m_pi.clientKeyFile());

    MainWizard wizard(&controller);
    wizard.setStartId(MainWizard::PiConnection);
    wizard.restart();
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    QWizardPage *page = wizard.currentPage();
    auto *test = page->findChild<QAbstractButton *>(QStringLiteral("testConnection"));
    QVERIFY(test->isEnabled());
    QTest::mouseClick(test, Qt::LeftButton);

    QDialog *dialog = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((dialog = page->findChild<QDialog *>(QStringLiteral("hostKeyDialog")))
                                             != nullptr
                                     && dialog->isVisible(),
                             30000);
    QCOMPARE(dialog->findChild<QLabel *>(QStringLiteral("fingerprint"))->text(),
             m_pi.hostKeyFingerprint());
    QVERIFY(dialog->findChildren<QLabel *>().size() > 2);
    QTest::mouseClick(dialog->findChild<QAbstractButton *>(accept ? QStringLiteral("acceptKey")
                                                                  : QStringLiteral("refuseKey")),
                      Qt::LeftButton);

    auto *status = page->findChild<QLabel *>(QStringLiteral("connectionStatus"));
    auto *facts = page->findChild<QLabel *>(QStringLiteral("hostFacts"));
    if (!accept) {
        QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(QStringLiteral("The connection failed")),
                                 30000);
        QVERIFY(facts->text().isEmpty());
        QFile knownHosts(ssh.filePath(QStringLiteral("known_hosts")));
        QVERIFY(!knownHosts.exists() || knownHosts.size() == 0);
        return;
    }
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("sudo works")), 60000);
    for (const char *name :
         {"Operating system", "mosquitto", "WeeWX", "Belchertown skin", "weewx-mqtt", "Locale"})
        QVERIFY2(facts->text().contains(QLatin1String(name)), name);
    // A fresh simulated Pi lacks weewx-mqtt: marked missing.
    QVERIFY2(facts->text().contains(QStringLiteral("not installed")), qPrintable(facts->text()));
    QFile knownHosts(ssh.filePath(QStringLiteral("known_hosts")));
    QVERIFY(knownHosts.open(QIODevice::ReadOnly));
    QVERIFY(knownHosts.readAll().contains("ssh-ed25519"));
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
}

QTEST_MAIN(tst_PiConnectionPage)
#include "tst_piconnectionpage.moc"
