// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A message on the Belchertown loop topic, read the way the page reads it
// (js/belchertown.js.tmpl update_current_wx): JSON, every value a string, names with a unit
// suffix (outTemp_F, windSpeed_kph, rainRate_inch_per_hour), `dateTime` in epoch seconds,
// and archive records told apart by the presence of `interval_minute`.

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace wmw::mqtt {

/// One value of a loop message: `outTemp_F` = observation `outTemp`, unit `F`.
struct Reading
{
    QString key; ///< as sent, e.g. "outTemp_F"
    QString observation; ///< e.g. "outTemp"
    QString unit; ///< weewx-mqtt's label, e.g. "F", "kph", "inch_per_hour"; empty when none
    QString text; ///< the value as sent
    std::optional<double> value; ///< when the text is a number
};

class LoopMessage
{
    Q_DECLARE_TR_FUNCTIONS(wmw::mqtt::LoopMessage)
public:
    enum class Kind {
        Loop, ///< a loop packet: the page shows "Data received"
        Archive, ///< has interval_minute: the page reloads charts and still waits
        NotJson, ///< the page's jQuery.parseJSON throws; nothing shown
        NotObject, ///< JSON, but not an object of values
    };

    static LoopMessage parse(const QByteArray &payload);

    Kind kind() const { return m_kind; }
    bool isLoop() const { return m_kind == Kind::Loop; }
    /// Why the payload is not a usable loop record (translated); empty for Loop and Archive.
    QString problem() const { return m_problem; }
    /// The station's time of the record (`dateTime`), invalid when absent.
    QDateTime dateTime() const { return m_dateTime; }
    const QList<Reading> &readings() const { return m_readings; }
    /// The reading of `observation` whatever its unit suffix (outTemp -> outTemp_F or
    /// outTemp_C, never outTempBatteryStatus).
    std::optional<Reading> reading(const QString &observation) const;

    /// Splits a key into observation and weewx-mqtt unit label.
    static Reading splitKey(const QString &key);

private:
    Kind m_kind = Kind::NotJson;
    QString m_problem;
    QDateTime m_dateTime;
    QList<Reading> m_readings;
};

} // namespace wmw::mqtt
