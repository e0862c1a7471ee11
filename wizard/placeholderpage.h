// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWizardPage>

namespace wmw {

/// Stands for a step whose page is not built yet, and says so plainly. With a page id, it
/// leads on to the next page of the job's flow; without one, it ends the wizard.
class PlaceholderPage : public QWizardPage
{
    Q_OBJECT
public:
    PlaceholderPage(const QString &title, const QString &text, int pageId = -1,
                    QWidget *parent = nullptr);

    int nextId() const override;

private:
    int m_pageId = -1;
};

} // namespace wmw
