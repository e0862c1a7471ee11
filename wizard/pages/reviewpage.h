// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWizardPage>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;

namespace wmw {

class DiffView;
class WizardController;

/// What the apply will do, read from the Pi and nothing changed yet: each file with create /
/// update / unchanged, its owner and mode and its diff (passwords and hashes masked), and the
/// commands that will run. A commit page: its button applies. "Export bundle instead" goes to
/// the export page with the same settings.
class ReviewPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit ReviewPage(WizardController *controller, QWidget *parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;
    int nextId() const override;

private:
    void showPlan();
    void showSelectedDiff();

    WizardController *m_controller = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_warnings = nullptr;
    QCheckBox *m_installExtension = nullptr;
    QTreeWidget *m_files = nullptr;
    DiffView *m_diff = nullptr;
    QLabel *m_commandsLabel = nullptr;
    QPlainTextEdit *m_commands = nullptr;
    QPushButton *m_readAgain = nullptr;
    bool m_exportInstead = false;
};

} // namespace wmw
