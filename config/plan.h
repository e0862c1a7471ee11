// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/fileset.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QString>

namespace wmw::config {

// A file as it is on the Pi now (read over SSH by the caller).
struct CurrentFile
{
    bool exists = false;
    QByteArray bytes;
    QString owner;
    QString group;
    int mode = 0;
};

enum class FileAction {
    Unchanged, // bytes, owner, group and mode already as wanted
    Create, // the file is absent
    Update, // the content, the owner/group or the mode differ
};

struct FilePlan
{
    FileEntry wanted;
    CurrentFile current;
    FileAction action = FileAction::Unchanged;
    bool contentChanges = false;
    bool ownerChanges = false; // owner or group
    bool modeChanges = false;
    QByteArray diff; // unified diff of the content with every secret redacted; empty if same

    QString summary() const; // one translated line: what happens to this file and why
};

// What applying a FileSet to the Pi would change, file by file, in the FileSet's order.
class Plan
{
    Q_DECLARE_TR_FUNCTIONS(wmw::config::Plan)
public:
    // `current` is keyed by path; a path missing from it counts as an absent file.
    static Plan make(const FileSet &wanted, const QHash<QString, CurrentFile> &current);

    const QList<FilePlan> &files() const { return m_files; }
    bool changesNothing() const;
    // Every file's summary followed by its diff: what the user reviews before applying.
    // Deterministic, and free of secrets as far as the entries' redactors know them.
    QByteArray render() const;

private:
    QList<FilePlan> m_files;
};

QString modeText(int mode); // "0644"

} // namespace wmw::config
