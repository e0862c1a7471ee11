// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "remote/ssh/sshtypes.h"

#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace wmw::ssh {
class SshSession;
}

namespace wmw::app {

/// Reads --passwords-stdin: KEY=VALUE lines (everything after the first '=' is the password;
/// blank lines are skipped). Keys outside `keys` are an error that never echoes the line, since
/// it may be a password without its key. Returns nullopt with `error` set.
std::optional<QMap<QString, QString>> readPasswordLines(const QStringList &keys, QString *error);

/// How a command line login answers what the Pi asks.
struct LoginPolicy
{
    QString acceptFingerprint; ///< --accept-host-key: trust exactly this unknown key
    bool mayAsk = true; ///< questions on the terminal (false with --passwords-stdin)
};

/// Connects `session` to `target` and waits: an unknown host key is accepted only when it is
/// the policy's fingerprint or the user says so on a terminal; login prompts are asked on the
/// terminal when allowed. Every answer typed is appended to `typed` (so outputs can mask it).
/// Returns an empty string when connected, else the reason.
QString connectFromTerminal(ssh::SshSession &session, const ssh::SshTarget &target,
                            const LoginPolicy &policy, QStringList *typed = nullptr);

} // namespace wmw::app
