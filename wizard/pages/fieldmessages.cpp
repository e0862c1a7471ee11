// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/pages/fieldmessages.h"

#include <QLabel>

namespace wmw {

QLabel *FieldMessages::add(const QString &field)
{
    auto *label = new QLabel;
    label->setObjectName(field + QStringLiteral(".message"));
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setVisible(false);
    m_labels.insert(field, label);
    return label;
}

void FieldMessages::addPrefix(const QString &prefix, const QString &field)
{
    m_prefixes.insert(prefix, field);
}

bool FieldMessages::show(const QList<config::Finding> &findings)
{
    QHash<QString, config::Finding> shown;
    for (const config::Finding &finding : findings) {
        QString field = finding.field;
        for (auto it = m_prefixes.cbegin(); it != m_prefixes.cend(); ++it) {
            if (field.startsWith(it.key()))
                field = it.value();
        }
        if (m_labels.contains(field) && !shown.contains(field))
            shown.insert(field, finding);
    }
    bool ok = true;
    for (auto it = m_labels.cbegin(); it != m_labels.cend(); ++it) {
        QLabel *label = it.value();
        const auto finding = shown.constFind(it.key());
        if (finding == shown.cend()) {
            label->clear();
            label->setVisible(false);
            continue;
        }
        const bool error = finding->severity == config::Finding::Error;
        ok = ok && !error;
        label->setText((error ? QStringLiteral("✗ ") : QStringLiteral("⚠ ")) + finding->message);
        label->setStyleSheet(error ? QStringLiteral("color: #c62828;")
                                   : QStringLiteral("color: #9a6700;"));
        label->setVisible(true);
    }
    return ok;
}

} // namespace wmw
