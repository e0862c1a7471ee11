// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWizardPage>

namespace wmw {

/// Stands for a job whose pages are not built yet, and says so plainly.
class PlaceholderPage : public QWizardPage
{
    Q_OBJECT
public:
    PlaceholderPage(const QString &title, const QString &text, QWidget *parent = nullptr);

    int nextId() const override { return -1; }
};

} // namespace wmw
