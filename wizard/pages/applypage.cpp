// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/pages/applypage.h"

#include "wizard/mainwizard.h"
#include "wizard/provisioningflow.h"
#include "wizard/wizardcontroller.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QVBoxLayout>

namespace wmw {

using RunState = RunStatus::State;
using StepState = RunStatus::StepState;

namespace {
QString stepMark(StepState state)
{
    switch (state) {
    case StepState::Running:
        return QStringLiteral("…");
    case StepState::Done:
        return QStringLiteral("✓");
    case StepState::Failed:
        return QStringLiteral("✗");
    case StepState::RollingBack:
        return QStringLiteral("↺");
    case StepState::Warning:
        return QStringLiteral("⚠");
    }
    return {};
}

QColor stepColor(StepState state)
{
    switch (state) {
    case StepState::Running:
        return QColor(0x05, 0x50, 0xae);
    case StepState::Done:
        return QColor(0x11, 0x63, 0x29);
    case StepState::Failed:
        return QColor(0xb3, 0x26, 0x1e);
    case StepState::RollingBack:
    case StepState::Warning:
        return QColor(0x9a, 0x67, 0x00);
    }
    return {};
}

QString bannerStyle(const QString &background, const QString &border, const QString &text)
{
    return QStringLiteral("QLabel { background: %1; border: 1px solid %2; border-radius: 4px; "
                          "padding: 8px; color: %3; }")
            .arg(background, border, text);
}
} // namespace

ApplyPage::ApplyPage(WizardController *controller, QWidget *parent)
    : QWizardPage(parent)
    , m_controller(controller)
{
    setTitle(tr("Apply"));
    setSubTitle(tr("The files go to the Pi in one safe batch: checked, backed up, installed, "
                   "the services restarted and verified, or every old file put back."));

    m_result = new QLabel;
    m_result->setObjectName(QStringLiteral("applyResult"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_steps = new QListWidget;
    m_steps->setObjectName(QStringLiteral("applySteps"));
    m_steps->setAccessibleName(tr("Steps"));
    m_steps->setSelectionMode(QAbstractItemView::NoSelection);
    m_steps->setFocusPolicy(Qt::NoFocus); // the log below holds the same lines for the keyboard
    m_steps->setWordWrap(true);

    m_warnings = new QLabel;
    m_warnings->setObjectName(QStringLiteral("applyWarnings"));
    m_warnings->setWordWrap(true);
    m_warnings->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warnings->setStyleSheet(bannerStyle(QStringLiteral("#fff8e1"), QStringLiteral("#f0d58c"),
                                          QStringLiteral("#5c4400")));

    m_cancel = new QPushButton(tr("&Stop"));
    m_cancel->setObjectName(QStringLiteral("cancelApply"));
    m_cancel->setToolTip(tr("Stops before anything on the Pi is changed."));
    connect(m_cancel, &QPushButton::clicked, this,
            [this] { m_controller->provisioningFlow()->cancelApply(); });
    m_tryAgain = new QPushButton(tr("&Try again"));
    m_tryAgain->setObjectName(QStringLiteral("applyAgain"));
    connect(m_tryAgain, &QPushButton::clicked, this,
            [this] { m_controller->provisioningFlow()->apply(); });
    m_noReturn = new QLabel(tr("The Pi is installing now. From here it finishes, or puts every "
                               "old file back, on its own, even if the connection breaks: "
                               "stopping is no longer possible."));
    m_noReturn->setObjectName(QStringLiteral("pointOfNoReturn"));
    m_noReturn->setWordWrap(true);
    m_noReturn->setStyleSheet(QStringLiteral("color: #5c4400;"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_tryAgain);
    buttons->addWidget(m_noReturn, 1);

    m_log = new QPlainTextEdit;
    m_log->setObjectName(QStringLiteral("applyLog"));
    m_log->setAccessibleName(tr("Log"));
    m_log->setReadOnly(true);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setMaximumHeight(m_log->fontMetrics().height() * 7);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_result);
    layout->addWidget(m_steps, 1);
    layout->addWidget(m_warnings);
    layout->addLayout(buttons);
    layout->addWidget(new QLabel(tr("Log:")));
    layout->addWidget(m_log);

    connect(m_controller->provisioningFlow(), &ProvisioningFlow::applyChanged, this,
            &ApplyPage::showStatus);
    showStatus();
}

void ApplyPage::initializePage()
{
    m_controller->provisioningFlow()->apply();
    showStatus();
}

bool ApplyPage::isComplete() const
{
    return m_controller->provisioningFlow()->applyStatus().installed();
}

int ApplyPage::nextId() const
{
    return MainWizard::nextAfter(MainWizard::Apply, wizard());
}

void ApplyPage::showStatus()
{
    const RunStatus &s = m_controller->provisioningFlow()->applyStatus();

    QString text;
    switch (s.state) {
    case RunState::Idle:
        text = tr("Not started.");
        m_result->setStyleSheet(QString());
        break;
    case RunState::Running:
    case RunState::PastPointOfNoReturn:
        text = s.steps.isEmpty() ? tr("Starting…") : s.steps.last().text;
        m_result->setStyleSheet(bannerStyle(QStringLiteral("#e8f1fb"), QStringLiteral("#b6d0ee"),
                                            QStringLiteral("#0b3d73")));
        break;
    case RunState::Succeeded:
        text = u"✓ " + s.result;
        m_result->setStyleSheet(bannerStyle(QStringLiteral("#e6f4ea"), QStringLiteral("#a8d5b5"),
                                            QStringLiteral("#0d4d1f")));
        break;
    case RunState::Failed:
    case RunState::Cancelled:
        text = (s.rolledBack ? tr("↺ Rolled back. %1") : tr("✗ %1")).arg(s.result);
        m_result->setStyleSheet(
                s.rolledBack || s.state == RunState::Cancelled
                        ? bannerStyle(QStringLiteral("#fff8e1"), QStringLiteral("#f0d58c"),
                                      QStringLiteral("#5c4400"))
                        : bannerStyle(QStringLiteral("#fdecea"), QStringLiteral("#f5c2c0"),
                                      QStringLiteral("#5f2120")));
        break;
    }
    m_result->setText(text);

    // Rows only grow during a run: add the new ones, update the last ones' state.
    if (m_steps->count() > s.steps.size())
        m_steps->clear();
    for (int i = 0; i < s.steps.size(); ++i) {
        const RunStatus::Step &step = s.steps.at(i);
        QListWidgetItem *item = m_steps->item(i);
        if (!item)
            item = new QListWidgetItem(m_steps);
        item->setText(stepMark(step.state) + u"  " + step.text);
        item->setForeground(stepColor(step.state));
    }
    if (!s.steps.isEmpty())
        m_steps->scrollToBottom();

    m_warnings->setText(s.warnings.join(u'\n'));
    m_warnings->setVisible(!s.warnings.isEmpty());
    m_cancel->setEnabled(s.state == RunState::Running);
    m_cancel->setVisible(!s.isFinished());
    m_noReturn->setVisible(s.state == RunState::PastPointOfNoReturn);
    m_noReturn->setText(
            s.installingExtension
                    ? tr("weectl is installing weewx-mqtt on the Pi; stopping it half-way would "
                         "leave a broken install, so it cannot be stopped until it is done.")
                    : tr("The Pi is installing now. From here it finishes, or puts every old "
                         "file back, on its own, even if the connection breaks: stopping is no "
                         "longer possible."));
    m_tryAgain->setVisible(s.isFinished() && !s.installed());

    const bool atEnd = m_log->verticalScrollBar()->value() == m_log->verticalScrollBar()->maximum();
    m_log->setPlainText(s.log.join(u'\n'));
    if (atEnd)
        m_log->verticalScrollBar()->setValue(m_log->verticalScrollBar()->maximum());
    emit completeChanged();
}

} // namespace wmw
