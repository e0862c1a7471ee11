// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QPlainTextEdit;
class QToolButton;

namespace wmw {

/// A "Details" toggle and the read-only log it shows and hides: what a station owner needs
/// one click away, not on the page.
struct DetailsLog
{
    QToolButton *button = nullptr;
    QPlainTextEdit *log = nullptr; ///< hidden until the button is toggled; objectName as given
};

DetailsLog makeDetailsLog(const QString &logObjectName);

} // namespace wmw
