// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace wmw {

class WizardController;

/// What the screenshots show: a filled profile for a station "weatherpi", a passed connection
/// test, and a live check receiving readings (or, with `failure`, failing at the login). The
/// controller is put offline first, so nothing touches the network.
void applyDemoState(WizardController &controller, bool failure = false);

} // namespace wmw
