// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

// The built-in MQTT client and the live check. Passwords never reach these categories;
// `wmw.remote.mqtt.trace` logs every packet type and size (never payload bytes of CONNECT).
Q_DECLARE_LOGGING_CATEGORY(lcMqtt)
Q_DECLARE_LOGGING_CATEGORY(lcMqttTrace)
