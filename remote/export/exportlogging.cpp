// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/export/exportlogging.h"

Q_LOGGING_CATEGORY(lcExport, "wmw.remote.export", QtInfoMsg)
