// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/placeholderpage.h"

#include "wizard/mainwizard.h"

#include <QLabel>
#include <QVBoxLayout>

namespace wmw {

PlaceholderPage::PlaceholderPage(const QString &title, const QString &text, int pageId,
                                 QWidget *parent)
    : QWizardPage(parent)
    , m_pageId(pageId)
{
    setTitle(title);
    auto *label = new QLabel(text);
    label->setObjectName(QStringLiteral("placeholderText"));
    label->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(label);
    layout->addStretch();
    setFinalPage(pageId < 0);
}

int PlaceholderPage::nextId() const
{
    return m_pageId < 0 ? -1 : MainWizard::nextAfter(m_pageId, wizard());
}

} // namespace wmw
