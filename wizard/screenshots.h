// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

namespace wmw {

/// Renders every page of the wizard to DIR/<page>.png with QWidget::grab(), so pages can be
/// looked at without a display. Returns the files written, or an error message in `error`.
QStringList renderScreenshots(const QString &dir, QString *error);

} // namespace wmw
