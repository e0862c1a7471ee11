// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/stationprofile.h"

#include <QByteArray>

namespace wmw::config {

/// The mosquitto file in conf.d (profile.listenerConfPath): an mqtt listener for weewx-mqtt,
/// a websockets listener for the page, an explicit allow_anonymous, and password_file and
/// acl_file pointing at exactly the files this program writes.
///
/// The security options are global (mosquitto's per_listener_settings defaults to false), so
/// they cover both listeners and appear once: a second password_file or acl_file anywhere in
/// the broker's configuration is a startup error.
class ListenerConf
{
public:
    static QByteArray render(const StationProfile &profile);
};

} // namespace wmw::config
