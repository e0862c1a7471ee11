// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/ssh/sshworker.h"

#include "remote/ssh/knownhostsfile.h"
#include "remote/ssh/sshlogging.h"

#include <QDir>

namespace wmw::ssh {

SshWorker::~SshWorker()
{
    disconnectNow();
}

void SshWorker::disconnectNow()
{
    // The SFTP session rides on a channel of the SSH session: free it first.
    m_sftp.reset();
    m_session.reset();
    m_sudoVerifiedPassword.clear();
}

QString SshWorker::libsshError() const
{
    return m_session ? QString::fromUtf8(ssh_get_error(m_session.get())) : QString();
}

QString SshWorker::hostLabel() const
{
    return m_target.port > 0 && m_target.port != 22
                   ? QStringLiteral("%1:%2").arg(m_target.host).arg(m_target.port)
                   : m_target.host;
}

std::optional<QStringList> SshWorker::ask(int kind, const QVariant &payload)
{
    const std::shared_ptr<PromptBox> box = m_prompt;
    QMutexLocker lock(&box->mutex);
    box->answered = false;
    box->answers.clear();
    emit promptNeeded(m_attempt, kind, payload);
    while (!box->answered && !box->abandoned)
        box->changed.wait(&box->mutex);
    if (box->abandoned || !box->accepted)
        return std::nullopt;
    return box->answers;
}

SshWorker::Failure SshWorker::configure(const SshTarget &target)
{
    m_session.reset(ssh_new());
    ssh_session s = m_session.get();
    if (!s)
        return {Error::ConnectionFailed, tr("Could not create an SSH session (out of memory?).")};
    const auto set = [&](ssh_options_e option, const void *value) {
        return ssh_options_set(s, option, value) == SSH_OK;
    };
    const QByteArray host = target.host.toUtf8();
    const int process = target.processConfig ? 1 : 0;
    // Order matters: the host name selects the ~/.ssh/config block, and options set after the
    // config is read override it (a port typed by the user beats the alias's Port).
    if (!set(SSH_OPTIONS_HOST, host.constData()) || !set(SSH_OPTIONS_PROCESS_CONFIG, &process))
        return {Error::InvalidInput,
                tr("Invalid host name \"%1\": %2").arg(target.host, libsshError())};
    if (!target.sshDirectory.isEmpty()
        && !set(SSH_OPTIONS_SSH_DIR, QFile::encodeName(target.sshDirectory).constData()))
        return {Error::InvalidInput, libsshError()};
    // Compression after login (zlib@openssh.com), as `ssh -C` does: the probe's script, the
    // Pi's files and the staged archive are text and shrink to a third, which a slow Wi-Fi
    // link to a Pi Zero feels. "none" stays in the list, so a server with `Compression no`
    // still connects. Set before the user's config is read: its `Compression no` wins.
    set(SSH_OPTIONS_COMPRESSION, "zlib@openssh.com,none");
    if (target.processConfig) {
        const QByteArray file = QFile::encodeName(target.configFile);
        if (ssh_options_parse_config(s, file.isEmpty() ? nullptr : file.constData()) != SSH_OK)
            return {Error::InvalidInput,
                    tr("Could not read the SSH configuration %1: %2")
                            .arg(target.configFile.isEmpty() ? tr("~/.ssh/config")
                                                             : target.configFile,
                                 libsshError())};
    }
    const unsigned int port = unsigned(target.port);
    if (target.port > 0 && !set(SSH_OPTIONS_PORT, &port))
        return {Error::InvalidInput, tr("Invalid port %1.").arg(target.port)};
    if (!target.user.isEmpty() && !set(SSH_OPTIONS_USER, target.user.toUtf8().constData()))
        return {Error::InvalidInput, tr("Invalid user name \"%1\".").arg(target.user)};
    if (!target.knownHostsFile.isEmpty()
        && !set(SSH_OPTIONS_KNOWNHOSTS, QFile::encodeName(target.knownHostsFile).constData()))
        return {Error::InvalidInput, libsshError()};
    if (!target.identityFile.isEmpty()
        && !set(SSH_OPTIONS_IDENTITY, QFile::encodeName(target.identityFile).constData()))
        return {Error::InvalidInput, libsshError()};
    if (!target.agentSocket.isEmpty()
        && !set(SSH_OPTIONS_IDENTITY_AGENT, QFile::encodeName(target.agentSocket).constData()))
        return {Error::InvalidInput, libsshError()};
    // Without TCP_NODELAY every small request waits for Nagle: ~100 ms per login on loopback.
    const int noDelay = 1;
    set(SSH_OPTIONS_NODELAY, &noDelay);
    const long seconds = target.connectTimeoutMs / 1000;
    const long micro = (target.connectTimeoutMs % 1000) * 1000L;
    set(SSH_OPTIONS_TIMEOUT, &seconds);
    set(SSH_OPTIONS_TIMEOUT_USEC, &micro);
    // libssh's TRACE level prints key passphrases; PROTOCOL is as far as we go.
    const int verbosity = lcSshTrace().isDebugEnabled() ? SSH_LOG_PROTOCOL : SSH_LOG_NOLOG;
    set(SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
    return {};
}

void SshWorker::connectTo(quint64 attempt, const SshTarget &target,
                          std::shared_ptr<AbortFlag> abort, std::shared_ptr<PromptBox> prompt)
{
    disconnectNow();
    m_target = target;
    m_attempt = attempt;
    m_connectAbort = std::move(abort);
    m_prompt = std::move(prompt);
    m_passphraseAsked = false;
    m_passwordRejected = false;
    const auto fail = [&](const Failure &failure) {
        qCInfo(lcSsh) << "connecting to" << hostLabel() << "failed:" << failure.message;
        disconnectNow();
        emit connectFinished(attempt, int(failure.error), failure.message);
    };
    if (m_connectAbort->isSet())
        return fail({Error::Cancelled, {}});
    if (const Failure failure = configure(target); failure.error != Error::NoError)
        return fail(failure);

    qCInfo(lcSsh) << "connecting to" << hostLabel();
    if (ssh_connect(m_session.get()) != SSH_OK) {
        const QString why = libsshError();
        Error error = Error::ConnectionFailed;
        if (why.contains(QLatin1String("resolve"), Qt::CaseInsensitive))
            error = Error::HostNotFound;
        else if (why.contains(QLatin1String("timeout"), Qt::CaseInsensitive)
                 || why.contains(QLatin1String("timed out"), Qt::CaseInsensitive))
            error = Error::Timeout;
        return fail({error, tr("Could not connect to %1: %2").arg(hostLabel(), why)});
    }
    if (m_connectAbort->isSet())
        return fail({Error::Cancelled, {}});
    if (const Failure failure = verifyHostKey(); failure.error != Error::NoError)
        return fail(failure);
    if (m_connectAbort->isSet())
        return fail({Error::Cancelled, {}});
    if (const Failure failure = authenticate(); failure.error != Error::NoError)
        return fail(failure);
    qCInfo(lcSsh) << "connected to" << hostLabel();
    emit connectFinished(attempt, int(Error::NoError), {});
}

SshWorker::Failure SshWorker::verifyHostKey()
{
    ssh_session s = m_session.get();
    ssh_key rawKey = nullptr;
    if (ssh_get_server_publickey(s, &rawKey) != SSH_OK)
        return {Error::HostKeyError,
                tr("%1 sent no usable host key: %2").arg(hostLabel(), libsshError())};
    const KeyPtr key(rawKey);
    unsigned char *rawHash = nullptr;
    size_t hashLength = 0;
    if (ssh_get_publickey_hash(key.get(), SSH_PUBLICKEY_HASH_SHA256, &rawHash, &hashLength) != 0)
        return {Error::HostKeyError, tr("Could not hash the host key of %1.").arg(hostLabel())};
    const HashPtr hash(rawHash);
    const SshStringPtr fingerprint(
            ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash.get(), hashLength));

    HostKeyInfo info;
    char *rawHost = nullptr;
    if (ssh_options_get(s, SSH_OPTIONS_HOST, &rawHost) == SSH_OK) {
        info.host = QString::fromUtf8(rawHost);
        ssh_string_free_char(rawHost);
    }
    unsigned int port = 22;
    ssh_options_get_port(s, &port);
    info.port = int(port);
    info.keyType = QString::fromLatin1(ssh_key_type_to_char(ssh_key_type(key.get())));
    info.fingerprint = fingerprint ? QString::fromLatin1(fingerprint.get()) : QString();
    char *rawFile = nullptr;
    if (ssh_options_get(s, SSH_OPTIONS_KNOWNHOSTS, &rawFile) == SSH_OK) {
        info.knownHostsFile = QFile::decodeName(rawFile);
        ssh_string_free_char(rawFile);
    } else {
        info.knownHostsFile = m_target.knownHostsFile.isEmpty()
                                      ? QDir::homePath() + QLatin1String("/.ssh/known_hosts")
                                      : m_target.knownHostsFile;
    }
    const QString where =
            info.port == 22 ? info.host : QStringLiteral("[%1]:%2").arg(info.host).arg(info.port);

    switch (ssh_session_is_known_server(s)) {
    case SSH_KNOWN_HOSTS_OK:
        qCInfo(lcSsh) << "host key of" << where << "matches" << info.knownHostsFile;
        return {};
    case SSH_KNOWN_HOSTS_CHANGED:
    case SSH_KNOWN_HOSTS_OTHER: {
        // Never a silent accept: this is what a man in the middle looks like.
        const QList<int> lines = knownHostsLines(info.knownHostsFile, info.host, info.port);
        QStringList numbers;
        for (int line : lines)
            numbers << QString::number(line);
        const QString lineText = numbers.isEmpty()
                                         ? tr("the line for %1").arg(where)
                                         : tr("line %1").arg(numbers.join(QLatin1String(", ")));
        return {Error::HostKeyChanged,
                tr("The host key of %1 has changed since it was saved: this may not be your Pi. "
                   "If the Pi was reinstalled, remove %2 of %3 (or run: ssh-keygen -R '%4' -f %3) "
                   "and connect again. The new key is %5 %6.")
                        .arg(where, lineText, info.knownHostsFile, where, info.keyType,
                             info.fingerprint)};
    }
    case SSH_KNOWN_HOSTS_UNKNOWN:
    case SSH_KNOWN_HOSTS_NOT_FOUND: {
        qCInfo(lcSsh) << "host key of" << where << "is unknown:" << info.keyType
                      << info.fingerprint;
        const std::optional<QStringList> answer = ask(HostKeyPrompt, QVariant::fromValue(info));
        if (m_connectAbort->isSet())
            return {Error::Cancelled, {}};
        if (!answer)
            return {Error::HostKeyUnknownRefused,
                    tr("The host key of %1 (%2 %3) was not accepted; nothing was sent to it.")
                            .arg(where, info.keyType, info.fingerprint)};
        if (ssh_session_update_known_hosts(s) != SSH_OK)
            return {Error::HostKeyError, tr("Could not add the host key of %1 to %2: %3")
                                                 .arg(where, info.knownHostsFile, libsshError())};
        qCInfo(lcSsh) << "host key of" << where << "added to" << info.knownHostsFile;
        return {};
    }
    case SSH_KNOWN_HOSTS_ERROR:
        break;
    }
    return {Error::HostKeyError, tr("Could not check the host key of %1 against %2: %3")
                                         .arg(where, info.knownHostsFile, libsshError())};
}

} // namespace wmw::ssh
