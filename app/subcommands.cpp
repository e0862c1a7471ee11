// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/subcommands.h"

#include "app/applycommand.h"
#include "app/diagnosecommand.h"
#include "app/exportcommand.h"
#include "app/livecheckcommand.h"

namespace wmw::app {

QList<Subcommand> subcommands()
{
    // Headless jobs register here as their layers land.
    return {
            liveCheckSubcommand(), diagnoseSubcommand(), exportSubcommand(),
            applySubcommand(),     undoSubcommand(),
    };
}

} // namespace wmw::app
