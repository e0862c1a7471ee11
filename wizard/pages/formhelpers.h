// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLabel>
#include <QVBoxLayout>
#include <QWidget>

namespace wmw {

/// A field with its inline message under it, for one row of a QFormLayout.
inline QWidget *withMessage(QWidget *field, QLabel *message, QLabel *hint = nullptr)
{
    auto *box = new QWidget;
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

} // namespace wmw
