// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/sshlogin.h"

#include "app/terminal.h"
#include "remote/ssh/sshsession.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTextStream>

#include <unistd.h>

namespace wmw::app {

namespace {
class SshLogin
{
    Q_DECLARE_TR_FUNCTIONS(SshLogin)
public:
    static QString badLine(const QStringList &keys)
    {
        QStringList names;
        for (const QString &key : keys)
            names << key + u'=';
        return tr("--passwords-stdin: a line does not start with %1.").arg(names.join(u", "));
    }
    static QString unknownKey(const ssh::HostKeyInfo &info)
    {
        return tr("The Pi's host key is not known yet: %1 %2").arg(info.keyType, info.fingerprint);
    }
    static QString trust() { return tr("Trust it? [y/N] "); }
    static QString notTrusted(bool otherFingerprint)
    {
        return otherFingerprint ? tr("Not trusted: --accept-host-key names another fingerprint.")
                                : tr("Not trusted. Check the fingerprint on the Pi (ssh-keygen "
                                     "-lf /etc/ssh/ssh_host_ed25519_key.pub), then pass "
                                     "--accept-host-key.");
    }
};
} // namespace

std::optional<QMap<QString, QString>> readPasswordLines(const QStringList &keys, QString *error)
{
    QMap<QString, QString> values;
    while (const std::optional<QString> line = readLine()) {
        if (line->trimmed().isEmpty())
            continue;
        const qsizetype eq = line->indexOf(u'=');
        const QString key = line->left(eq).trimmed();
        if (eq < 0 || !keys.contains(key)) {
            *error = SshLogin::badLine(keys);
            return std::nullopt;
        }
        values.insert(key, line->mid(eq + 1));
    }
    return values;
}

QString connectFromTerminal(ssh::SshSession &session, const ssh::SshTarget &target,
                            const LoginPolicy &policy, QStringList *typed)
{
    const bool terminal = policy.mayAsk && ::isatty(STDIN_FILENO);
    QTextStream err(stderr);
    QEventLoop loop;
    QObject::connect(
            &session, &ssh::SshSession::hostKeyUnknown, &loop, [&](const ssh::HostKeyInfo &info) {
                err << SshLogin::unknownKey(info) << Qt::endl;
                if (!policy.acceptFingerprint.isEmpty()
                    && policy.acceptFingerprint == info.fingerprint)
                    return session.acceptHostKey();
                if (policy.acceptFingerprint.isEmpty() && terminal) {
                    const auto answer = prompt(SshLogin::trust(), true);
                    if (answer && answer->trimmed().toLower().startsWith(u'y'))
                        return session.acceptHostKey();
                }
                err << SshLogin::notTrusted(!policy.acceptFingerprint.isEmpty()) << Qt::endl;
                session.refuseHostKey();
            });
    QObject::connect(&session, &ssh::SshSession::credentialRequested, &loop,
                     [&](const ssh::CredentialRequest &request) {
                         if (!terminal)
                             return session.refuseCredential();
                         QStringList answers;
                         for (const QString &question : request.prompts)
                             answers << prompt(question).value_or(QString());
                         if (typed)
                             *typed << answers;
                         session.provideCredential(answers);
                     });
    QObject::connect(&session, &ssh::SshSession::stateChanged, &loop,
                     [&](ssh::SshSession::State state) {
                         if (state == ssh::SshSession::State::Connected
                             || state == ssh::SshSession::State::Disconnected)
                             loop.quit();
                     });
    session.connectToHost(target);
    loop.exec();
    return session.state() == ssh::SshSession::State::Connected ? QString() : session.errorString();
}

} // namespace wmw::app
