// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace wmw::ssh {
class SshSession;
class SshJob;
} // namespace wmw::ssh

namespace wmw::diagnosis {

/// The HostFacts probe as the diagnosis runs it: hostFactsProbeScript() with a known fault
/// repaired (the stat fields of acl and password files were not split while IFS held only a
/// newline, so owner, mode and size arrived as one field and the report did not parse).
/// Once probe.sh carries the fix this returns the script unchanged.
QByteArray diagnosisProbeScript();

/// Runs diagnosisProbeScript() like runHostFactsProbe(): sudo with the password on stdin
/// when one is given, else as the SSH user.
ssh::SshJob *runDiagnosisProbe(ssh::SshSession &session, const QString &sudoPassword,
                               int timeoutMs);

} // namespace wmw::diagnosis
