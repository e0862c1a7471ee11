// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace wmw {

class WizardController;

/// The screenshots' state of the review, apply, export and done pages, for the demo profile
/// applyDemoState() set: a plan against a typical Pi (weewx.conf with Belchertown, no
/// mosquitto files yet), an apply that went through, and a written bundle. No network.
void applyProvisioningDemo(WizardController &controller);

/// The apply page's state after a check failed on the Pi: mosquitto did not listen on the
/// websockets port, so every file went back and the services run with the old files.
void applyRolledBackDemo(WizardController &controller);

} // namespace wmw
