// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWizardPage>

class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace wmw {

class WizardController;

/// The apply, step by step: a row per step as the Pi reports it, the log (passwords masked),
/// Cancel until the point of no return, a rollback when a check fails, and the outcome.
/// Once the files are installed, Next leads to the live check.
class ApplyPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit ApplyPage(WizardController *controller, QWidget *parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;
    int nextId() const override;

private:
    void showStatus();

    WizardController *m_controller = nullptr;
    QLabel *m_result = nullptr;
    QListWidget *m_steps = nullptr;
    QLabel *m_warnings = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_tryAgain = nullptr;
    QLabel *m_noReturn = nullptr;
    QPlainTextEdit *m_log = nullptr;
};

} // namespace wmw
