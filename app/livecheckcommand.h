// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/subcommands.h"

namespace wmw::app {

/// `live-check URL --topic T [--user U] [--password-stdin] [--timeout S] [--json] ...`:
/// connects like the Belchertown page, prints each state change and exits with 0 when loop
/// data arrives, or with the code of the failure class (listed in `live-check --help`).
Subcommand liveCheckSubcommand();

/// The command itself, for tests and the dispatcher.
int runLiveCheck(const QStringList &arguments);

} // namespace wmw::app
