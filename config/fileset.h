// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>

#include <functional>

namespace wmw::config {

// Gives, for a file's bytes, the lines as they may be shown (one per line, without line ends),
// with every secret replaced. Applied to our file and to the Pi's current one alike.
using Redactor = std::function<QList<QByteArray>(const QByteArray &bytes)>;

// One file the Pi should have.
struct FileEntry
{
    QString path; // absolute
    QByteArray bytes;
    QString owner = QStringLiteral("root");
    QString group = QStringLiteral("root");
    int mode = 0644; // permission bits
    Redactor redact; // empty: the file holds no secret
};

// The files one run generates, in a fixed order (the order they were added).
class FileSet
{
    Q_DECLARE_TR_FUNCTIONS(wmw::config::FileSet)
public:
    // Refuses a relative path, a path with `..`, a duplicate path or a mode beyond 07777.
    [[nodiscard]] bool add(FileEntry entry, QString *error = nullptr);
    const QList<FileEntry> &entries() const { return m_entries; }
    const FileEntry *find(const QString &path) const;

private:
    QList<FileEntry> m_entries;
};

// Redactors for the files the wizard writes. The mask is the same everywhere.
namespace redaction {
QByteArray mask(); // "••••••"
// weewx.conf: values of keys named like a password, passcode, secret, token or API key (every
// line of a triple-quoted one), and the password in any `scheme://user:password@host` URL.
QList<QByteArray> weewxConf(const QByteArray &bytes);
// mosquitto password file: `user:$7$...` becomes `user:<hash redacted>`.
QList<QByteArray> passwordFile(const QByteArray &bytes);
} // namespace redaction

} // namespace wmw::config
