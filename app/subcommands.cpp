// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/subcommands.h"

namespace wmw::app {

QList<Subcommand> subcommands()
{
    // Headless jobs register here as their layers land.
    return {};
}

} // namespace wmw::app
