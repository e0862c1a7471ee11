// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

// Provisioning: every step that reads, uploads, installs or restarts something on the Pi, with
// paths and outcomes only (never file bytes, hashes or passwords). `.trace` adds each progress
// line of the apply script as the Pi wrote it.
Q_DECLARE_LOGGING_CATEGORY(lcProvision)
Q_DECLARE_LOGGING_CATEGORY(lcProvisionTrace)
