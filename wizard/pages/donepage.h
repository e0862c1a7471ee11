// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWizardPage>

class QLabel;
class QPushButton;

namespace wmw {

class WizardController;

/// The end of provisioning: what was changed on the Pi, where the backup is, how to undo it
/// (the exact command, and "Undo now"), and saving the profile for next time.
class DonePage : public QWizardPage
{
    Q_OBJECT
public:
    explicit DonePage(WizardController *controller, QWidget *parent = nullptr);

    void initializePage() override;
    int nextId() const override { return -1; }

private:
    void showStatus();
    void undoNow();
    void saveProfile();

    WizardController *m_controller = nullptr;
    QLabel *m_summary = nullptr;
    QLabel *m_changes = nullptr;
    QLabel *m_backup = nullptr;
    QLabel *m_undoCommand = nullptr;
    QPushButton *m_undoNow = nullptr;
    QLabel *m_undoStatus = nullptr;
    QLabel *m_profileStatus = nullptr;
};

} // namespace wmw
