// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/export/bundlearchive.h"

#include "remote/export/exportlogging.h"

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace wmw::exporting {

namespace {

struct ArchiveWriteDeleter
{
    void operator()(archive *a) const { archive_write_free(a); }
};
struct ArchiveReadDeleter
{
    void operator()(archive *a) const { archive_read_free(a); }
};
struct EntryDeleter
{
    void operator()(archive_entry *e) const { archive_entry_free(e); }
};
using WriteHandle = std::unique_ptr<archive, ArchiveWriteDeleter>;
using ReadHandle = std::unique_ptr<archive, ArchiveReadDeleter>;
using EntryHandle = std::unique_ptr<archive_entry, EntryDeleter>;

la_ssize_t appendToByteArray(archive *, void *client, const void *buffer, size_t length)
{
    static_cast<QByteArray *>(client)->append(static_cast<const char *>(buffer), qsizetype(length));
    return la_ssize_t(length);
}

QString libarchiveError(archive *a)
{
    const char *text = archive_error_string(a);
    return text ? QString::fromLocal8Bit(text) : QString();
}

} // namespace

std::optional<ArchiveFormat> BundleArchive::formatForFileName(const QString &fileName)
{
    const QString lower = fileName.toLower();
    if (lower.endsWith(u".tar.gz") || lower.endsWith(u".tgz"))
        return ArchiveFormat::TarGz;
    if (lower.endsWith(u".zip"))
        return ArchiveFormat::Zip;
    return std::nullopt;
}

ArchiveWriteResult BundleArchive::write(const QList<config::BundleEntry> &entries,
                                        ArchiveFormat format)
{
    ArchiveWriteResult result;
    WriteHandle a(archive_write_new());
    auto fail = [&](const QString &what) {
        result.bytes.clear();
        result.errorString =
                tr("Writing the archive failed (%1): %2").arg(what, libarchiveError(a.get()));
        qCWarning(lcExport) << "archive:" << result.errorString;
        return result;
    };
    if (!a)
        return fail(QStringLiteral("archive_write_new"));
    int rc = ARCHIVE_OK;
    if (format == ArchiveFormat::TarGz) {
        rc = archive_write_set_format_pax_restricted(a.get());
        if (rc == ARCHIVE_OK)
            rc = archive_write_add_filter_gzip(a.get());
        // gzip would store the current time in its header otherwise.
        if (rc == ARCHIVE_OK)
            rc = archive_write_set_options(a.get(), "gzip:!timestamp");
    } else {
        rc = archive_write_set_format_zip(a.get());
    }
    if (rc != ARCHIVE_OK)
        return fail(QStringLiteral("format"));
    // Whole blocks of the tar stream, padded as tar tools expect.
    if (archive_write_open2(a.get(), &result.bytes, nullptr, &appendToByteArray, nullptr, nullptr)
        != ARCHIVE_OK)
        return fail(QStringLiteral("open"));

    for (const config::BundleEntry &entry : entries) {
        EntryHandle e(archive_entry_new());
        const QByteArray path = entry.path.toUtf8() + (entry.isDirectory ? "/" : "");
        archive_entry_set_pathname(e.get(), path.constData());
        archive_entry_set_filetype(e.get(), entry.isDirectory ? AE_IFDIR : AE_IFREG);
        archive_entry_set_perm(e.get(), mode_t(entry.mode & 07777));
        archive_entry_set_size(e.get(), entry.isDirectory ? 0 : la_int64_t(entry.bytes.size()));
        archive_entry_set_uid(e.get(), 0);
        archive_entry_set_gid(e.get(), 0);
        archive_entry_set_uname(e.get(), "root");
        archive_entry_set_gname(e.get(), "root");
        if (format == ArchiveFormat::TarGz)
            archive_entry_set_mtime(e.get(), time_t(tarMtime), 0);
        if (archive_write_header(a.get(), e.get()) != ARCHIVE_OK)
            return fail(entry.path);
        if (!entry.isDirectory && !entry.bytes.isEmpty()
            && archive_write_data(a.get(), entry.bytes.constData(), size_t(entry.bytes.size()))
                       != la_ssize_t(entry.bytes.size()))
            return fail(entry.path);
    }
    if (archive_write_close(a.get()) != ARCHIVE_OK)
        return fail(QStringLiteral("close"));
    qCDebug(lcExport) << "archive:" << entries.size() << "entries," << result.bytes.size()
                      << "bytes";
    return result;
}

ArchiveReadResult BundleArchive::read(const QByteArray &archiveBytes)
{
    ArchiveReadResult result;
    ReadHandle a(archive_read_new());
    archive_read_support_filter_all(a.get());
    archive_read_support_format_all(a.get());
    if (archive_read_open_memory(a.get(), archiveBytes.constData(), size_t(archiveBytes.size()))
        != ARCHIVE_OK) {
        result.errorString = tr("Not an archive: %1").arg(libarchiveError(a.get()));
        return result;
    }
    archive_entry *e = nullptr;
    int rc = ARCHIVE_OK;
    while ((rc = archive_read_next_header(a.get(), &e)) == ARCHIVE_OK) {
        ArchiveEntry entry;
        entry.path = QString::fromUtf8(archive_entry_pathname(e));
        entry.isDirectory = archive_entry_filetype(e) == AE_IFDIR;
        if (entry.isDirectory && entry.path.endsWith(u'/'))
            entry.path.chop(1);
        entry.mode = int(archive_entry_perm(e));
        entry.mtime = archive_entry_mtime_is_set(e) ? qint64(archive_entry_mtime(e)) : -1;
        entry.owner = QString::fromUtf8(archive_entry_uname(e) ? archive_entry_uname(e) : "");
        entry.group = QString::fromUtf8(archive_entry_gname(e) ? archive_entry_gname(e) : "");
        char buffer[16384];
        la_ssize_t n = 0;
        while ((n = archive_read_data(a.get(), buffer, sizeof buffer)) > 0)
            entry.bytes.append(buffer, qsizetype(n));
        if (n < 0) {
            result.errorString = tr("Reading %1 from the archive failed: %2")
                                         .arg(entry.path, libarchiveError(a.get()));
            return result;
        }
        result.entries.append(entry);
    }
    if (rc != ARCHIVE_EOF)
        result.errorString = tr("The archive is damaged: %1").arg(libarchiveError(a.get()));
    return result;
}

} // namespace wmw::exporting
