// SPDX-License-Identifier: GPL-3.0-or-later
// Profiles as a user keeps them: saved and reopened with every field back on the pages, no
// password in the file (its bytes are read), the recent list on the welcome page that opens a
// profile with a double-click, and passwords kept only in the secret store (here the
// in-memory one) when the user allows the keychain.
#include "wizard/mainwizard.h"
#include "wizard/profilestore.h"
#include "wizard/secretstore.h"
#include "wizard/widgets/passwordfield.h"
#include "wizard/wizardcontroller.h"

#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using wmw::MainWizard;
using wmw::ProfileStore;
using wmw::WizardController;

namespace {
QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

wmw::config::StationProfile stationProfile(const QString &host)
{
    wmw::config::StationProfile profile;
    profile.piHost = host;
    profile.sshPort = 2222;
    profile.sshUser = QStringLiteral("weewx");
    profile.topic = QStringLiteral("station/garden");
    profile.websocketPort = 9002;
    return profile;
}

wmw::config::Secrets stationSecrets()
{
    wmw::config::Secrets secrets;
    secrets.publishPassword = QStringLiteral("Pub-Secret-4711-xyz");
    secrets.webPassword = QStringLiteral("Web-Secret-0815-abc");
    secrets.sshPassword = QStringLiteral("Ssh-Secret-1234-def");
    secrets.sudoPassword = QStringLiteral("Sudo-Secret-5678-ghi");
    return secrets;
}

template<typename T>
T *field(const MainWizard &wizard, int page, const char *name)
{
    return wizard.page(page)->findChild<T *>(QLatin1String(name));
}
} // namespace

class tst_Profiles : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void savedProfileReopensWithItsFieldsAndNoSecret();
    void recentProfilesOpenFromTheWelcomePage();
    void keychainKeepsThePasswordsOutOfTheFile_data();
    void keychainKeepsThePasswordsOutOfTheFile();

private:
    QTemporaryDir m_config;
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_Profiles::initTestCase()
{
    qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit());
}

void tst_Profiles::init()
{
    // Each test starts with an empty recent list and the keychain not allowed.
    m_dir = std::make_unique<QTemporaryDir>();
    QSettings().clear();
}

void tst_Profiles::savedProfileReopensWithItsFieldsAndNoSecret()
{
    const QString path = m_dir->filePath(QStringLiteral("garden.json"));
    {
        WizardController controller(std::make_unique<wmw::MemorySecretStore>());
        controller.replaceProfile(stationProfile(QStringLiteral("gardenpi.local")),
                                  stationSecrets());
        QCOMPARE(controller.saveProfile(path), QString());
    }
    const QByteArray bytes = fileBytes(path);
    QVERIFY(bytes.contains("gardenpi.local"));
    for (const QString &secret : {stationSecrets().publishPassword, stationSecrets().webPassword,
                                  stationSecrets().sshPassword, stationSecrets().sudoPassword})
        QVERIFY2(!bytes.contains(secret.toUtf8()), qPrintable(secret));

    WizardController controller(std::make_unique<wmw::MemorySecretStore>());
    MainWizard wizard(&controller);
    QCOMPARE(controller.openProfile(path), QString());
    QCOMPARE(field<QLineEdit>(wizard, MainWizard::PiConnection, "piHost")->text(),
             QStringLiteral("gardenpi.local"));
    QCOMPARE(field<QSpinBox>(wizard, MainWizard::PiConnection, "sshPort")->value(), 2222);
    QCOMPARE(field<QLineEdit>(wizard, MainWizard::PiConnection, "sshUser")->text(),
             QStringLiteral("weewx"));
    QCOMPARE(field<QLineEdit>(wizard, MainWizard::Broker, "topic")->text(),
             QStringLiteral("station/garden"));
    QCOMPARE(field<QSpinBox>(wizard, MainWizard::Broker, "websocketPort")->value(), 9002);
    // Without the keychain the passwords are asked for again.
    QCOMPARE(field<wmw::PasswordField>(wizard, MainWizard::Broker, "publishPassword")
                     ->lineEdit()
                     ->text(),
             QString());
    QCOMPARE(controller.secrets().sudoPassword, QString());
    QCOMPARE(controller.profilePath(), path);
}

void tst_Profiles::recentProfilesOpenFromTheWelcomePage()
{
    WizardController controller(std::make_unique<wmw::MemorySecretStore>());
    const QString garden = m_dir->filePath(QStringLiteral("garden.json"));
    const QString roof = m_dir->filePath(QStringLiteral("roof.json"));
    controller.replaceProfile(stationProfile(QStringLiteral("gardenpi.local")), {});
    QCOMPARE(controller.saveProfile(garden), QString());
    controller.replaceProfile(stationProfile(QStringLiteral("roofpi.local")), {});
    QCOMPARE(controller.saveProfile(roof), QString());
    QCOMPARE(ProfileStore::recentProfiles(), (QStringList{roof, garden}));

    WizardController fresh(std::make_unique<wmw::MemorySecretStore>());
    MainWizard wizard(&fresh);
    wizard.restart();
    wizard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&wizard));
    auto *list = field<QListWidget>(wizard, MainWizard::Welcome, "recentProfiles");
    QCOMPARE(list->count(), 2);
    QVERIFY(list->item(0)->text().contains(QStringLiteral("roof")));
    QVERIFY(list->item(1)->text().contains(QStringLiteral("garden")));

    QListWidgetItem *item = list->item(1);
    const QPoint at = list->visualItemRect(item).center();
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(list->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(fresh.profilePath(), garden);
    QCOMPARE(field<QLineEdit>(wizard, MainWizard::PiConnection, "piHost")->text(),
             QStringLiteral("gardenpi.local"));
    // Opening it makes it the most recent.
    QCOMPARE(ProfileStore::recentProfiles(), (QStringList{garden, roof}));

    // A profile deleted meanwhile leaves the list.
    QVERIFY(QFile::remove(roof));
    QCOMPARE(ProfileStore::recentProfiles(), QStringList{garden});
}

void tst_Profiles::keychainKeepsThePasswordsOutOfTheFile_data()
{
    QTest::addColumn<bool>("allowed");
    QTest::newRow("keychain allowed: the passwords come back from the store") << true;
    QTest::newRow("keychain not allowed: nothing is stored, the passwords are asked again")
            << false;
}

void tst_Profiles::keychainKeepsThePasswordsOutOfTheFile()
{
    QFETCH(bool, allowed);
    ProfileStore::setKeychainAllowed(allowed);
    auto owned = std::make_unique<wmw::MemorySecretStore>();
    wmw::MemorySecretStore *store = owned.get();
    WizardController controller(std::move(owned));
    MainWizard wizard(&controller);
    const wmw::config::Secrets secrets = stationSecrets();
    controller.replaceProfile(stationProfile(QStringLiteral("gardenpi.local")), secrets);

    const QString path = m_dir->filePath(QStringLiteral("garden.json"));
    QCOMPARE(controller.saveProfile(path), QString());
    QTRY_COMPARE(store->size(), allowed ? 4 : 0);
    const QByteArray bytes = fileBytes(path);
    QVERIFY(!bytes.isEmpty());
    for (const QString &secret :
         {secrets.publishPassword, secrets.webPassword, secrets.sshPassword, secrets.sudoPassword})
        QVERIFY2(!bytes.contains(secret.toUtf8()), qPrintable(secret));

    // Another station in between, then the saved one again.
    controller.replaceProfile(stationProfile(QStringLiteral("roofpi.local")), {});
    QCOMPARE(controller.openProfile(path), QString());
    auto *publish = field<wmw::PasswordField>(wizard, MainWizard::Broker, "publishPassword");
    auto *sudo = field<wmw::PasswordField>(wizard, MainWizard::PiConnection, "sudoPassword");
    if (allowed) {
        QTRY_COMPARE(controller.secrets().sudoPassword, secrets.sudoPassword);
        QTRY_COMPARE(controller.secrets().publishPassword, secrets.publishPassword);
        QCOMPARE(controller.secrets().webPassword, secrets.webPassword);
        QCOMPARE(controller.secrets().sshPassword, secrets.sshPassword);
        QCOMPARE(publish->lineEdit()->text(), secrets.publishPassword);
        QCOMPARE(sudo->lineEdit()->text(), secrets.sudoPassword);
    } else {
        QCoreApplication::processEvents(); // a store answer would be queued
        QCOMPARE(controller.secrets().publishPassword, QString());
        QCOMPARE(publish->lineEdit()->text(), QString());
        QCOMPARE(sudo->lineEdit()->text(), QString());
    }
    // Saving again (e.g. after the keychain answered) still writes no secret.
    QCOMPARE(controller.saveProfile(path), QString());
    QVERIFY(!fileBytes(path).contains(secrets.sudoPassword.toUtf8()));
}

QTEST_MAIN(tst_Profiles)
#include "tst_profiles.moc"
