// SPDX-License-Identifier: GPL-3.0-or-later
// Remote commands: one channel each, stdin written then closed, stdout and stderr read until
// the remote side closes, in slices so that a cancel or a timeout is seen within 50 ms.
#include "remote/ssh/shellquote.h"
#include "remote/ssh/sshlogging.h"
#include "remote/ssh/sshworker.h"

namespace wmw::ssh {

namespace {
constexpr int pollSliceMs = 50;
constexpr int chunkSize = 32 * 1024;
} // namespace

SshResult SshWorker::execute(const QByteArray &command, const QByteArray &stdinData,
                             const AbortFlag &abort)
{
    SshResult result;
    const auto fail = [&](Error error, const QString &message) {
        result.error = error;
        result.errorString = message;
        return result;
    };
    if (!m_session || !ssh_is_connected(m_session.get()))
        return fail(Error::NotConnected, tr("Not connected to %1.").arg(hostLabel()));
    ChannelPtr channel(ssh_channel_new(m_session.get()));
    if (!channel || ssh_channel_open_session(channel.get()) != SSH_OK)
        return fail(Error::ChannelFailed,
                    tr("%1 refused to open a session channel: %2").arg(hostLabel(), libsshError()));
    if (ssh_channel_request_exec(channel.get(), command.constData()) != SSH_OK)
        return fail(Error::ChannelFailed,
                    tr("%1 refused to run a command: %2").arg(hostLabel(), libsshError()));
    // The command line itself is not logged: it may name paths the user typed. Its length is.
    qCDebug(lcSsh) << "running a command of" << command.size() << "bytes on" << hostLabel();

    for (qsizetype written = 0; written < stdinData.size();) {
        if (abort.isSet())
            return result; // the caller already reported; the channel closes on return
        const qsizetype chunk = qMin<qsizetype>(chunkSize, stdinData.size() - written);
        const int rc =
                ssh_channel_write(channel.get(), stdinData.constData() + written, uint32_t(chunk));
        if (rc == SSH_ERROR)
            return fail(Error::ConnectionLost,
                        tr("Sending input to %1 failed: %2").arg(hostLabel(), libsshError()));
        written += rc;
    }
    ssh_channel_send_eof(channel.get());

    char buffer[chunkSize];
    for (;;) {
        if (abort.isSet()) {
            // Ask the remote side to stop too; without a tty nothing else would end it.
            ssh_channel_request_send_signal(channel.get(), "TERM");
            return result;
        }
        if (ssh_channel_poll_timeout(channel.get(), pollSliceMs, 0) == SSH_ERROR)
            return fail(Error::ConnectionLost,
                        tr("The connection to %1 broke: %2").arg(hostLabel(), libsshError()));
        for (int stream = 0; stream < 2; ++stream) {
            int n = 0;
            while ((n = ssh_channel_read_nonblocking(channel.get(), buffer, sizeof buffer, stream))
                   > 0)
                (stream == 0 ? result.stdOut : result.stdErr).append(buffer, n);
            if (n == SSH_ERROR)
                return fail(Error::ConnectionLost,
                            tr("Reading from %1 failed: %2").arg(hostLabel(), libsshError()));
        }
        if (ssh_channel_is_eof(channel.get()) || ssh_channel_is_closed(channel.get()))
            break;
    }
    result.exitStatus = ssh_channel_get_exit_status(channel.get());
    qCDebug(lcSsh) << "command exited with" << result.exitStatus;
    return result;
}

SshResult SshWorker::sudo(const JobSpec &spec, const AbortFlag &abort)
{
    SshResult result;
    const auto fail = [&](Error error, const QString &message) {
        result.error = error;
        result.errorString = message;
        return result;
    };
    if (spec.password.contains(QLatin1Char('\n')) || spec.password.contains(QLatin1Char('\r')))
        return fail(Error::InvalidInput,
                    tr("The sudo password contains a line break; sudo reads only one line."));
    const QString user = m_target.user.isEmpty() ? tr("this user") : m_target.user;

    // Whether sudo asks at all decides whether the first stdin line is the password: sent to a
    // sudo that does not ask, it would be the first line of the command's input instead.
    // -k ignores cached credentials, so the answer does not change between calls.
    if (!m_sudoNeedsPassword) {
        const SshResult probe = execute("sudo -k -n true", {}, abort);
        if (!probe.ok() || abort.isSet())
            return probe;
        if (probe.exitStatus == 0)
            m_sudoNeedsPassword = false;
        else if (probe.stdErr.contains("a password is required"))
            m_sudoNeedsPassword = true;
        else if (probe.stdErr.contains("not in the sudoers")
                 || probe.stdErr.contains("may not run sudo"))
            return fail(Error::SudoNotAllowed,
                        tr("%1 may not use sudo on %2.").arg(user, hostLabel()));
        else
            return fail(Error::SudoNotAllowed,
                        tr("sudo does not work on %1: %2")
                                .arg(hostLabel(), QString::fromUtf8(probe.stdErr).trimmed()));
    }
    const bool withPassword = *m_sudoNeedsPassword;
    if (withPassword && spec.password.isEmpty())
        return fail(Error::SudoPasswordRequired,
                    tr("sudo on %1: a password is required for %2, and none was given.")
                            .arg(hostLabel(), user));
    const QByteArray passwordLine = spec.password.toUtf8() + '\n';

    // A wrong password must not meet the command's input: sudo would try the next lines of
    // it as passwords. So a password is checked alone once before data follows it.
    if (withPassword && !spec.stdinData.isEmpty() && m_sudoVerifiedPassword != spec.password) {
        const SshResult check = execute("sudo -k -S -p '' true", passwordLine, abort);
        if (!check.ok() || abort.isSet())
            return check;
        if (check.exitStatus != 0) {
            result = check;
            result.error = Error::SudoPasswordWrong;
            result.errorString = tr("sudo on %1 refused the password of %2 (\"Sorry, try again\").")
                                         .arg(hostLabel(), user);
            return result;
        }
        m_sudoVerifiedPassword = spec.password;
    }

    const std::optional<QByteArray> quoted = shellQuote(spec.command);
    if (!quoted)
        return fail(Error::InvalidInput, tr("A command for sudo contains a NUL byte."));
    const QByteArray command = "sudo -k -S -p '' -- sh -c " + *quoted;
    result = execute(command, withPassword ? passwordLine + spec.stdinData : spec.stdinData, abort);
    if (!result.ok())
        return result;
    if (result.exitStatus != 0 && result.stdErr.contains("Sorry, try again")) {
        result.error = Error::SudoPasswordWrong;
        result.errorString = tr("sudo on %1 refused the password of %2 (\"Sorry, try again\").")
                                     .arg(hostLabel(), user);
    } else if (result.exitStatus != 0 && result.stdErr.contains("a password is required")) {
        result.error = Error::SudoPasswordRequired;
        result.errorString =
                tr("sudo on %1: a password is required for %2.").arg(hostLabel(), user);
    } else if (result.exitStatus != 0 && result.stdErr.contains("not in the sudoers")) {
        result.error = Error::SudoNotAllowed;
        result.errorString = tr("%1 may not use sudo on %2.").arg(user, hostLabel());
    } else if (withPassword) {
        m_sudoVerifiedPassword = spec.password;
    }
    return result;
}

} // namespace wmw::ssh
