// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

// What the generators and parsers decide. Never carries a password or a hash.
Q_DECLARE_LOGGING_CATEGORY(lcConfig)
