// SPDX-License-Identifier: GPL-3.0-or-later
// Authentication in the order a user of OpenSSH expects: ssh-agent, key files (asking for a
// passphrase), password, keyboard-interactive. A failure names what the server offered and
// what was tried, because "Permission denied" alone sends users guessing.
#include "remote/ssh/sshlogging.h"
#include "remote/ssh/sshworker.h"

#include <QFile>

#include <cstring>

namespace wmw::ssh {

namespace {

QStringList methodNames(int methods)
{
    QStringList names;
    if (methods & SSH_AUTH_METHOD_PUBLICKEY)
        names << QStringLiteral("publickey");
    if (methods & SSH_AUTH_METHOD_PASSWORD)
        names << QStringLiteral("password");
    if (methods & SSH_AUTH_METHOD_INTERACTIVE)
        names << QStringLiteral("keyboard-interactive");
    if (methods & SSH_AUTH_METHOD_HOSTBASED)
        names << QStringLiteral("hostbased");
    if (methods & SSH_AUTH_METHOD_GSSAPI_MIC)
        names << QStringLiteral("gssapi-with-mic");
    return names;
}

} // namespace

int SshWorker::passphraseCallback(const char *, char *buf, size_t len, int, int, void *userdata)
{
    auto *self = static_cast<SshWorker *>(userdata);
    if (self->m_connectAbort->isSet() || len == 0)
        return -1;
    CredentialRequest request;
    request.kind = CredentialRequest::Kind::Passphrase;
    request.host = self->hostLabel();
    request.user = self->m_target.user;
    request.prompts << tr("Passphrase of the SSH key");
    request.echo << false;
    self->m_passphraseAsked = true;
    const std::optional<QStringList> answer =
            self->ask(CredentialPrompt, QVariant::fromValue(request));
    if (!answer || answer->isEmpty())
        return -1;
    const QByteArray passphrase = answer->first().toUtf8();
    if (size_t(passphrase.size()) >= len)
        return -1;
    std::memcpy(buf, passphrase.constData(), size_t(passphrase.size()) + 1);
    return 0;
}

SshWorker::Failure SshWorker::authenticate()
{
    ssh_session s = m_session.get();
    ssh_callbacks_init(&m_callbacks);
    m_callbacks.userdata = this;
    m_callbacks.auth_function = &SshWorker::passphraseCallback;
    ssh_set_callbacks(s, &m_callbacks);

    QString user = m_target.user;
    char *rawUser = nullptr;
    if (ssh_options_get(s, SSH_OPTIONS_USER, &rawUser) == SSH_OK) {
        user = QString::fromUtf8(rawUser);
        ssh_string_free_char(rawUser);
    }
    const auto lost = [&] {
        return Failure{Error::ConnectionLost, tr("The connection to %1 broke during the login: %2")
                                                      .arg(hostLabel(), libsshError())};
    };
    const auto cancelled = [] {
        return Failure{Error::Cancelled, {}};
    };

    QStringList tried;
    int methods = 0;
    // After a partial success the server wants another method; it says which.
    const auto partial = [&](const QString &step) {
        tried << tr("%1 (accepted, but the server wants one more method)").arg(step);
        methods = ssh_userauth_list(s, nullptr);
    };

    // A key file the user named, which opens without a passphrase, is signed and sent at once:
    // "none" (only there to learn the methods) and libssh's "would you take this key?" query
    // are two round trips, 100 ms over home Wi-Fi, and the user already chose this key.
    int rc = tryNamedKeyFile();
    if (rc == SSH_AUTH_SUCCESS) {
        qCInfo(lcSsh) << "logged in as" << user << "with the key file given";
        return {};
    }
    if (rc == SSH_AUTH_ERROR)
        return lost();
    if (rc == SSH_AUTH_PARTIAL) {
        partial(tr("key file %1").arg(m_target.identityFile));
    } else if (rc == SSH_AUTH_DENIED) {
        methods = ssh_userauth_list(s, nullptr); // the refusal named the methods
    } else {
        rc = ssh_userauth_none(s, nullptr);
        if (rc == SSH_AUTH_SUCCESS)
            return {};
        if (rc == SSH_AUTH_ERROR)
            return lost();
        methods = ssh_userauth_list(s, nullptr);
    }
    const QStringList offered = methodNames(methods);

    if (methods & SSH_AUTH_METHOD_PUBLICKEY) {
        const bool agentKnown =
                !m_target.agentSocket.isEmpty() || !qEnvironmentVariableIsEmpty("SSH_AUTH_SOCK");
        if (agentKnown) {
            rc = ssh_userauth_agent(s, nullptr);
            if (rc == SSH_AUTH_SUCCESS) {
                qCInfo(lcSsh) << "logged in as" << user << "with a key from ssh-agent";
                return {};
            }
            if (rc == SSH_AUTH_PARTIAL)
                partial(tr("ssh-agent"));
            else
                tried << (rc == SSH_AUTH_ERROR ? tr("ssh-agent (not reachable)")
                                               : tr("ssh-agent (no key accepted)"));
        } else {
            tried << tr("ssh-agent (none running)");
        }
        if (m_connectAbort->isSet())
            return cancelled();
    }
    if (methods & SSH_AUTH_METHOD_PUBLICKEY) {
        const QByteArray passphrase = m_target.passphrase.toUtf8();
        rc = ssh_userauth_publickey_auto(s, nullptr,
                                         passphrase.isEmpty() ? nullptr : passphrase.constData());
        if (m_connectAbort->isSet())
            return cancelled();
        if (rc == SSH_AUTH_SUCCESS) {
            qCInfo(lcSsh) << "logged in as" << user << "with a key file";
            return {};
        }
        if (rc == SSH_AUTH_ERROR)
            return lost();
        if (rc == SSH_AUTH_PARTIAL)
            partial(tr("key file"));
        else if (m_passphraseAsked || !passphrase.isEmpty())
            tried << tr("key files (passphrase wrong or not given, or no key accepted)");
        else
            tried << tr("key files (no key accepted)");
    }

    QString password = m_target.password;
    if (methods & SSH_AUTH_METHOD_PASSWORD) {
        if (password.isEmpty()) {
            CredentialRequest request;
            request.kind = CredentialRequest::Kind::Password;
            request.host = hostLabel();
            request.user = user;
            request.prompts << tr("Password of %1 on %2").arg(user, hostLabel());
            request.echo << false;
            if (const std::optional<QStringList> answer =
                        ask(CredentialPrompt, QVariant::fromValue(request));
                answer && !answer->isEmpty())
                password = answer->first();
            if (m_connectAbort->isSet())
                return cancelled();
        }
        if (password.isEmpty()) {
            tried << tr("password (none given)");
        } else {
            rc = ssh_userauth_password(s, nullptr, password.toUtf8().constData());
            if (rc == SSH_AUTH_SUCCESS) {
                qCInfo(lcSsh) << "logged in as" << user << "with a password";
                return {};
            }
            if (rc == SSH_AUTH_ERROR)
                return lost();
            if (rc == SSH_AUTH_PARTIAL) {
                partial(tr("password"));
            } else {
                tried << tr("password (refused)");
                m_passwordRejected = true;
            }
        }
    }

    if (methods & SSH_AUTH_METHOD_INTERACTIVE) {
        m_target.password = m_passwordRejected ? QString() : password;
        if (tryKeyboardInteractive(&tried)) {
            qCInfo(lcSsh) << "logged in as" << user << "with keyboard-interactive";
            return {};
        }
        if (m_connectAbort->isSet())
            return cancelled();
        if (!ssh_is_connected(s))
            return lost();
    }

    if (tried.isEmpty())
        tried << tr("nothing (no method this program supports)");
    return {Error::AuthenticationFailed,
            tr("%1 refused the login as %2. The server offers: %3. Tried: %4.")
                    .arg(hostLabel(), user,
                         offered.isEmpty() ? tr("nothing") : offered.join(QLatin1String(", ")),
                         tried.join(QLatin1String("; ")))};
}

int SshWorker::tryNamedKeyFile()
{
    if (m_target.identityFile.isEmpty())
        return SSH_AUTH_AGAIN;
    const QByteArray passphrase = m_target.passphrase.toUtf8();
    ssh_key raw = nullptr;
    // No callback: an encrypted key fails here instead of asking; the usual path below
    // asks for its passphrase only after the server said it would take the key.
    if (ssh_pki_import_privkey_file(QFile::encodeName(m_target.identityFile).constData(),
                                    passphrase.isEmpty() ? nullptr : passphrase.constData(),
                                    nullptr, nullptr, &raw)
        != SSH_OK)
        return SSH_AUTH_AGAIN;
    const KeyPtr key(raw);
    return ssh_userauth_publickey(m_session.get(), nullptr, key.get());
}

bool SshWorker::tryKeyboardInteractive(QStringList *tried)
{
    ssh_session s = m_session.get();
    bool passwordUsed = false;
    int rc = ssh_userauth_kbdint(s, nullptr, nullptr);
    while (rc == SSH_AUTH_INFO) {
        const int count = ssh_userauth_kbdint_getnprompts(s);
        CredentialRequest request;
        request.kind = CredentialRequest::Kind::KeyboardInteractive;
        request.host = hostLabel();
        request.user = m_target.user;
        request.name = QString::fromUtf8(ssh_userauth_kbdint_getname(s));
        request.instruction = QString::fromUtf8(ssh_userauth_kbdint_getinstruction(s));
        for (int i = 0; i < count; ++i) {
            char echo = 0;
            request.prompts << QString::fromUtf8(
                    ssh_userauth_kbdint_getprompt(s, unsigned(i), &echo));
            request.echo << (echo != 0);
        }
        QStringList answers;
        // PAM's single hidden "Password:" prompt is the password the user already gave.
        if (count == 1 && !request.echo.first() && !m_target.password.isEmpty() && !passwordUsed
            && request.prompts.first().contains(QLatin1String("assword"), Qt::CaseInsensitive)) {
            answers << m_target.password;
            passwordUsed = true;
        } else if (count > 0) {
            const std::optional<QStringList> answer =
                    ask(CredentialPrompt, QVariant::fromValue(request));
            if (!answer || answer->size() < count) {
                *tried << tr("keyboard-interactive (no answer given)");
                return false;
            }
            answers = *answer;
        }
        for (int i = 0; i < count; ++i) {
            if (ssh_userauth_kbdint_setanswer(s, unsigned(i), answers.at(i).toUtf8().constData())
                < 0) {
                *tried << tr("keyboard-interactive (answer not accepted by libssh)");
                return false;
            }
        }
        rc = ssh_userauth_kbdint(s, nullptr, nullptr);
    }
    if (rc == SSH_AUTH_SUCCESS)
        return true;
    *tried << (rc == SSH_AUTH_PARTIAL
                       ? tr("keyboard-interactive (the server wants one more method)")
                       : tr("keyboard-interactive (refused)"));
    return false;
}

} // namespace wmw::ssh
