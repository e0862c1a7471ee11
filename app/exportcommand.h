// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/subcommands.h"

namespace wmw::app {

/// `export --profile P.json --out FILE [--weewx-conf CURRENT] [--passwords-stdin] ...`:
/// writes the config bundle (.tar.gz or .zip) that applies the profile on a Pi by install.sh
/// or Ansible. Passwords come from a prompt or standard input, never from arguments.
Subcommand exportSubcommand();

/// The command itself, for tests and the dispatcher.
int runExport(const QStringList &arguments);

} // namespace wmw::app
