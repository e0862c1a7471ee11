// SPDX-License-Identifier: GPL-3.0-or-later
// Remote commands: one channel each, stdin written then closed (or kept open for more, see
// RunOptions::keepInputOpen), stdout and stderr read until the remote side closes. Between
// reads the worker waits on the socket and on the job's wake-up fd, so a cancel, a timeout or
// new input is handled at once, not at the end of a slice.
#include "remote/ssh/shellquote.h"
#include "remote/ssh/sshlogging.h"
#include "remote/ssh/sshworker.h"

#include <QDeadlineTimer>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace wmw::ssh {

namespace {
constexpr int pollSliceMs = 50;
constexpr int chunkSize = 32 * 1024;

// sshd sends a session without a terminal with Nagle's algorithm on: a small packet waits
// until the one before it is acknowledged. With nothing to send back, the laptop delays
// that acknowledgement (Linux 40 ms, Windows 200 ms), so the channel's confirmation behind
// OpenSSH's host-key notice, or a progress line behind another, waits a round trip and that
// delay. Called each time libssh has read everything there was: the pending acknowledgement
// goes out at once. The kernel leaves quick-ack mode on its own, so it is asked every time.
void acknowledgeNow(ssh_session session)
{
#ifdef TCP_QUICKACK
    const int fd = ssh_get_fd(session);
    const int one = 1;
    if (fd >= 0)
        ::setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
#else
    Q_UNUSED(session);
#endif
}

// Waits for the session's socket or the job's wake-up fd, at most the slice.
void waitForServer(ssh_session session, const AbortFlag &abort)
{
    pollfd fds[2] = {{ssh_get_fd(session), POLLIN, 0}, {abort.wakeFd, POLLIN, 0}};
    if (::poll(fds, abort.wakeFd >= 0 ? 2 : 1, pollSliceMs) > 0 && (fds[1].revents & POLLIN))
        abort.clearWake();
}
} // namespace

AbortFlag::AbortFlag()
    : wakeFd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC))
{ }

AbortFlag::~AbortFlag()
{
    if (wakeFd >= 0)
        ::close(wakeFd);
}

void AbortFlag::set(Reason why)
{
    reason = why;
    wake();
}

void AbortFlag::wake() const
{
    const quint64 one = 1;
    if (wakeFd >= 0 && ::write(wakeFd, &one, sizeof one) < 0) {
        // Only when the counter is full: the worker has a wake-up waiting already.
    }
}

void AbortFlag::clearWake() const
{
    quint64 count = 0;
    if (wakeFd >= 0 && ::read(wakeFd, &count, sizeof count) < 0) {
        // Nothing was pending (EAGAIN).
    }
}

SshResult SshWorker::execute(const QByteArray &command, const QByteArray &stdinData,
                             const AbortFlag &abort, InputPipe *input)
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
    if (!channel)
        return fail(Error::ChannelFailed, tr("Could not create a channel (out of memory?)."));
    // Without blocking, so that what sshd sends before its confirmation is acknowledged at
    // once (acknowledgeNow) and the confirmation does not wait for it.
    {
        ssh_session s = m_session.get();
        const QDeadlineTimer deadline(m_target.connectTimeoutMs);
        ssh_set_blocking(s, 0);
        int rc = SSH_AGAIN;
        while ((rc = ssh_channel_open_session(channel.get())) == SSH_AGAIN && !abort.isSet()
               && !deadline.hasExpired()) {
            acknowledgeNow(s);
            waitForServer(s, abort);
        }
        ssh_set_blocking(s, 1);
        acknowledgeNow(s);
        if (abort.isSet())
            return result; // the caller already reported
        if (rc != SSH_OK)
            return fail(Error::ChannelFailed,
                        tr("%1 refused to open a session channel: %2")
                                .arg(hostLabel(),
                                     rc == SSH_AGAIN
                                             ? tr("no answer within %1 s")
                                                       .arg(m_target.connectTimeoutMs / 1000)
                                             : libsshError()));
    }
    if (ssh_channel_request_exec(channel.get(), command.constData()) != SSH_OK)
        return fail(Error::ChannelFailed,
                    tr("%1 refused to run a command: %2").arg(hostLabel(), libsshError()));
    // The command line itself is not logged: it may name paths the user typed. Its length is.
    qCDebug(lcSsh) << "running a command of" << command.size() << "bytes on" << hostLabel();

    const auto send = [&](const QByteArray &data) {
        for (qsizetype written = 0; written < data.size();) {
            if (abort.isSet())
                return true; // the caller already reported; the channel closes on return
            const qsizetype chunk = qMin<qsizetype>(chunkSize, data.size() - written);
            const int rc =
                    ssh_channel_write(channel.get(), data.constData() + written, uint32_t(chunk));
            if (rc == SSH_ERROR)
                return false;
            written += rc;
        }
        return true;
    };
    const QString sendFailed = tr("Sending input to %1 failed: %2");
    if (!send(stdinData))
        return fail(Error::ConnectionLost, sendFailed.arg(hostLabel(), libsshError()));
    bool inputOpen = input != nullptr;
    if (!inputOpen)
        ssh_channel_send_eof(channel.get());

    char buffer[chunkSize];
    for (;;) {
        if (abort.isSet()) {
            // Ask the remote side to stop too; without a tty nothing else would end it.
            ssh_channel_request_send_signal(channel.get(), "TERM");
            return result;
        }
        if (inputOpen) {
            QByteArray more;
            bool closed = false;
            {
                QMutexLocker lock(&input->mutex);
                more = std::exchange(input->pending, {});
                closed = input->closed;
            }
            if (!send(more))
                return fail(Error::ConnectionLost, sendFailed.arg(hostLabel(), libsshError()));
            if (closed) {
                ssh_channel_send_eof(channel.get());
                inputOpen = false;
            }
        }
        for (int stream = 0; stream < 2; ++stream) {
            int n = 0;
            while ((n = ssh_channel_read_nonblocking(channel.get(), buffer, sizeof buffer, stream))
                   > 0) {
                (stream == 0 ? result.stdOut : result.stdErr).append(buffer, n);
                if (stream == 0 && m_streamingJob)
                    emit jobOutput(m_streamingJob, QByteArray(buffer, n));
            }
            if (n == SSH_ERROR)
                return fail(Error::ConnectionLost,
                            tr("Reading from %1 failed: %2").arg(hostLabel(), libsshError()));
        }
        if (ssh_channel_is_eof(channel.get()) || ssh_channel_is_closed(channel.get()))
            break;
        acknowledgeNow(m_session.get());
        // Everything libssh had is read: wait for the server, or for the caller (a cancel, a
        // timeout, more input), whichever comes first. The slice is a safety net only.
        pollfd fds[2] = {{ssh_get_fd(m_session.get()), POLLIN, 0}, {abort.wakeFd, POLLIN, 0}};
        if (::poll(fds, abort.wakeFd >= 0 ? 2 : 1, pollSliceMs) <= 0)
            continue;
        if (fds[1].revents & POLLIN)
            abort.clearWake();
        if ((fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) && !ssh_is_connected(m_session.get()))
            return fail(Error::ConnectionLost,
                        tr("The connection to %1 broke: %2").arg(hostLabel(), libsshError()));
    }
    result.exitStatus = ssh_channel_get_exit_status(channel.get());
    qCDebug(lcSsh) << "command exited with" << result.exitStatus;
    return result;
}

QByteArray SshWorker::sudoWrapper(const QByteArray &quotedCommand, bool checkPassword)
{
    // One channel for the whole sudo run: the Pi's shell (as the SSH user) decides whether
    // sudo asks, and checks a password on its own before the command's input follows it, so a
    // wrong password never meets that input (sudo would try its next lines as passwords).
    // The password is the first stdin line; it stays in the shell's memory and goes to sudo
    // with the builtin printf: never on a command line. -k ignores cached credentials.
    QByteArray script = "IFS= read -r p || p=\n";
    // The check is `sudo -v`, run by this shell itself (not in a $(...) subshell): where sudo
    // keeps tickets per caller, it leaves one for this shell, and the command runs on it
    // without asking PAM a second time (a slow hash on a Pi Zero). It asks nothing of a
    // NOPASSWD user (sudoers' verifypw=all), so it also stands for the NOPASSWD test. The
    // ticket is removed again right after, in the background: the answer need not wait. Where
    // sudo keeps no ticket (timestamp_timeout=0), the password goes to the command's sudo.
    // Each sudo start costs about 15 ms on a Pi; without a password there are two.
    if (checkPassword)
        script += "if [ -n \"$p\" ]; then\n"
                  "  if ! printf '%s\\n' \"$p\" | sudo -S -p '' -v >/dev/null; then\n"
                  "    echo '@wmw-sudo refused' >&2; exit 1\n  fi\n"
                  "  if sudo -n true 2>/dev/null; then\n"
                  "    p=; sudo -n -- sh -c "
                  + quotedCommand
                  + "\n    s=$?; sudo -k </dev/null >/dev/null 2>&1 & exit $s\n"
                    "  fi\n"
                    "fi\n";
    script += "if sudo -k -n true 2>/dev/null; then p=; exec sudo -n -- sh -c " + quotedCommand
              + "; fi\n"
                "[ -n \"$p\" ] || { echo '@wmw-sudo password-required' >&2; exit 1; }\n";
    script += "{ printf '%s\\n' \"$p\"; exec cat; } | sudo -k -S -p '' -- sh -c " + quotedCommand
              + '\n';
    return "sh -c " + *shellQuote(script);
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
    const std::optional<QByteArray> quoted = shellQuote(spec.command);
    if (!quoted || spec.password.contains(QChar(0)))
        return fail(Error::InvalidInput, tr("A command for sudo contains a NUL byte."));
    const QString user = m_target.user.isEmpty() ? tr("this user") : m_target.user;

    // Without input after it, a wrong password only meets sudo's own second prompt: no check.
    const bool check = !spec.stdinData.isEmpty() && m_sudoVerifiedPassword != spec.password;
    result = execute(sudoWrapper(*quoted, check), spec.password.toUtf8() + '\n' + spec.stdinData,
                     abort, spec.input.get());
    if (!result.ok())
        return result;
    // The wrapper's own verdict is its last stderr line; it is not part of the command's output.
    QByteArray verdict;
    if (const qsizetype at = result.stdErr.lastIndexOf("@wmw-sudo ");
        at >= 0 && (at == 0 || result.stdErr.at(at - 1) == '\n')) {
        verdict = result.stdErr.mid(at + 10).trimmed();
        result.stdErr.truncate(at);
    }
    const QByteArray &err = result.stdErr;
    if (result.exitStatus == 0) {
        if (!spec.password.isEmpty())
            m_sudoVerifiedPassword = spec.password;
    } else if (verdict == "password-required" || err.contains("a password is required")) {
        result.error = Error::SudoPasswordRequired;
        result.errorString =
                verdict == "password-required"
                        ? tr("sudo on %1: a password is required for %2, and none was given.")
                                  .arg(hostLabel(), user)
                        : tr("sudo on %1: a password is required for %2.").arg(hostLabel(), user);
    } else if (err.contains("not in the sudoers") || err.contains("may not run sudo")) {
        result.error = Error::SudoNotAllowed;
        result.errorString = tr("%1 may not use sudo on %2.").arg(user, hostLabel());
    } else if (err.contains("Sorry, try again") || err.contains("incorrect password")) {
        result.error = Error::SudoPasswordWrong;
        result.errorString = tr("sudo on %1 refused the password of %2 (\"Sorry, try again\").")
                                     .arg(hostLabel(), user);
    } else if (verdict == "refused") {
        result.error = Error::SudoNotAllowed;
        result.errorString = tr("sudo does not work on %1: %2")
                                     .arg(hostLabel(), QString::fromUtf8(err).trimmed());
    }
    return result;
}

} // namespace wmw::ssh
