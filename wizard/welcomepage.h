// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWizardPage>

class QButtonGroup;

namespace wmw {

/// The first page: which of the three jobs the user came for.
class WelcomePage : public QWizardPage
{
    Q_OBJECT
public:
    explicit WelcomePage(QWidget *parent = nullptr);

    int nextId() const override;
    bool isComplete() const override;

private:
    QButtonGroup *m_jobs = nullptr;
};

} // namespace wmw
