// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/listenerconf.h"

#include <QByteArrayList>

namespace wmw::config {

QByteArray ListenerConf::render(const StationProfile &profile)
{
    QByteArrayList lines;
    lines << "# mosquitto listeners for the live Belchertown page, written by WeeWX MQTT Wizard."
          << "# Replaced on every run. Backups are kept outside this folder, because mosquitto"
          << "# reads every *.conf file in it."
          << "";
    // mosquitto 2.0 turns anonymous access off by itself once a password file is set, and
    // on when there is none: say it, so the policy never depends on what else is configured.
    if (profile.anonymousPolicy == AnonymousPolicy::ReadLoop) {
        lines << "# Clients without a user name may connect; the acl file lets them read only"
              << "# " + profile.pageTopic().toUtf8() + "."
              << "allow_anonymous true";
    } else {
        lines << "# Every client needs a user name and password."
              << "allow_anonymous false";
    }
    lines << "password_file " + profile.passwordFilePath.toUtf8()
          << "acl_file " + profile.aclFilePath.toUtf8() << ""
          << "# weewx-mqtt publishes here (server_url)."
          << "listener " + QByteArray::number(profile.mqttPort) << "protocol mqtt"
          << ""
          << "# Visitors' browsers connect here (mqtt_websockets_port). mosquitto 2.0 does not"
          << "# start with a websockets listener alone, so the mqtt one above stays."
          << "listener " + QByteArray::number(profile.websocketPort) << "protocol websockets";
    return lines.join('\n') + '\n';
}

} // namespace wmw::config
