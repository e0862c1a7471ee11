// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "remote/mqtt/livecheck.h"

#include <QDateTime>
#include <QList>
#include <QPointF>
#include <QString>

namespace wmw {

/// One link of the connection chain a live check walks: this laptop -> name -> TCP port ->
/// websocket -> MQTT login -> subscription -> data <- broker <- WeeWX.
struct ChainLink
{
    enum class State {
        Pending, ///< not reached yet (grey)
        Active, ///< being tried, or not proven either way (amber)
        Ok, ///< passed (green)
        Failed, ///< broke here (red); `reason` says why
    };
    QString name; ///< translated, short: "TCP port"
    QString detail; ///< e.g. the address a name resolved to, or the port number
    QString reason; ///< for Failed: translated, one sentence
    State state = State::Pending;
};

/// What the live-check page shows: the page's state, the chain, the readings since the check
/// began, and on failure the layer, reason and fix. Built by LiveMonitor from a LiveCheck, or
/// set directly (screenshots).
struct LiveStatus
{
    enum Link { Laptop, Name, TcpPort, WebSocket, Login, Subscription, Data, Broker, Weewx };
    static constexpr int linkCount = Weewx + 1;

    /// One reading tile: temperature, humidity, wind, pressure, rain.
    struct Series
    {
        QString label; ///< translated: "Temperature"
        QString valueText; ///< "21.4"; empty until a value came
        QString unit; ///< "°C"
        QString detail; ///< "from SW, gusts 14 km/h"
        QList<QPointF> points; ///< (seconds since the check began, value)
    };

    mqtt::LiveCheck::State state = mqtt::LiveCheck::State::Idle;
    QString url; ///< ws://host:port/mqtt, never with user info
    QDateTime lastData; ///< station time of the last loop record (arrival time if it has none)
    int loopCount = 0;
    QString layer; ///< translated name of the failing layer
    QString message; ///< what happened (translated)
    QString fix; ///< what to change (translated)
    QList<ChainLink> chain; ///< linkCount links, in the order above
    QList<Series> readings; ///< 5 tiles
    QStringList log; ///< progress lines, oldest first

    /// The empty status of a check that has not started: every link pending.
    static LiveStatus initial();
};

} // namespace wmw
