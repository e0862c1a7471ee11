// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>

namespace wmw {
namespace ssh {
class SshSession;
class SshJob;
} // namespace ssh

/// What the probe looks at: everything (diagnosis), or only what an apply needs (who, the OS,
/// WeeWX's install and extensions, paho-mqtt), which spares a slow Pi many process starts.
enum class HostFactsScope { All, Weewx };

/// The probe script (resource :/remote/hostfacts/probe.sh), for `scope`.
QByteArray hostFactsProbeScript(HostFactsScope scope = HostFactsScope::All);

/// Runs the probe on the Pi in one round trip: `sudo -S -p '' -- sh -c 'sh -s'` with the
/// password as the first stdin line (SshSession::runSudo) and the script after it; without a
/// password it runs as the SSH user and reports what it could not read. Parse the job's
/// stdOut with HostFacts::parse().
ssh::SshJob *runHostFactsProbe(ssh::SshSession &session, const QString &sudoPassword,
                               int timeoutMs = 60000);

} // namespace wmw
