// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/bundle.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>

#include <optional>

namespace wmw::exporting {

enum class ArchiveFormat {
    TarGz, ///< POSIX tar (ustar, pax only when needed), gzip without a time stamp
    Zip, ///< deflate; Unix modes in the external attributes
};

/// One entry as read back from an archive (for checks and tests).
struct ArchiveEntry
{
    QString path;
    QByteArray bytes;
    int mode = 0;
    bool isDirectory = false;
    qint64 mtime = 0;
    QString owner;
    QString group;
};

struct [[nodiscard]] ArchiveWriteResult
{
    QByteArray bytes;
    QString errorString; ///< translated
    bool ok() const { return errorString.isEmpty(); }
};

struct [[nodiscard]] ArchiveReadResult
{
    QList<ArchiveEntry> entries;
    QString errorString; ///< translated
    bool ok() const { return errorString.isEmpty(); }
};

/// Writes the bundle's entries as a .tar.gz or .zip with libarchive, byte-reproducible: the
/// same entries give the same bytes, on any machine and in any time zone (fixed times, owner
/// root:root with ids 0, no gzip time stamp, entries in the given order).
class BundleArchive
{
    Q_DECLARE_TR_FUNCTIONS(wmw::exporting::BundleArchive)
public:
    /// The time every tar entry carries (2000-01-01 00:00 UTC). Zip entries carry none, which
    /// libarchive writes as the DOS minimum 1980-01-01 00:00: a set time would be converted to
    /// local time and change the bytes with the time zone.
    static constexpr qint64 tarMtime = 946684800;

    /// From the file name: ".tar.gz" / ".tgz" or ".zip" (any case); std::nullopt otherwise.
    static std::optional<ArchiveFormat> formatForFileName(const QString &fileName);

    static ArchiveWriteResult write(const QList<config::BundleEntry> &entries,
                                    ArchiveFormat format);
    /// Reads any archive libarchive knows (used to check what was written).
    static ArchiveReadResult read(const QByteArray &archive);
};

} // namespace wmw::exporting
