// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/pages/exportpage.h"

#include "wizard/exportflow.h"
#include "wizard/pages/formhelpers.h"
#include "wizard/wizardcontroller.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDesktopServices>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace wmw {

using exporting::ArchiveFormat;

ExportPage::ExportPage(WizardController *controller, QWidget *parent)
    : QWizardPage(parent)
    , m_controller(controller)
{
    setTitle(tr("Export a config bundle"));
    setSubTitle(tr("A bundle applies these settings on the Pi without this program: "
                   "sudo sh install.sh, or the Ansible playbook. It holds password hashes and "
                   "the passwords WeeWX needs: it is written readable by you only."));
    setFinalPage(true);

    m_format = new QComboBox;
    m_format->setObjectName(QStringLiteral("exportFormat"));
    m_format->addItem(tr(".tar.gz (Linux, macOS, the Pi)"), int(ArchiveFormat::TarGz));
    m_format->addItem(tr(".zip (Windows)"), int(ArchiveFormat::Zip));
    connect(m_format, &QComboBox::currentIndexChanged, this, [this] {
        if (m_loading)
            return;
        const auto format = ArchiveFormat(m_format->currentData().toInt());
        m_destination->setText(ExportFlow::withExtension(m_destination->text(), format));
        storeSettings();
    });

    m_destination = new QLineEdit;
    m_destination->setObjectName(QStringLiteral("exportDestination"));
    connect(m_destination, &QLineEdit::textEdited, this, &ExportPage::storeSettings);
    auto *choose = new QPushButton(tr("C&hoose…"));
    choose->setObjectName(QStringLiteral("chooseDestination"));
    connect(choose, &QPushButton::clicked, this, &ExportPage::chooseDestination);
    auto *destinationRow = new QHBoxLayout;
    destinationRow->addWidget(m_destination, 1);
    destinationRow->addWidget(choose);

    auto *contents = new QGroupBox(tr("What goes in"));
    auto *always = new QLabel(tr("Always: README.txt with the manual steps, install.sh, the "
                                 "mosquitto files (acl, password file with hashes, listener "
                                 "config), the weewx.conf edit script, the Ansible playbook "
                                 "with an inventory example, and MANIFEST.sha256."));
    always->setWordWrap(true);
    m_weewxFromPi = new QRadioButton(tr("The Pi's current weewx.conf, as read for the review, "
                                        "fully edited"));
    m_weewxFromPi->setObjectName(QStringLiteral("weewxFromPi"));
    m_weewxFromFile = new QRadioButton(tr("A &copy of weewx.conf on this laptop, fully edited:"));
    m_weewxFromFile->setObjectName(QStringLiteral("weewxFromFile"));
    m_weewxNone = new QRadioButton(tr("No weewx.conf: install.sh edits the Pi's own file"));
    m_weewxNone->setObjectName(QStringLiteral("weewxNone"));
    auto *weewxGroup = new QButtonGroup(this);
    for (QRadioButton *button : {m_weewxFromPi, m_weewxFromFile, m_weewxNone})
        weewxGroup->addButton(button);
    connect(weewxGroup, &QButtonGroup::buttonToggled, this, [this](QAbstractButton *, bool on) {
        if (on)
            storeSettings();
    });
    m_weewxFile = new QLineEdit;
    m_weewxFile->setObjectName(QStringLiteral("weewxConfFile"));
    m_weewxFile->setPlaceholderText(tr("weewx.conf copied from the Pi"));
    connect(m_weewxFile, &QLineEdit::textEdited, this, [this] {
        m_weewxFromFile->setChecked(true);
        storeSettings();
    });
    auto *chooseConf = new QPushButton(tr("Choose…"));
    chooseConf->setObjectName(QStringLiteral("chooseWeewxConf"));
    connect(chooseConf, &QPushButton::clicked, this, &ExportPage::chooseWeewxConf);
    auto *fileRow = new QHBoxLayout;
    fileRow->setContentsMargins(24, 0, 0, 0);
    fileRow->addWidget(m_weewxFile, 1);
    fileRow->addWidget(chooseConf);
    m_reference = new QCheckBox(tr("The plain-text password file of the manual procedure "
                                   "(reference/passwords.txt; nothing installs it)"));
    m_reference->setObjectName(QStringLiteral("includeReference"));
    connect(m_reference, &QCheckBox::toggled, this, &ExportPage::storeSettings);
    auto *contentsLayout = new QVBoxLayout(contents);
    contentsLayout->addWidget(always);
    contentsLayout->addWidget(m_weewxFromPi);
    contentsLayout->addWidget(m_weewxFromFile);
    contentsLayout->addLayout(fileRow);
    contentsLayout->addWidget(m_weewxNone);
    contentsLayout->addWidget(m_reference);

    auto *form = new QFormLayout;
    form->addRow(tr("Fo&rmat:"), m_format);
    auto *destinationLabel = new QLabel(tr("&Destination:"));
    destinationLabel->setBuddy(m_destination);
    form->addRow(destinationLabel, destinationRow);

    m_write = new QPushButton(tr("&Write bundle"));
    m_write->setObjectName(QStringLiteral("writeBundle"));
    m_write->setDefault(false);
    connect(m_write, &QPushButton::clicked, this, [this] {
        const QString path = m_destination->text();
        if (QFileInfo::exists(path)
            && QMessageBox::question(this, tr("Export"),
                                     tr("%1 exists. Replace it?").arg(QFileInfo(path).fileName()))
                       != QMessageBox::Yes)
            return;
        m_controller->exportFlow()->write();
    });
    m_openFolder = new QPushButton(tr("&Open folder"));
    m_openFolder->setObjectName(QStringLiteral("openFolder"));
    connect(m_openFolder, &QPushButton::clicked, this, [this] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(
                QFileInfo(m_controller->exportFlow()->status().path).absolutePath()));
    });
    auto *writeRow = new QHBoxLayout;
    writeRow->addWidget(m_write);
    writeRow->addStretch();
    writeRow->addWidget(m_openFolder);

    m_result = new QLabel;
    m_result->setObjectName(QStringLiteral("exportResult"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_files = new QTreeWidget;
    m_files->setObjectName(QStringLiteral("bundleFiles"));
    m_files->setAccessibleName(tr("Files in the bundle"));
    m_files->setRootIsDecorated(false);
    m_files->setHeaderLabels({tr("File in the bundle"), tr("Size"), tr("Mode"), QString()});
    m_files->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_files->header()->setStretchLastSection(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(contents);
    layout->addLayout(writeRow);
    layout->addWidget(m_result);
    layout->addWidget(m_files, 1);
    // After the layout: both ends of a Tab step must be in the page already.
    chainTabOrder({m_format, m_destination, choose, m_weewxFromPi, m_weewxFromFile, m_weewxFile,
                   chooseConf, m_weewxNone, m_reference, m_write, m_openFolder});

    connect(m_controller->exportFlow(), &ExportFlow::statusChanged, this, &ExportPage::showStatus);
    showStatus();
}

void ExportPage::initializePage()
{
    ExportFlow *flow = m_controller->exportFlow();
    ExportSettings s = flow->settings();
    if (s.destination.isEmpty())
        s.destination = flow->defaultDestination(s.format);
    // The same settings as the review: the weewx.conf it read, the broker page's opt-in.
    if (flow->hasPiWeewxConf())
        s.weewxConf = ExportSettings::WeewxConf::FromPi;
    else if (s.weewxConf == ExportSettings::WeewxConf::FromPi)
        s.weewxConf = ExportSettings::WeewxConf::None;
    s.includePasswordReference = m_controller->writeReferenceFile();

    m_loading = true;
    m_format->setCurrentIndex(m_format->findData(int(s.format)));
    m_destination->setText(s.destination);
    m_weewxFromPi->setEnabled(flow->hasPiWeewxConf());
    m_weewxFromPi->setToolTip(flow->hasPiWeewxConf()
                                      ? QString()
                                      : tr("Read in the provisioning flow's review step."));
    m_weewxFile->setText(s.weewxConfFile);
    switch (s.weewxConf) {
    case ExportSettings::WeewxConf::FromPi:
        m_weewxFromPi->setChecked(true);
        break;
    case ExportSettings::WeewxConf::FromFile:
        m_weewxFromFile->setChecked(true);
        break;
    case ExportSettings::WeewxConf::None:
        m_weewxNone->setChecked(true);
        break;
    }
    m_reference->setChecked(s.includePasswordReference);
    m_loading = false;
    storeSettings();
    showStatus();
}

void ExportPage::storeSettings()
{
    if (m_loading)
        return;
    ExportSettings s;
    s.format = ArchiveFormat(m_format->currentData().toInt());
    s.destination = m_destination->text().trimmed();
    s.weewxConf = m_weewxFromPi->isChecked()     ? ExportSettings::WeewxConf::FromPi
                  : m_weewxFromFile->isChecked() ? ExportSettings::WeewxConf::FromFile
                                                 : ExportSettings::WeewxConf::None;
    s.weewxConfFile = m_weewxFile->text().trimmed();
    s.includePasswordReference = m_reference->isChecked();
    m_controller->exportFlow()->setSettings(s);
}

void ExportPage::chooseDestination()
{
    const auto format = ArchiveFormat(m_format->currentData().toInt());
    const QString filter = format == ArchiveFormat::Zip ? tr("Zip archives (*.zip)")
                                                        : tr("Compressed tar archives (*.tar.gz)");
    QString path = QFileDialog::getSaveFileName(this, tr("Export the bundle to"),
                                                m_destination->text(), filter);
    if (path.isEmpty())
        return;
    if (const auto named = exporting::BundleArchive::formatForFileName(path)) {
        m_loading = true;
        m_format->setCurrentIndex(m_format->findData(int(*named)));
        m_loading = false;
    } else {
        path = ExportFlow::withExtension(path, format);
    }
    m_destination->setText(path);
    storeSettings();
}

void ExportPage::chooseWeewxConf()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("weewx.conf copied from the Pi"),
                                                      m_weewxFile->text(),
                                                      tr("WeeWX configuration (*.conf);;All "
                                                         "files (*)"));
    if (path.isEmpty())
        return;
    m_weewxFile->setText(path);
    m_weewxFromFile->setChecked(true);
    storeSettings();
}

void ExportPage::showStatus()
{
    const ExportStatus &s = m_controller->exportFlow()->status();
    const bool written = s.state == ExportStatus::State::Written;
    QString text = s.message;
    for (const QString &note : s.notes)
        text += u'\n' + note;
    m_result->setText(s.state == ExportStatus::State::Failed ? u"✗ " + text
                      : written                              ? u"✓ " + text
                                                             : QString());
    m_result->setStyleSheet(s.state == ExportStatus::State::Failed
                                    ? QStringLiteral("color: #b3261e;")
                                    : QStringLiteral("color: #0d4d1f;"));
    m_result->setVisible(s.state != ExportStatus::State::Idle);
    m_openFolder->setVisible(written);
    m_files->clear();
    const QLocale locale;
    for (const ExportStatus::File &file : s.files) {
        auto *item = new QTreeWidgetItem(
                m_files, {file.path, locale.formattedDataSize(file.size),
                          QStringLiteral("%1").arg(file.mode, 4, 8, QLatin1Char('0')),
                          file.holdsSecret ? tr("holds a secret") : QString()});
        item->setTextAlignment(1, Qt::AlignRight | Qt::AlignVCenter);
    }
    for (int column : {1, 2, 3})
        m_files->resizeColumnToContents(column);
    m_files->setVisible(written);
}

} // namespace wmw
