// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLabel>
#include <QVBoxLayout>
#include <QWidget>

#include <initializer_list>

namespace wmw {

/// A field with its inline message under it, for one row of a QFormLayout.
inline QWidget *withMessage(QWidget *field, QLabel *message, QLabel *hint = nullptr)
{
    auto *box = new QWidget;
    box->setFocusProxy(field); // see buddiesToFields()
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(field);
    if (hint) {
        hint->setWordWrap(true);
        hint->setStyleSheet(QStringLiteral("color: palette(placeholder-text);"));
        layout->addWidget(hint);
    }
    layout->addWidget(message);
    return box;
}

/// Sets the Tab order to the order of `widgets` (the visual order): the default order is
/// the order widgets were created in, which is not always the order they are shown in.
inline void chainTabOrder(std::initializer_list<QWidget *> widgets)
{
    QWidget *previous = nullptr;
    for (QWidget *widget : widgets) {
        if (previous)
            QWidget::setTabOrder(previous, widget);
        previous = widget;
    }
}

/// Points every label of `page` at the widget that takes the focus: a label whose buddy is a
/// box around a field (withMessage(), PasswordField) would otherwise do nothing on its
/// accelerator, as QLabel focuses only a buddy that accepts focus itself.
inline void buddiesToFields(QWidget *page)
{
    for (QLabel *label : page->findChildren<QLabel *>()) {
        QWidget *buddy = label->buddy();
        while (buddy && buddy->focusProxy())
            buddy = buddy->focusProxy();
        if (buddy && buddy != label->buddy())
            label->setBuddy(buddy);
    }
}

} // namespace wmw
