// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/validation.h"

#include <QHash>
#include <QString>

class QLabel;
class QWidget;

namespace wmw {

/// The inline messages of one page: a label under each field that shows the validation
/// finding for that field's key (errors red, warnings amber, hidden when fine).
class FieldMessages
{
public:
    /// A hidden message label for `field` (a key of config::Validation, e.g. "users.web"),
    /// named "<field>.message" for tests and screen readers.
    QLabel *add(const QString &field);
    /// Also shows findings whose key starts with `prefix` (e.g. "topics.extra.") in this label.
    void addPrefix(const QString &prefix, const QString &field);
    /// Shows `findings` for this page's fields; true when none of them is an error.
    bool show(const QList<config::Finding> &findings);

private:
    QHash<QString, QLabel *> m_labels;
    QHash<QString, QString> m_prefixes;
};

} // namespace wmw
