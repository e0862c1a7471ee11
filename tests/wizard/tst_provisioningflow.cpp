// SPDX-License-Identifier: GPL-3.0-or-later
// The provisioning flow through the real widgets on a fresh simulated Pi (a real sshd, sudo,
// mosquitto and the WeeWX stand-in): Pi connection -> broker -> WeeWX -> review (the diffs,
// no password in them; an export with the Pi's weewx.conf) -> apply (weewx-mqtt installed,
// every step to success) -> live check "receiving" -> done (backup, undo command, undo now).
#include "support/simulatedpi.h"
#include "wizard/connectiontest.h"
#include "wizard/mainwizard.h"
#include "wizard/provisioningflow.h"
#include "wizard/secretstore.h"
#include "wizard/widgets/diffview.h"
#include "wizard/wizardcontroller.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QFontInfo>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

using wmw::MainWizard;
using wmw::WizardController;
using wmw::test::SimulatedPi;

namespace {
template<typename T>
T *child(const MainWizard &wizard, const char *name)
{
    return wizard.currentPage()->findChild<T *>(QLatin1String(name));
}

QString listText(const QListWidget *list)
{
    QStringList rows;
    for (int i = 0; i < list->count(); ++i)
        rows << list->item(i)->text();
    return rows.join(u'\n');
}
} // namespace

class tst_ProvisioningFlow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void stopBeforeThePointOfNoReturnChangesNothing();
    void withoutWeewxMqttNothingIsChanged();
    void freshPiIsProvisionedThroughThePages();
    void aCheckThatFailsIsRolledBackOnThePage();

private:
    std::unique_ptr<WizardController> makeController();
    bool connectController(WizardController &controller);

    QTemporaryDir m_config;
    QTemporaryDir m_sshDir;
    SimulatedPi m_pi;
};

void tst_ProvisioningFlow::initTestCase()
{
    qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit());
    if (const QString why = SimulatedPi::unavailableReason(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QString error;
    QVERIFY2(m_pi.start(&error), qPrintable(error));
}

std::unique_ptr<WizardController> tst_ProvisioningFlow::makeController()
{
    auto controller =
            std::make_unique<WizardController>(std::make_unique<wmw::MemorySecretStore>());
    // The Pi's key is known: no host key dialog here (tst_piconnectionpage shows that one).
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
    return controller;
}

bool tst_ProvisioningFlow::connectController(WizardController &controller)
{
    controller.ensureBrokerPasswords();
    controller.testConnection();
    QSignalSpy changed(controller.connectionTest(), &wmw::ConnectionTest::stateChanged);
    while (controller.connectionTest()->state() != wmw::ConnectionTest::State::Succeeded
           && controller.connectionTest()->state() != wmw::ConnectionTest::State::Failed) {
        if (!changed.wait(60000))
            return false;
    }
    return controller.connectionTest()->state() == wmw::ConnectionTest::State::Succeeded;
}

void tst_ProvisioningFlow::stopBeforeThePointOfNoReturnChangesNothing()
{
    auto controller = makeController();
    QVERIFY(connectController(*controller));

    MainWizard wizard(controller.get());
    wizard.setStartId(MainWizard::Apply); // the page starts the apply when it is shown
    wizard.restart();
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    auto *stop = child<QAbstractButton>(wizard, "cancelApply");
    QVERIFY(stop->isEnabled());
    QTest::mouseClick(stop, Qt::LeftButton);

    auto *result = child<QLabel>(wizard, "applyResult");
    QTRY_VERIFY_WITH_TIMEOUT(result->text().contains(QStringLiteral("Cancelled")), 30000);
    QVERIFY2(result->text().contains(QStringLiteral("nothing on the Pi was changed")),
             qPrintable(result->text()));
    QVERIFY(!stop->isVisible());
    QVERIFY(child<QAbstractButton>(wizard, "applyAgain")->isVisible());
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    bool exists = true;
    m_pi.readFile(QStringLiteral("/etc/mosquitto/acl"), &exists);
    QVERIFY(!exists);
}

void tst_ProvisioningFlow::withoutWeewxMqttNothingIsChanged()
{
    auto controller = makeController();
    QVERIFY(connectController(*controller));
    MainWizard wizard(controller.get());
    wizard.setStartId(MainWizard::Review); // the page reads the Pi when it is shown
    wizard.restart();
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    QTRY_VERIFY_WITH_TIMEOUT(wizard.button(QWizard::CommitButton)->isEnabled(), 60000);
    auto *install = child<QCheckBox>(wizard, "installExtension");
    QVERIFY(install->isVisible());
    install->setChecked(false);
    QVERIFY2(child<QLabel>(wizard, "reviewWarnings")
                     ->text()
                     .contains(QStringLiteral("the apply refuses and changes nothing")),
             qPrintable(child<QLabel>(wizard, "reviewWarnings")->text()));
    QVERIFY(!child<QPlainTextEdit>(wizard, "reviewCommands")
                     ->toPlainText()
                     .contains(QStringLiteral("weectl")));

    QTest::mouseClick(wizard.button(QWizard::CommitButton), Qt::LeftButton);
    auto *result = child<QLabel>(wizard, "applyResult");
    QTRY_VERIFY_WITH_TIMEOUT(result->text().startsWith(u"✗"), 60000);
    QVERIFY2(result->text().contains(QStringLiteral("weewx-mqtt is not installed"))
                     && result->text().contains(QStringLiteral("weectl extension install"))
                     && result->text().contains(QStringLiteral("nothing was changed")),
             qPrintable(result->text()));
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    bool exists = true;
    m_pi.readFile(QStringLiteral("/etc/mosquitto/acl"), &exists);
    QVERIFY(!exists);
}

void tst_ProvisioningFlow::freshPiIsProvisionedThroughThePages()
{
    auto controller = makeController();
    MainWizard wizard(controller.get());
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    auto next = [&wizard] {
        QTest::mouseClick(wizard.button(QWizard::NextButton), Qt::LeftButton);
    };

    // Welcome -> Pi connection: test it.
    wizard.findChild<QAbstractButton *>(QStringLiteral("provisionButton"))->click();
    next();
    QCOMPARE(wizard.currentId(), int(MainWizard::PiConnection));
    QTest::mouseClick(child<QAbstractButton>(wizard, "testConnection"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(child<QLabel>(wizard, "connectionStatus")
                                     ->text()
                                     .contains(QStringLiteral("sudo works")),
                             60000);
    next();
    QCOMPARE(wizard.currentId(), int(MainWizard::Broker)); // passwords generated here
    next();
    QCOMPARE(wizard.currentId(), int(MainWizard::Weewx));
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    next();

    // Review: read from the Pi, nothing changed yet.
    QCOMPARE(wizard.currentId(), int(MainWizard::Review));
    const QString publish = controller->secrets().publishPassword;
    const QString web = controller->secrets().webPassword;
    QVERIFY(!publish.isEmpty() && !web.isEmpty());
    QAbstractButton *apply = wizard.button(QWizard::CommitButton);
    QTRY_VERIFY_WITH_TIMEOUT(apply->isVisible() && apply->isEnabled(), 60000);
    QVERIFY2(child<QLabel>(wizard, "reviewStatus")
                     ->text()
                     .contains(QStringLiteral("Nothing has "
                                              "been changed")),
             qPrintable(child<QLabel>(wizard, "reviewStatus")->text()));
    auto *files = child<QTreeWidget>(wizard, "reviewFiles");
    auto *diff = child<wmw::DiffView>(wizard, "reviewDiff");
    QCOMPARE(files->topLevelItemCount(), 4);
    QHash<QString, QString> actions;
    for (int i = 0; i < files->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = files->topLevelItem(i);
        actions.insert(item->text(1), item->text(0));
        files->setCurrentItem(item);
        const QString text = diff->toPlainText();
        QVERIFY2(text.startsWith(QStringLiteral("--- ")), qPrintable(item->text(1)));
        QVERIFY2(!text.contains(publish) && !text.contains(web), qPrintable(item->text(1)));
        QVERIFY(QFontInfo(diff->font()).fixedPitch());
    }
    QCOMPARE(actions.value(QStringLiteral("/etc/mosquitto/acl")), QStringLiteral("create"));
    QCOMPARE(actions.value(QStringLiteral("/etc/mosquitto/passwd")), QStringLiteral("create"));
    QCOMPARE(actions.value(QStringLiteral("/etc/weewx/weewx.conf")), QStringLiteral("update"));
    // The password hash and weewx.conf's server_url are there, masked.
    files->setCurrentItem(
            files->findItems(QStringLiteral("/etc/mosquitto/passwd"), Qt::MatchExactly, 1)
                    .constFirst());
    QVERIFY2(diff->toPlainText().contains(QStringLiteral("hash redacted")),
             qPrintable(diff->toPlainText()));
    files->setCurrentItem(
            files->findItems(QStringLiteral("/etc/weewx/weewx.conf"), Qt::MatchExactly, 1)
                    .constFirst());
    QVERIFY2(diff->toPlainText().contains(QStringLiteral("server_url")),
             qPrintable(diff->toPlainText()));
    // A fresh Pi lacks weewx-mqtt: the apply installs it first, then restarts both.
    QVERIFY(child<QCheckBox>(wizard, "installExtension")->isVisible());
    QVERIFY(child<QCheckBox>(wizard, "installExtension")->isChecked());
    const QString commands = child<QPlainTextEdit>(wizard, "reviewCommands")->toPlainText();
    QVERIFY2(commands.contains(QStringLiteral("weectl extension install"))
                     && commands.contains(QStringLiteral("systemctl restart mosquitto"))
                     && commands.contains(QStringLiteral("systemctl restart weewx")),
             qPrintable(commands));

    // "Export bundle instead": the export page with the Pi's weewx.conf, then back.
    QTemporaryDir out;
    QTest::mouseClick(child<QAbstractButton>(wizard, "exportInstead"), Qt::LeftButton);
    QCOMPARE(wizard.currentId(), int(MainWizard::Export));
    QVERIFY(child<QRadioButton>(wizard, "weewxFromPi")->isEnabled());
    QVERIFY(child<QRadioButton>(wizard, "weewxFromPi")->isChecked());
    auto *destination = child<QLineEdit>(wizard, "exportDestination");
    destination->setText(out.filePath(QStringLiteral("pi.tar.gz")));
    emit destination->textEdited(destination->text());
    QTest::mouseClick(child<QAbstractButton>(wizard, "writeBundle"), Qt::LeftButton);
    QVERIFY2(!child<QTreeWidget>(wizard, "bundleFiles")
                      ->findItems(QStringLiteral("weewx-mqtt-bundle/weewx/weewx.conf"),
                                  Qt::MatchExactly)
                      .isEmpty(),
             qPrintable(child<QLabel>(wizard, "exportResult")->text()));
    wizard.back();
    QCOMPARE(wizard.currentId(), int(MainWizard::Review));

    // Apply: every step to success; Stop only until the point of no return.
    QTest::mouseClick(wizard.button(QWizard::CommitButton), Qt::LeftButton);
    QCOMPARE(wizard.currentId(), int(MainWizard::Apply));
    auto *result = child<QLabel>(wizard, "applyResult");
    auto *steps = child<QListWidget>(wizard, "applySteps");
    auto *stop = child<QAbstractButton>(wizard, "cancelApply");
    QTRY_VERIFY_WITH_TIMEOUT(child<QLabel>(wizard, "pointOfNoReturn")->isVisible()
                                     || result->text().startsWith(u"✓")
                                     || result->text().startsWith(u"✗"),
                             240000);
    if (child<QLabel>(wizard, "pointOfNoReturn")->isVisible())
        QVERIFY(!stop->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(result->text().startsWith(u"✓") || result->text().startsWith(u"✗"),
                             240000);
    QVERIFY2(result->text().startsWith(u"✓"), qPrintable(result->text() + u'\n' + listText(steps)));
    const QString stepText = listText(steps);
    for (const char *expected : {"weewx-mqtt is installed.", "Installed /etc/mosquitto/acl.",
                                 "Restarted mosquitto.", "Restarted weewx.", "Live data arrives"})
        QVERIFY2(stepText.contains(QLatin1String(expected)), expected);
    QVERIFY(!stepText.contains(u"✗"));
    const QString log = child<QPlainTextEdit>(wizard, "applyLog")->toPlainText();
    QVERIFY(!log.contains(publish) && !log.contains(web)
            && !log.contains(QString::fromUtf8(m_pi.password())));
    QVERIFY(!stop->isVisible());
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    bool exists = false;
    m_pi.readFile(QStringLiteral("/etc/mosquitto/acl"), &exists);
    QVERIFY(exists);

    // Live check: the page's own connection reaches "receiving".
    next();
    QCOMPARE(wizard.currentId(), int(MainWizard::LiveCheck));
    QTRY_VERIFY_WITH_TIMEOUT(
            child<QLabel>(wizard, "liveBanner")->text().contains(QStringLiteral("Data received")),
            60000);

    // Done: the backup and the exact undo command, then undo now.
    next();
    QCOMPARE(wizard.currentId(), int(MainWizard::Done));
    const QString backup = controller->provisioningFlow()->applyStatus().backupName;
    QVERIFY(!backup.isEmpty());
    QVERIFY2(child<QLabel>(wizard, "doneBackup")
                     ->text()
                     .contains(QStringLiteral("/var/backups/weewx-mqtt-wizard/") + backup),
             qPrintable(child<QLabel>(wizard, "doneBackup")->text()));
    QCOMPARE(child<QLabel>(wizard, "undoCommand")->text(),
             QStringLiteral("weewx-mqtt-wizard undo --host 127.0.0.1 --port %1 --user pi "
                            "--backup %2")
                     .arg(m_pi.sshPort())
                     .arg(backup));
    QVERIFY2(child<QLabel>(wizard, "doneChanges")->text().contains(QStringLiteral("mosquitto")),
             qPrintable(child<QLabel>(wizard, "doneChanges")->text()));
    QVERIFY(m_pi.exec({QStringLiteral("test"), QStringLiteral("-d"),
                       QStringLiteral("/var/backups/weewx-mqtt-wizard/") + backup})
                    .ok());

    // "Undo now" asks first; the answer is yes.
    QTimer answer;
    answer.setInterval(20);
    QObject::connect(&answer, &QTimer::timeout, this, [&answer] {
        if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
            answer.stop();
            box->button(QMessageBox::Yes)->click();
        }
    });
    answer.start();
    QTest::mouseClick(child<QAbstractButton>(wizard, "undoNow"), Qt::LeftButton);
    auto *undo = child<QLabel>(wizard, "undoStatus");
    QTRY_VERIFY_WITH_TIMEOUT(undo->text().startsWith(u"✓") || undo->text().startsWith(u"✗"),
                             120000);
    QVERIFY2(undo->text().startsWith(u"✓"), qPrintable(undo->text()));
    m_pi.readFile(QStringLiteral("/etc/mosquitto/acl"), &exists);
    QVERIFY2(!exists, "undo removes the files that did not exist before");
    QVERIFY(!child<QAbstractButton>(wizard, "undoNow")->isEnabled());
}

void tst_ProvisioningFlow::aCheckThatFailsIsRolledBackOnThePage()
{
    // Another program holds the port the profile wants for websockets: mosquitto cannot
    // listen there, so the Pi puts every old file back.
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::Any));
    auto controller = makeController();
    controller->editProfile([&squatter](wmw::config::StationProfile &p) {
        p.websocketPort = squatter.serverPort();
    });
    QVERIFY(connectController(*controller));
    const QByteArray confBefore = m_pi.readFile(QStringLiteral("/etc/weewx/weewx.conf"));

    MainWizard wizard(controller.get());
    wizard.setStartId(MainWizard::Apply);
    wizard.restart();
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    auto *result = child<QLabel>(wizard, "applyResult");
    QTRY_VERIFY_WITH_TIMEOUT(result->text().startsWith(u"✗") || result->text().startsWith(u"↺")
                                     || result->text().startsWith(u"✓"),
                             240000);
    const QString steps = listText(child<QListWidget>(wizard, "applySteps"));
    QVERIFY2(result->text().startsWith(QStringLiteral("↺ Rolled back"))
                     && result->text().contains(QString::number(squatter.serverPort())),
             qPrintable(result->text() + u'\n' + steps));
    QVERIFY2(steps.contains(QStringLiteral("↺  Rolling back"))
                     && steps.contains(QStringLiteral("↺  Rolled back")),
             qPrintable(steps));
    QVERIFY(child<QAbstractButton>(wizard, "applyAgain")->isVisible());
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    QCOMPARE(m_pi.readFile(QStringLiteral("/etc/weewx/weewx.conf")), confBefore);
}

QTEST_MAIN(tst_ProvisioningFlow)
#include "tst_provisioningflow.moc"
