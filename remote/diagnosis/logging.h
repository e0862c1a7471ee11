// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

// The diagnosis job. Facts may hold password files and weewx.conf: only ids, states and
// counts are logged, never file contents.
Q_DECLARE_LOGGING_CATEGORY(lcDiagnosis)
Q_DECLARE_LOGGING_CATEGORY(lcDiagnosisTrace)
