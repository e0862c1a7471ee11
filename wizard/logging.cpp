// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/logging.h"

Q_LOGGING_CATEGORY(lcWizard, "wmw.wizard", QtInfoMsg)
