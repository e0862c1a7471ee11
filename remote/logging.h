// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

// Talking to the Pi. Secrets never reach a log line; the .trace categories carry
// packet-level detail and are off unless QT_LOGGING_RULES turns them on.
Q_DECLARE_LOGGING_CATEGORY(lcRemote)
