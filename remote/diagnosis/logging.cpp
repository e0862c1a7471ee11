// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/diagnosis/logging.h"

Q_LOGGING_CATEGORY(lcDiagnosis, "wmw.remote.diagnosis", QtInfoMsg)
Q_LOGGING_CATEGORY(lcDiagnosisTrace, "wmw.remote.diagnosis.trace", QtWarningMsg)
