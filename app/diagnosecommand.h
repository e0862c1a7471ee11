// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/subcommands.h"

namespace wmw::app {

/// `diagnose --host H [--port P] [--user U] [--page-url URL] [--json] [--report FILE]
/// [--passwords-stdin] ...`: collects the Pi's facts over SSH, connects like the Belchertown
/// page, and prints every finding that is not a pass with its evidence and fix (or the JSON
/// report). Exits 0 only when nothing fails; the other codes are listed in `diagnose --help`.
Subcommand diagnoseSubcommand();

/// The command itself, for tests and the dispatcher.
int runDiagnose(const QStringList &arguments);

} // namespace wmw::app
