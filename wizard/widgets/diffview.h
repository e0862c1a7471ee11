// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QPlainTextEdit>

namespace wmw {

/// A read-only, monospace view of a unified diff: added lines green, removed lines red, hunk
/// headers blue. The text stays plain, so it can be selected and copied as a patch.
class DiffView : public QPlainTextEdit
{
    Q_OBJECT
public:
    explicit DiffView(QWidget *parent = nullptr);

    void setDiff(const QByteArray &diff);
};

} // namespace wmw
