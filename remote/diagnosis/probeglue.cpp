// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/diagnosis/probeglue.h"

#include "remote/hostfacts/hostfactsprobe.h"
#include "remote/ssh/sshsession.h"

namespace wmw::diagnosis {

QByteArray diagnosisProbeScript()
{
    QByteArray script = hostFactsProbeScript();
    // Inside the acl/password loop IFS is a newline: split the stat output on blanks.
    const QByteArray broken = "    set -- \"$1\" \"$2\" \"${3:-}\" $st\n";
    const QByteArray fixed =
            "    wmw_ifs=$IFS\n    IFS=' '\n    set -- \"$1\" \"$2\" \"${3:-}\" $st\n"
            "    IFS=$wmw_ifs\n";
    if (script.contains(broken) && !script.contains("IFS=' '"))
        script.replace(broken, fixed);
    return script;
}

ssh::SshJob *runDiagnosisProbe(ssh::SshSession &session, const QString &sudoPassword, int timeoutMs)
{
    ssh::RunOptions options;
    // The script travels on stdin: nothing of it is a command line.
    options.stdinData = diagnosisProbeScript();
    options.timeoutMs = timeoutMs;
    if (sudoPassword.isEmpty())
        return session.run(QByteArrayLiteral("sh -s"), options);
    return session.runSudo(QByteArrayLiteral("sh -s"), sudoPassword, options);
}

} // namespace wmw::diagnosis
