// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/stationprofile.h"
#include "remote/diagnosis/report.h"

namespace wmw {

/// The report the Diagnosis page shows in the screenshots (no network): the demo station
/// of `profile` with a few typical failures (the web user's ACL, a page not regenerated, an
/// unreadable password file) and a warning; every other rule of the catalogue passed.
diagnosis::DiagnosisReport demoDiagnosisReport(const config::StationProfile &profile);

} // namespace wmw
