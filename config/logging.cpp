// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/logging.h"

Q_LOGGING_CATEGORY(lcConfig, "wmw.config", QtInfoMsg)
