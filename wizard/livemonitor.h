// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/stationprofile.h"
#include "remote/mqtt/livecheck.h"
#include "wizard/livestatus.h"

#include <QElapsedTimer>
#include <QObject>

class QHostInfo;

namespace wmw {

/// Runs the live check the way the Belchertown page connects (its host, port, user and topic
/// from the profile) and keeps a LiveStatus for the page: the chain of links walked so far,
/// the readings since the check began, and the verdict. Keeps receiving until stopped.
class LiveMonitor : public QObject
{
    Q_OBJECT
public:
    explicit LiveMonitor(QObject *parent = nullptr);

    /// Starts over; statusChanged() follows for every step.
    void start(const config::StationProfile &profile, const config::Secrets &secrets);
    void stop();
    bool isRunning() const;
    const LiveStatus &status() const { return m_status; }
    /// Shows a status without any network (the screenshots' demo state).
    void present(const LiveStatus &status);
    /// How long to wait for the first loop record, and for each next one (tests shorten it).
    void setMessageTimeout(int ms) { m_messageTimeoutMs = ms; }

    /// The unit as a station owner reads it: "degree_C" or "C" -> "°C", "km_per_hour" -> "km/h".
    static QString displayUnit(const QString &weewxLabel);

signals:
    void statusChanged();

private:
    void onLookedUp(const QHostInfo &info);
    void onStateChanged(mqtt::LiveCheck::State state);
    void onProgress(const QString &step);
    void onReadings();
    void onVerdict();
    void setLink(int link, ChainLink::State state, const QString &reason = {});

    mqtt::LiveCheck m_check;
    mqtt::LiveCheck::Options m_options;
    LiveStatus m_status;
    QElapsedTimer m_sinceStart;
    int m_lookupId = -1;
    int m_connectSteps = 0;
    int m_messageTimeoutMs = 30000;
};

} // namespace wmw
