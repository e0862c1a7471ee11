// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "wizard/mainwizard.h"

#include <QWizardPage>

class QButtonGroup;
class QListWidget;

namespace wmw {

class WizardController;

/// The first page: which of the three jobs the user came for, and recent profiles to open.
class WelcomePage : public QWizardPage
{
    Q_OBJECT
public:
    explicit WelcomePage(WizardController *controller, QWidget *parent = nullptr);

    void initializePage() override;
    int nextId() const override;
    bool isComplete() const override;

    /// The chosen job; Provision while none is chosen.
    MainWizard::Job job() const;
    void setJob(MainWizard::Job job);

private:
    void showRecentProfiles();

    WizardController *m_controller = nullptr;
    QButtonGroup *m_jobs = nullptr;
    QListWidget *m_recent = nullptr;
};

} // namespace wmw
