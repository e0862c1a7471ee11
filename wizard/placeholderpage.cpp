// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/placeholderpage.h"

#include <QLabel>
#include <QVBoxLayout>

namespace wmw {

PlaceholderPage::PlaceholderPage(const QString &title, const QString &text, QWidget *parent)
    : QWizardPage(parent)
{
    setTitle(title);
    auto *label = new QLabel(text);
    label->setObjectName(QStringLiteral("placeholderText"));
    label->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(label);
    layout->addStretch();
    setFinalPage(true);
}

} // namespace wmw
