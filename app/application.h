// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace wmw::app {

/// Parses the command line, then starts the wizard or runs a headless job.
int run(int argc, char *argv[]);

} // namespace wmw::app
