// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace wmw::test {

/// What a run of the program under test gave.
struct ProgramRun
{
    int exitCode = -1; ///< -1: did not start or timed out; -2: crashed
    QByteArray out;
    QByteArray err;
};

/// Runs `program` as a user would from a shell, in the C.UTF-8 locale, with `home` as HOME and
/// XDG_CONFIG_HOME and no ssh-agent, so neither the developer's ~/.ssh nor an agent nor saved
/// settings take part. `stdinBytes` is written, then standard input is closed.
ProgramRun runProgram(const QString &program, const QStringList &arguments, const QString &home,
                      const QByteArray &stdinBytes = {}, int timeoutMs = 300000);

} // namespace wmw::test
