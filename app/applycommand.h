// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "app/subcommands.h"

namespace wmw::app {

/// `apply --profile P.json [--dry-run] [--yes] [--passwords-stdin] ...`: pushes a profile to
/// the Pi (provisioning), printing every step; `--dry-run` prints the plan and the redacted diff.
Subcommand applySubcommand();
/// `undo --host H [--port N] [--user U] [--backup NAME] [--passwords-stdin]`: restores a backup.
Subcommand undoSubcommand();

int runApply(const QStringList &arguments);
int runUndo(const QStringList &arguments);

} // namespace wmw::app
