// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace wmw::app {

/// A job the command line reaches without the wizard ("live-check", "diagnose", "export", ...).
/// `run` gets the arguments after the command name and returns the process exit code.
struct Subcommand
{
    QString name;
    QString summary; ///< translated, one line
    std::function<int(const QStringList &arguments)> run;
};

/// Every subcommand this build knows; each is one function away from the dispatch.
QList<Subcommand> subcommands();

/// Exit codes shared by every command.
enum ExitCode {
    ExitOk = 0,
    ExitFailure = 1, ///< the job ran and found or hit a failure
    ExitUsage = 2, ///< bad command line
};

} // namespace wmw::app
