// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

// Writing export bundles. Never logs file contents (they hold hashes and passwords).
Q_DECLARE_LOGGING_CATEGORY(lcExport)
