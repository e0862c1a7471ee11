// SPDX-License-Identifier: GPL-3.0-or-later
// The export flow through the real widgets: welcome -> broker -> WeeWX -> export; the bundle
// is written as .tar.gz or .zip, readable by its owner only, and the page lists exactly the
// files the archive holds. Bad input names the field and writes nothing.
#include "remote/export/bundlearchive.h"
#include "wizard/mainwizard.h"
#include "wizard/secretstore.h"
#include "wizard/wizardcontroller.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using wmw::MainWizard;
using wmw::WizardController;
using wmw::exporting::BundleArchive;

namespace {
const QString kPublish = QStringLiteral("publish-Secret-123");
const QString kWeb = QStringLiteral("web-Secret-456");

std::unique_ptr<WizardController> makeController()
{
    auto controller =
            std::make_unique<WizardController>(std::make_unique<wmw::MemorySecretStore>());
    controller->setOffline(true);
    wmw::config::StationProfile p;
    p.piHost = QStringLiteral("weatherpi.local");
    p.sshUser = QStringLiteral("pi");
    p.pageHostOverride = QStringLiteral("weather.example.org");
    wmw::config::Secrets s;
    s.publishPassword = kPublish;
    s.webPassword = kWeb;
    controller->replaceProfile(p, s);
    return controller;
}

// Welcome (export) -> Broker -> WeeWX -> Export, as a user clicks through.
bool walkToExport(MainWizard &wizard)
{
    wizard.show();
    if (!QTest::qWaitForWindowExposed(&wizard))
        return false;
    wizard.findChild<QAbstractButton *>(QStringLiteral("exportButton"))->click();
    for (int i = 0; i < 3; ++i) {
        if (!wizard.button(QWizard::NextButton)->isEnabled())
            return false;
        QTest::mouseClick(wizard.button(QWizard::NextButton), Qt::LeftButton);
    }
    return wizard.currentId() == MainWizard::Export;
}

template<typename T>
T *child(const MainWizard &wizard, const char *name)
{
    return wizard.currentPage()->findChild<T *>(QLatin1String(name));
}

void typeInto(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Delete);
    QTest::keyClicks(edit, text);
}
} // namespace

class tst_ExportPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void writesTheBundleAndListsItsFiles_data();
    void writesTheBundleAndListsItsFiles();
    void badInputNamesTheFieldAndWritesNothing_data();
    void badInputNamesTheFieldAndWritesNothing();
    void destinationFolderAndFormatAreRemembered();

private:
    QTemporaryDir m_config;
};

void tst_ExportPage::initTestCase()
{
    // Remembered folders go to a private settings folder, never the user's.
    qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit());
    QVERIFY(m_config.isValid());
}

void tst_ExportPage::writesTheBundleAndListsItsFiles_data()
{
    QTest::addColumn<int>("formatIndex");
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<bool>("withWeewxConf");
    QTest::addColumn<bool>("withReference");
    QTest::newRow("tar.gz, install.sh edits the Pi's weewx.conf")
            << 0 << "bundle.tar.gz" << false << false;
    QTest::newRow("zip with a chosen weewx.conf and the password reference")
            << 1 << "bundle.zip" << true << true;
}

void tst_ExportPage::writesTheBundleAndListsItsFiles()
{
    QFETCH(int, formatIndex);
    QFETCH(QString, fileName);
    QFETCH(bool, withWeewxConf);
    QFETCH(bool, withReference);
    QTemporaryDir out;
    auto controller = makeController();
    MainWizard wizard(controller.get());
    QVERIFY(walkToExport(wizard));

    child<QComboBox>(wizard, "exportFormat")->setCurrentIndex(formatIndex);
    auto *destination = child<QLineEdit>(wizard, "exportDestination");
    QVERIFY2(destination->text().endsWith(formatIndex == 0 ? u".tar.gz" : u".zip"),
             qPrintable(destination->text()));
    const QString path = out.filePath(fileName);
    typeInto(destination, path);
    // Without a Pi read in this session, its weewx.conf cannot be offered.
    QVERIFY(!child<QRadioButton>(wizard, "weewxFromPi")->isEnabled());
    QVERIFY(child<QRadioButton>(wizard, "weewxNone")->isChecked());
    if (withWeewxConf) {
        typeInto(child<QLineEdit>(wizard, "weewxConfFile"),
                 QStringLiteral(WMW_TESTS_DIR "/config/data/weewxconf/"
                                              "weewx5-package-belchertown.conf"));
        QVERIFY(child<QRadioButton>(wizard, "weewxFromFile")->isChecked());
    }
    child<QCheckBox>(wizard, "includeReference")->setChecked(withReference);
    QTest::mouseClick(child<QAbstractButton>(wizard, "writeBundle"), Qt::LeftButton);

    auto *result = child<QLabel>(wizard, "exportResult");
    QVERIFY2(result->text().startsWith(u"✓") && result->text().contains(path),
             qPrintable(result->text()));
    QFile written(path);
    QVERIFY(written.open(QIODevice::ReadOnly));
    QCOMPARE(written.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
             QFileDevice::Permissions());
    const wmw::exporting::ArchiveReadResult archive = BundleArchive::read(written.readAll());
    QVERIFY2(archive.ok(), qPrintable(archive.errorString));
    QStringList inArchive;
    for (const wmw::exporting::ArchiveEntry &entry : archive.entries) {
        if (!entry.isDirectory)
            inArchive << entry.path;
    }
    auto *list = child<QTreeWidget>(wizard, "bundleFiles");
    QVERIFY(list->isVisible());
    QStringList listed;
    for (int i = 0; i < list->topLevelItemCount(); ++i)
        listed << list->topLevelItem(i)->text(0);
    QCOMPARE(listed, inArchive);
    QVERIFY(listed.contains(QStringLiteral("weewx-mqtt-bundle/install.sh")));
    QVERIFY(listed.contains(QStringLiteral("weewx-mqtt-bundle/ansible/playbook.yml")));
    QCOMPARE(listed.contains(QStringLiteral("weewx-mqtt-bundle/weewx/weewx.conf")), withWeewxConf);
    QCOMPARE(listed.contains(QStringLiteral("weewx-mqtt-bundle/reference/passwords.txt")),
             withReference);
    // The list names files; it never shows what is in them.
    for (const QTreeWidgetItem *item : list->findItems(QStringLiteral("*"), Qt::MatchWildcard)) {
        for (int column = 0; column < list->columnCount(); ++column)
            QVERIFY(!item->text(column).contains(kPublish) && !item->text(column).contains(kWeb));
    }
    QVERIFY(!result->text().contains(kPublish));
}

void tst_ExportPage::badInputNamesTheFieldAndWritesNothing_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QString>("weewxConf");
    QTest::addColumn<QString>("field");
    QTest::newRow("a destination without the format's extension")
            << "bundle.txt" << QString() << "Destination";
    QTest::newRow("a .zip name for the .tar.gz format")
            << "bundle.zip" << QString() << "Destination";
    QTest::newRow("a weewx.conf that cannot be read") << "bundle.tar.gz"
                                                      << "/nonexistent/weewx.conf"
                                                      << "weewx.conf: cannot read";
    QTest::newRow("a weewx.conf ConfigObj cannot parse") << "bundle.tar.gz"
                                                         << "[Station\nlocation = x\n"
                                                         << "weewx.conf cannot be edited";
}

void tst_ExportPage::badInputNamesTheFieldAndWritesNothing()
{
    QFETCH(QString, fileName);
    QFETCH(QString, weewxConf);
    QFETCH(QString, field);
    QTemporaryDir out;
    auto controller = makeController();
    MainWizard wizard(controller.get());
    QVERIFY(walkToExport(wizard));
    child<QComboBox>(wizard, "exportFormat")->setCurrentIndex(0);
    typeInto(child<QLineEdit>(wizard, "exportDestination"), out.filePath(fileName));
    if (!weewxConf.isEmpty()) {
        QString confPath = weewxConf;
        if (!weewxConf.startsWith(u'/')) {
            // Content, not a path: write it into a file.
            confPath = out.filePath(QStringLiteral("weewx.conf"));
            QFile conf(confPath);
            QVERIFY(conf.open(QIODevice::WriteOnly));
            conf.write(weewxConf.toUtf8());
        }
        typeInto(child<QLineEdit>(wizard, "weewxConfFile"), confPath);
    }
    QTest::mouseClick(child<QAbstractButton>(wizard, "writeBundle"), Qt::LeftButton);
    auto *result = child<QLabel>(wizard, "exportResult");
    QVERIFY2(result->text().startsWith(u"✗") && result->text().contains(field),
             qPrintable(result->text()));
    QVERIFY(!QFile::exists(out.filePath(fileName)));
    QVERIFY(!child<QTreeWidget>(wizard, "bundleFiles")->isVisible());
}

void tst_ExportPage::destinationFolderAndFormatAreRemembered()
{
    QTemporaryDir out;
    {
        auto controller = makeController();
        MainWizard wizard(controller.get());
        QVERIFY(walkToExport(wizard));
        child<QComboBox>(wizard, "exportFormat")->setCurrentIndex(1);
        typeInto(child<QLineEdit>(wizard, "exportDestination"),
                 out.filePath(QStringLiteral("mine.zip")));
        QTest::mouseClick(child<QAbstractButton>(wizard, "writeBundle"), Qt::LeftButton);
        QVERIFY(QFile::exists(out.filePath(QStringLiteral("mine.zip"))));
    }
    auto controller = makeController();
    MainWizard wizard(controller.get());
    QVERIFY(walkToExport(wizard));
    QCOMPARE(child<QComboBox>(wizard, "exportFormat")->currentIndex(), 1);
    QCOMPARE(child<QLineEdit>(wizard, "exportDestination")->text(),
             out.filePath(QStringLiteral("weewx-mqtt-bundle-weatherpi.local.zip")));
}

QTEST_MAIN(tst_ExportPage)
#include "tst_exportpage.moc"
