// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/mqtt/mqttlogging.h"

Q_LOGGING_CATEGORY(lcMqtt, "wmw.remote.mqtt", QtInfoMsg)
Q_LOGGING_CATEGORY(lcMqttTrace, "wmw.remote.mqtt.trace", QtWarningMsg)
