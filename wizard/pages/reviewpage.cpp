// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/pages/reviewpage.h"

#include "remote/provisioning/applyprotocol.h"
#include "wizard/mainwizard.h"
#include "wizard/provisioningflow.h"
#include "wizard/widgets/diffview.h"
#include "wizard/wizardcontroller.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace wmw {

using config::FileAction;

namespace {
QString actionText(FileAction action)
{
    switch (action) {
    case FileAction::Unchanged:
        return ReviewPage::tr("unchanged");
    case FileAction::Create:
        return ReviewPage::tr("create");
    case FileAction::Update:
        return ReviewPage::tr("update");
    }
    return {};
}

QColor actionColor(FileAction action)
{
    switch (action) {
    case FileAction::Unchanged:
        return QColor(0x6e, 0x77, 0x81);
    case FileAction::Create:
        return QColor(0x11, 0x63, 0x29);
    case FileAction::Update:
        return QColor(0x9a, 0x67, 0x00);
    }
    return {};
}
} // namespace

ReviewPage::ReviewPage(WizardController *controller, QWidget *parent)
    : QWizardPage(parent)
    , m_controller(controller)
{
    setTitle(tr("Review the changes"));
    setSubTitle(tr("Read from the Pi; nothing has been changed yet. Passwords and password "
                   "hashes are masked in every diff."));
    // Applying cannot be taken back by going back: the done page offers an undo instead.
    setCommitPage(true);
    setButtonText(QWizard::CommitButton, tr("&Apply on the Pi"));

    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("reviewStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_warnings = new QLabel;
    m_warnings->setObjectName(QStringLiteral("reviewWarnings"));
    m_warnings->setWordWrap(true);
    m_warnings->setTextFormat(Qt::RichText);
    m_warnings->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warnings->setStyleSheet(QStringLiteral(
            "QLabel { background: #fff8e1; border: 1px solid #f0d58c; border-radius: 4px; "
            "padding: 6px; color: #5c4400; }"));
    m_installExtension = new QCheckBox(tr("Install weewx-mqtt on the Pi first (weectl "
                                          "extension install; the Pi needs internet access)"));
    m_installExtension->setObjectName(QStringLiteral("installExtension"));
    m_installExtension->setChecked(m_controller->provisioningFlow()->installExtension());
    connect(m_installExtension, &QCheckBox::toggled, this,
            [this](bool on) { m_controller->provisioningFlow()->setInstallExtension(on); });

    m_files = new QTreeWidget;
    m_files->setObjectName(QStringLiteral("reviewFiles"));
    m_files->setRootIsDecorated(false);
    m_files->setHeaderLabels({tr("Change"), tr("File on the Pi"), tr("Owner"), tr("Mode")});
    m_files->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_files->header()->setStretchLastSection(false);
    m_files->setMaximumHeight(m_files->fontMetrics().height() * 8);
    m_files->setAccessibleName(tr("Files to write"));
    connect(m_files, &QTreeWidget::currentItemChanged, this, &ReviewPage::showSelectedDiff);

    m_diff = new DiffView;
    m_diff->setObjectName(QStringLiteral("reviewDiff"));
    m_diff->setAccessibleName(tr("Diff of the selected file"));

    m_commandsLabel = new QLabel;
    m_commandsLabel->setWordWrap(true);
    m_commands = new QPlainTextEdit;
    m_commands->setObjectName(QStringLiteral("reviewCommands"));
    m_commands->setReadOnly(true);
    m_commands->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_commands->setMaximumHeight(m_commands->fontMetrics().height() * 4);
    m_commands->setAccessibleName(tr("Commands"));

    m_readAgain = new QPushButton(tr("&Read again"));
    m_readAgain->setObjectName(QStringLiteral("readAgain"));
    connect(m_readAgain, &QPushButton::clicked, this,
            [this] { m_controller->provisioningFlow()->makePlan(); });
    auto *exportInstead = new QPushButton(tr("E&xport bundle instead"));
    exportInstead->setObjectName(QStringLiteral("exportInstead"));
    exportInstead->setToolTip(tr("Write the same settings into a bundle that applies them "
                                 "without this program; nothing on the Pi is changed."));
    connect(exportInstead, &QPushButton::clicked, this, [this] {
        // next() asks nextId() at once: the detour holds for this one step only.
        m_exportInstead = true;
        wizard()->next();
        m_exportInstead = false;
    });
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_readAgain);
    buttons->addStretch();
    buttons->addWidget(exportInstead);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_warnings);
    layout->addWidget(m_installExtension);
    layout->addWidget(m_files);
    layout->addWidget(m_diff, 1);
    layout->addWidget(m_commandsLabel);
    layout->addWidget(m_commands);
    layout->addLayout(buttons);

    connect(m_controller->provisioningFlow(), &ProvisioningFlow::planChanged, this,
            &ReviewPage::showPlan);
    showPlan();
}

void ReviewPage::initializePage()
{
    m_controller->provisioningFlow()->makePlan();
    showPlan();
}

bool ReviewPage::isComplete() const
{
    return m_controller->provisioningFlow()->planStatus().state == PlanStatus::State::Ready;
}

int ReviewPage::nextId() const
{
    return m_exportInstead ? int(MainWizard::Export)
                           : MainWizard::nextAfter(MainWizard::Review, wizard());
}

void ReviewPage::showPlan()
{
    const PlanStatus &s = m_controller->provisioningFlow()->planStatus();
    const bool failed = s.state == PlanStatus::State::Failed;
    m_status->setText(failed ? tr("✗ The plan could not be made: %1").arg(s.message) : s.message);
    m_status->setStyleSheet(failed ? QStringLiteral("color: #b3261e;") : QString());
    m_readAgain->setEnabled(s.state != PlanStatus::State::Reading);

    QStringList warnings;
    if (s.extensionMissing) {
        warnings << tr("<b>weewx-mqtt is not installed on the Pi.</b> Without it, weewx stops "
                       "when it reads the new weewx.conf. Its installer adds an [[MQTT]] "
                       "section to weewx.conf before the edit shown here.");
        if (!m_installExtension->isChecked())
            warnings << tr("Without installing it, the apply refuses and changes nothing.");
    }
    for (const QString &warning : s.warnings)
        warnings << warning.toHtmlEscaped();
    m_warnings->setText(warnings.join(QStringLiteral("<br>")));
    m_warnings->setVisible(!warnings.isEmpty());
    m_installExtension->setVisible(s.extensionMissing);

    const QString selected = m_files->currentItem() ? m_files->currentItem()->text(1) : QString();
    m_files->clear();
    QTreeWidgetItem *first = nullptr;
    QTreeWidgetItem *keep = nullptr;
    for (const config::FilePlan &file : s.plan.files()) {
        auto *item = new QTreeWidgetItem(m_files, {actionText(file.action), file.wanted.path,
                                                   file.wanted.owner + u':' + file.wanted.group,
                                                   config::modeText(file.wanted.mode)});
        item->setForeground(0, actionColor(file.action));
        item->setToolTip(1, file.summary());
        if (file.ownerChanges)
            item->setToolTip(2, tr("now %1").arg(file.current.owner + u':' + file.current.group));
        if (file.modeChanges)
            item->setToolTip(3, tr("now %1").arg(config::modeText(file.current.mode)));
        // An update is what most needs reviewing: the Pi's own file changes.
        if (file.action == FileAction::Update
            && (!first || first->text(0) != actionText(FileAction::Update)))
            first = item;
        else if (!first && file.action == FileAction::Create)
            first = item;
        if (file.wanted.path == selected)
            keep = item;
    }
    for (int column = 0; column < 4; ++column) {
        if (column != 1)
            m_files->resizeColumnToContents(column);
    }
    if (QTreeWidgetItem *current = keep ? keep : first ? first : m_files->topLevelItem(0))
        m_files->setCurrentItem(current);
    else
        m_diff->clear();

    const bool ready = s.state == PlanStatus::State::Ready;
    m_commandsLabel->setText(
            !ready ? QString()
            : s.commands.isEmpty()
                    ? tr("Nothing to install and nothing to restart: the apply only checks "
                         "that live data arrives.")
                    : tr("In one sudo run, after backing up every file it replaces into "
                         "%1/<time> and checking that none changed since it was read, the "
                         "Pi installs the files (write beside, then rename) and runs:")
                              .arg(provisioning::ApplyProtocol::backupRoot()));
    m_commands->setPlainText(s.commands.join(u'\n'));
    m_commands->setVisible(ready && !s.commands.isEmpty());
    emit completeChanged();
}

void ReviewPage::showSelectedDiff()
{
    const QTreeWidgetItem *item = m_files->currentItem();
    if (!item) {
        m_diff->clear();
        return;
    }
    const PlanStatus &s = m_controller->provisioningFlow()->planStatus();
    for (const config::FilePlan &file : s.plan.files()) {
        if (file.wanted.path != item->text(1))
            continue;
        if (!file.diff.isEmpty())
            m_diff->setDiff(file.diff);
        else
            m_diff->setPlainText(file.action == FileAction::Unchanged
                                         ? tr("%1 is already as planned.").arg(file.wanted.path)
                                         : file.summary());
        return;
    }
}

} // namespace wmw
