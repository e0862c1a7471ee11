// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/plan.h"

#include "config/unifieddiff.h"

namespace wmw::config {

QString modeText(int mode)
{
    return QStringLiteral("%1").arg(mode, 4, 8, QLatin1Char('0'));
}

Plan Plan::make(const FileSet &wanted, const QHash<QString, CurrentFile> &current)
{
    Plan plan;
    for (const FileEntry &entry : wanted.entries()) {
        FilePlan file;
        file.wanted = entry;
        file.current = current.value(entry.path);
        if (!file.current.exists) {
            file.action = FileAction::Create;
            file.contentChanges = true;
        } else {
            file.contentChanges = file.current.bytes != entry.bytes;
            file.ownerChanges =
                    file.current.owner != entry.owner || file.current.group != entry.group;
            file.modeChanges = file.current.mode != entry.mode;
            file.action = file.contentChanges || file.ownerChanges || file.modeChanges
                                  ? FileAction::Update
                                  : FileAction::Unchanged;
        }
        if (file.contentChanges) {
            DiffSide from;
            from.exists = file.current.exists;
            from.bytes = file.current.bytes;
            from.label = QStringLiteral("a") + entry.path;
            DiffSide to;
            to.bytes = entry.bytes;
            to.label = QStringLiteral("b") + entry.path;
            if (entry.redact) {
                // The Pi's file is redacted with the same rules: its old passwords are as
                // secret as the new ones.
                if (from.exists)
                    from.shown = entry.redact(from.bytes);
                to.shown = entry.redact(to.bytes);
            }
            file.diff = unifiedDiff(from, to);
        }
        plan.m_files.append(file);
    }
    return plan;
}

bool Plan::changesNothing() const
{
    for (const FilePlan &f : m_files) {
        if (f.action != FileAction::Unchanged)
            return false;
    }
    return true;
}

QString FilePlan::summary() const
{
    const QString wantedOwner = wanted.owner + u':' + wanted.group;
    switch (action) {
    case FileAction::Unchanged:
        return Plan::tr("unchanged %1").arg(wanted.path);
    case FileAction::Create:
        return Plan::tr("create %1 (%2, mode %3)")
                .arg(wanted.path, wantedOwner, modeText(wanted.mode));
    case FileAction::Update:
        break;
    }
    QStringList what;
    if (contentChanges)
        what << Plan::tr("content");
    if (ownerChanges)
        what << Plan::tr("owner %1 -> %2").arg(current.owner + u':' + current.group, wantedOwner);
    if (modeChanges)
        what << Plan::tr("mode %1 -> %2").arg(modeText(current.mode), modeText(wanted.mode));
    return Plan::tr("update %1 (%2)").arg(wanted.path, what.join(QStringLiteral(", ")));
}

QByteArray Plan::render() const
{
    QByteArray out;
    for (const FilePlan &f : m_files) {
        out += f.summary().toUtf8() + '\n';
        out += f.diff;
    }
    return out;
}

} // namespace wmw::config
