// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/stationprofile.h"
#include "config/weewxconf_liveupdate.h"

namespace wmw::config {

// The weewx.conf values of a station profile: weewxd publishes to the broker at
// serverUrlHost:mqttPort as the publishing user; the page subscribes to pageTopic() at
// pageHost():pagePort() as the web user. Nothing is validated here: LiveUpdateEdit::check()
// names any field that cannot be written.
LiveUpdateSettings liveUpdateSettings(const StationProfile &profile, const Secrets &secrets);

} // namespace wmw::config
