// SPDX-License-Identifier: GPL-3.0-or-later
// SFTP: file contents travel as bytes, never through a command line. Writes go to a temporary
// name in the same directory and are renamed into place, so a reader never sees half a file.
#include "remote/ssh/shellquote.h"
#include "remote/ssh/sshlogging.h"
#include "remote/ssh/sshworker.h"

#include <QRandomGenerator>

#include <fcntl.h>
#include <sys/stat.h>

namespace wmw::ssh {

namespace {
constexpr int chunkSize = 32 * 1024;

QByteArray encodePath(const QString &path)
{
    return path.toUtf8();
}
} // namespace

SshWorker::Failure SshWorker::openSftp()
{
    if (!m_session || !ssh_is_connected(m_session.get()))
        return {Error::NotConnected, tr("Not connected to %1.").arg(hostLabel())};
    if (m_sftp)
        return {};
    SftpSessionPtr sftp(sftp_new(m_session.get()));
    if (!sftp || sftp_init(sftp.get()) != SSH_OK)
        return {Error::SftpFailed,
                tr("%1 offers no SFTP (is the sftp subsystem enabled in sshd_config?): %2")
                        .arg(hostLabel(), libsshError())};
    m_sftp = std::move(sftp);
    return {};
}

SshWorker::Failure SshWorker::sftpFailure(const QString &path, const QString &action) const
{
    const int code = m_sftp ? sftp_get_error(m_sftp.get()) : SSH_FX_FAILURE;
    switch (code) {
    case SSH_FX_NO_SUCH_FILE:
    case SSH_FX_NO_SUCH_PATH:
        return {Error::NoSuchFile,
                tr("%1 on %2: %3 does not exist.").arg(action, hostLabel(), path)};
    case SSH_FX_PERMISSION_DENIED:
        return {Error::PermissionDenied,
                tr("%1 on %2: permission denied for %3.").arg(action, hostLabel(), path)};
    case SSH_FX_CONNECTION_LOST:
    case SSH_FX_NO_CONNECTION:
        return {Error::ConnectionLost,
                tr("%1 on %2: the connection broke.").arg(action, hostLabel())};
    default:
        return {Error::SftpFailed, tr("%1 on %2 failed for %3 (SFTP status %4): %5")
                                           .arg(action, hostLabel(), path)
                                           .arg(code)
                                           .arg(libsshError())};
    }
}

SshResult SshWorker::readFile(const QString &path, const AbortFlag &abort)
{
    SshResult result;
    const auto fail = [&](const Failure &failure) {
        result.error = failure.error;
        result.errorString = failure.message;
        return result;
    };
    if (const Failure failure = openSftp(); failure.error != Error::NoError)
        return fail(failure);
    const QString action = tr("Reading a file");
    SftpFilePtr file(sftp_open(m_sftp.get(), encodePath(path).constData(), O_RDONLY, 0));
    if (!file)
        return fail(sftpFailure(path, action));
    char buffer[chunkSize];
    for (;;) {
        if (abort.isSet())
            return result;
        const ssize_t n = sftp_read(file.get(), buffer, sizeof buffer);
        if (n < 0)
            return fail(sftpFailure(path, action));
        if (n == 0)
            break;
        result.stdOut.append(buffer, qsizetype(n));
    }
    return result;
}

SshResult SshWorker::writeFile(const QString &path, const QByteArray &data, int mode,
                               const AbortFlag &abort)
{
    SshResult result;
    const auto fail = [&](const Failure &failure) {
        result.error = failure.error;
        result.errorString = failure.message;
        return result;
    };
    if (const Failure failure = openSftp(); failure.error != Error::NoError)
        return fail(failure);
    const QString action = tr("Writing a file");
    sftp_session sftp = m_sftp.get();
    if (mode < 0) {
        const SftpAttributesPtr old(sftp_stat(sftp, encodePath(path).constData()));
        mode = old ? int(old->permissions & 07777) : 0644;
    }
    const int slash = path.lastIndexOf(QLatin1Char('/'));
    const QString temporary = path.left(slash + 1) + QLatin1String(".") + path.mid(slash + 1)
                              + QLatin1String(".wmw-")
                              + QString::number(QRandomGenerator::global()->generate64(), 36);
    const QByteArray temporaryName = encodePath(temporary);
    bool renamed = false;
    // Whatever goes wrong below, no temporary file is left behind.
    const auto cleanup = qScopeGuard([&] {
        if (!renamed)
            sftp_unlink(sftp, temporaryName.constData());
    });
    SftpFilePtr file(sftp_open(sftp, temporaryName.constData(), O_WRONLY | O_CREAT | O_EXCL, 0600));
    if (!file)
        return fail(sftpFailure(path, action));
    for (qsizetype written = 0; written < data.size();) {
        if (abort.isSet())
            return result;
        const qsizetype chunk = qMin<qsizetype>(chunkSize, data.size() - written);
        const ssize_t n = sftp_write(file.get(), data.constData() + written, size_t(chunk));
        if (n < 0)
            return fail(sftpFailure(path, action));
        written += n;
    }
    // sftp_close reports a failed final write (a full disk); the deleter would swallow it.
    if (sftp_close(file.release()) != SSH_NO_ERROR)
        return fail(sftpFailure(path, action));
    // The mode is set explicitly: open() on the server applies sshd's umask to it.
    if (sftp_chmod(sftp, temporaryName.constData(), mode_t(mode)) != SSH_OK)
        return fail(sftpFailure(path, action));
    if (abort.isSet())
        return result;
    if (sftp_rename(sftp, temporaryName.constData(), encodePath(path).constData()) != SSH_OK) {
        // libssh 0.10 sends the SFTP v3 RENAME, which refuses an existing target. mv is one
        // rename(2) on the same file system, so the replacement stays atomic; both names go
        // through shellQuote.
        const std::optional<QByteArray> from = shellQuote(temporaryName);
        const std::optional<QByteArray> to = shellQuote(encodePath(path));
        if (!from || !to)
            return fail({Error::InvalidInput, tr("A file name contains a NUL byte.")});
        const SshResult moved = execute("mv -f -- " + *from + ' ' + *to, {}, abort);
        if (!moved.ok())
            return moved;
        if (moved.exitStatus != 0)
            return fail(
                    {Error::SftpFailed, tr("%1 on %2 failed for %3: %4")
                                                .arg(action, hostLabel(), path,
                                                     QString::fromUtf8(moved.stdErr).trimmed())});
    }
    renamed = true;
    qCInfo(lcSsh) << "wrote" << data.size() << "bytes to" << path << "on" << hostLabel();
    return result;
}

SshResult SshWorker::statFile(const QString &path)
{
    SshResult result;
    const auto fail = [&](const Failure &failure) {
        result.error = failure.error;
        result.errorString = failure.message;
        return result;
    };
    if (const Failure failure = openSftp(); failure.error != Error::NoError)
        return fail(failure);
    const SftpAttributesPtr attributes(sftp_stat(m_sftp.get(), encodePath(path).constData()));
    if (!attributes)
        return fail(sftpFailure(path, tr("Reading file information")));
    RemoteFileInfo &info = result.info;
    info.uid = attributes->uid;
    info.gid = attributes->gid;
    info.mode = attributes->permissions & 07777;
    info.size = qint64(attributes->size);
    info.isDirectory = attributes->type == SSH_FILEXFER_TYPE_DIRECTORY;
    // SFTP version 3 (OpenSSH) sends numbers only; the names appear in the `ls -l` style long
    // name of a directory listing, which libssh parses into owner and group.
    const int slash = path.lastIndexOf(QLatin1Char('/'));
    const QString directory =
            slash > 0 ? path.left(slash) : (slash == 0 ? QStringLiteral("/") : QStringLiteral("."));
    const QByteArray name = encodePath(path.mid(slash + 1));
    if (const SftpDirPtr dir(sftp_opendir(m_sftp.get(), encodePath(directory).constData())); dir) {
        while (const SftpAttributesPtr entry{sftp_readdir(m_sftp.get(), dir.get())}) {
            if (entry->name && name == entry->name) {
                info.owner = QString::fromUtf8(entry->owner);
                info.group = QString::fromUtf8(entry->group);
                break;
            }
        }
    }
    return result;
}

} // namespace wmw::ssh
