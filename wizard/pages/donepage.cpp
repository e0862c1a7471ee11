// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/pages/donepage.h"

#include "remote/provisioning/applyprotocol.h"
#include "wizard/provisioningflow.h"
#include "wizard/wizardcontroller.h"

#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QFontDatabase>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace wmw {

using provisioning::ApplyProtocol;

namespace {
QLabel *wrapped(const QString &name)
{
    auto *label = new QLabel;
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}
} // namespace

DonePage::DonePage(WizardController *controller, QWidget *parent)
    : QWizardPage(parent)
    , m_controller(controller)
{
    setTitle(tr("Done"));
    setSubTitle(tr("What changed on the Pi, where the old files are, and how to go back."));
    setFinalPage(true);

    m_summary = wrapped(QStringLiteral("doneSummary"));
    QFont big = m_summary->font();
    big.setPointSizeF(big.pointSizeF() * 1.1);
    m_summary->setFont(big);

    auto *changedBox = new QGroupBox(tr("Changed on the Pi"));
    m_changes = wrapped(QStringLiteral("doneChanges"));
    m_changes->setTextFormat(Qt::RichText);
    (new QVBoxLayout(changedBox))->addWidget(m_changes);

    auto *undoBox = new QGroupBox(tr("Backup and undo"));
    m_backup = wrapped(QStringLiteral("doneBackup"));
    m_undoCommand = new QLabel;
    m_undoCommand->setObjectName(QStringLiteral("undoCommand"));
    m_undoCommand->setWordWrap(true);
    m_undoCommand->setTextFormat(Qt::PlainText);
    m_undoCommand->setTextInteractionFlags(Qt::TextSelectableByMouse
                                           | Qt::TextSelectableByKeyboard);
    m_undoCommand->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_undoCommand->setStyleSheet(QStringLiteral(
            "QLabel { background: palette(base); border: 1px solid palette(mid); padding: 4px; }"));
    m_undoCommand->setAccessibleName(tr("Undo command"));
    auto *copy = new QPushButton(tr("&Copy"));
    copy->setObjectName(QStringLiteral("copyUndoCommand"));
    connect(copy, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_undoCommand->text()); });
    m_undoNow = new QPushButton(tr("&Undo now"));
    m_undoNow->setObjectName(QStringLiteral("undoNow"));
    connect(m_undoNow, &QPushButton::clicked, this, &DonePage::undoNow);
    m_undoStatus = wrapped(QStringLiteral("undoStatus"));
    auto *commandRow = new QHBoxLayout;
    commandRow->addWidget(m_undoCommand, 1);
    commandRow->addWidget(copy);
    commandRow->addWidget(m_undoNow);
    auto *undoLayout = new QVBoxLayout(undoBox);
    undoLayout->addWidget(m_backup);
    undoLayout->addWidget(new QLabel(tr("To restore it later from this laptop:")));
    undoLayout->addLayout(commandRow);
    undoLayout->addWidget(m_undoStatus);

    auto *profileBox = new QGroupBox(tr("Profile"));
    auto *save = new QPushButton(tr("&Save profile…"));
    save->setObjectName(QStringLiteral("saveProfile"));
    connect(save, &QPushButton::clicked, this, &DonePage::saveProfile);
    m_profileStatus = wrapped(QStringLiteral("profileStatus"));
    m_profileStatus->setText(tr("The settings, to diagnose or change this Pi later. Passwords "
                                "never go into the file; they go to the system keychain when "
                                "you allow it (Profile menu)."));
    auto *profileLayout = new QHBoxLayout(profileBox);
    profileLayout->addWidget(save);
    profileLayout->addWidget(m_profileStatus, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(changedBox);
    layout->addWidget(undoBox);
    layout->addWidget(profileBox);
    layout->addStretch();

    connect(m_controller->provisioningFlow(), &ProvisioningFlow::applyChanged, this,
            &DonePage::showStatus);
    connect(m_controller->provisioningFlow(), &ProvisioningFlow::undoChanged, this,
            &DonePage::showStatus);
    showStatus();
}

void DonePage::initializePage()
{
    showStatus();
}

void DonePage::showStatus()
{
    ProvisioningFlow *flow = m_controller->provisioningFlow();
    const RunStatus &apply = flow->applyStatus();
    const RunStatus &undo = flow->undoStatus();
    const QString host = m_controller->profile().piHost;
    const bool undone = undo.state == RunStatus::State::Succeeded;

    if (undone)
        m_summary->setText(
                tr("↺ The backup was restored: %1 runs with its old files again.").arg(host));
    else if (apply.state == RunStatus::State::Succeeded)
        m_summary->setText(tr("✓ %1 publishes live data for the Belchertown page.").arg(host));
    else if (apply.installed())
        m_summary->setText(tr("The files are installed on %1, but the live check saw no data "
                              "yet: %2")
                                   .arg(host, apply.result));
    else
        m_summary->setText(tr("Nothing was installed in this session."));

    QStringList lines;
    for (const config::FilePlan &file : apply.plan.files()) {
        if (file.action != config::FileAction::Unchanged || apply.installed())
            lines << file.summary().toHtmlEscaped();
    }
    if (apply.extensionInstalled)
        lines << tr("installed the weewx-mqtt extension (weectl extension install)");
    if (!apply.restartedUnits.isEmpty())
        lines << tr("restarted %1").arg(apply.restartedUnits.join(QStringLiteral(", ")));
    else if (apply.installed())
        lines << tr("no service needed a restart");
    m_changes->setText(lines.isEmpty() ? tr("Nothing.")
                                       : u"• " + lines.join(QStringLiteral("<br>• ")));

    const bool hasBackup = !apply.backupName.isEmpty();
    m_backup->setText(hasBackup ? tr("The files it replaced are in %1/%2 on the Pi (readable "
                                     "by root only). Undo puts them back and restarts the "
                                     "services; files that did not exist before are removed.")
                                          .arg(ApplyProtocol::backupRoot(), apply.backupName)
                                : tr("No backup was made: nothing was replaced."));
    m_undoCommand->setText(hasBackup ? flow->undoCommand() : QString());
    m_undoCommand->setEnabled(hasBackup);
    const bool undoRunning = undo.state == RunStatus::State::Running
                             || undo.state == RunStatus::State::PastPointOfNoReturn;
    m_undoNow->setEnabled(hasBackup && !undoRunning && !undone);
    QString undoText;
    if (undoRunning)
        undoText = undo.steps.isEmpty() ? tr("Undoing…") : undo.steps.last().text;
    else if (undo.isFinished())
        undoText = (undone ? QStringLiteral("✓ ") : QStringLiteral("✗ ")) + undo.result;
    m_undoStatus->setText(undoText);
    m_undoStatus->setVisible(!undoText.isEmpty());
}

void DonePage::undoNow()
{
    const auto answer = QMessageBox::question(
            this, tr("Undo"),
            tr("Put the old files back on %1 and restart the services? The Belchertown page "
               "loses its live updates if it had none before.")
                    .arg(m_controller->profile().piHost));
    if (answer == QMessageBox::Yes)
        m_controller->provisioningFlow()->undo();
}

void DonePage::saveProfile()
{
    QString path = m_controller->profilePath();
    if (path.isEmpty()) {
        path = QFileDialog::getSaveFileName(this, tr("Save profile"), QString(),
                                            tr("Station profiles (*.json)"));
        if (path.isEmpty())
            return;
    }
    const QString error = m_controller->saveProfile(path);
    m_profileStatus->setText(error.isEmpty() ? tr("Saved to %1.").arg(path)
                                             : tr("✗ Not saved: %1").arg(error));
}

} // namespace wmw
