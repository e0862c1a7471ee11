// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/provisioning/provisioninglogging.h"

Q_LOGGING_CATEGORY(lcProvision, "wmw.remote.provisioning", QtInfoMsg)
Q_LOGGING_CATEGORY(lcProvisionTrace, "wmw.remote.provisioning.trace", QtWarningMsg)
