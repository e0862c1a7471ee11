// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/hostfacts/hostfactsprobe.h"

#include "remote/ssh/sshsession.h"

#include <QFile>

namespace wmw {

QByteArray hostFactsProbeScript(HostFactsScope scope)
{
    QFile file(QStringLiteral(":/remote/hostfacts/probe.sh"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray script = file.readAll();
    return scope == HostFactsScope::Weewx ? "WMW_PROBE_SCOPE=weewx\n" + script : script;
}

ssh::SshJob *runHostFactsProbe(ssh::SshSession &session, const QString &sudoPassword, int timeoutMs)
{
    ssh::RunOptions options;
    // The script travels on stdin, so nothing of it (or of the user's data) is a command line.
    options.stdinData = hostFactsProbeScript();
    options.timeoutMs = timeoutMs;
    if (sudoPassword.isEmpty())
        return session.run(QByteArrayLiteral("sh -s"), options);
    return session.runSudo(QByteArrayLiteral("sh -s"), sudoPassword, options);
}

} // namespace wmw
