// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/weewxconf_profile.h"

namespace wmw::config {

LiveUpdateSettings liveUpdateSettings(const StationProfile &profile, const Secrets &secrets)
{
    LiveUpdateSettings s;
    // weewxd runs on the Pi: it publishes to the broker's plain MQTT listener there.
    s.brokerHost = profile.serverUrlHost;
    s.brokerPort = profile.mqttPort;
    s.publishUser = profile.publishUser;
    s.publishPassword = secrets.publishPassword;
    s.topic = profile.topic;
    s.logSuccess = profile.logSuccess;
    s.logFailure = profile.logFailure;
    s.pageHost = profile.pageHost();
    s.pagePort = profile.pagePort();
    s.pageSsl = profile.pageSsl;
    s.pageTopic = profile.pageTopic();
    s.webUser = profile.webUser;
    // One user for both (allowed, with a warning): the page logs in with the publishing password.
    s.webPassword = profile.sharesOneUser() ? secrets.publishPassword : secrets.webPassword;
    s.visitorDisconnectMs = profile.visitorDisconnectMs;
    return s;
}

} // namespace wmw::config
