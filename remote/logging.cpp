// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/logging.h"

Q_LOGGING_CATEGORY(lcRemote, "wmw.remote", QtInfoMsg)
