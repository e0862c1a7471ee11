// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/mqtt/loopmessage.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace wmw::mqtt {

namespace {

// weewx-mqtt 0.24 UNIT_REDUCTIONS plus the weewx unit names it passes through unchanged
// (mqtt.py :178-196). Longest first, so "mm_per_hour" wins over "hour".
const QStringList &unitLabels()
{
    static const QStringList labels = [] {
        QStringList list{
                QStringLiteral("inch_per_hour"),
                QStringLiteral("mm_per_hour"),
                QStringLiteral("cm_per_hour"),
                QStringLiteral("knot2"),
                QStringLiteral("beaufort"),
                QStringLiteral("meter"),
                QStringLiteral("minute"),
                QStringLiteral("second"),
                QStringLiteral("hour"),
                QStringLiteral("inHg"),
                QStringLiteral("mmHg"),
                QStringLiteral("mbar"),
                QStringLiteral("hPa"),
                QStringLiteral("kPa"),
                QStringLiteral("knot"),
                QStringLiteral("Wpm2"),
                QStringLiteral("volt"),
                QStringLiteral("amp"),
                QStringLiteral("watt"),
                QStringLiteral("count"),
                QStringLiteral("foot"),
                QStringLiteral("mile"),
                QStringLiteral("km"),
                QStringLiteral("mph"),
                QStringLiteral("kph"),
                QStringLiteral("mps"),
                QStringLiteral("in"),
                QStringLiteral("mm"),
                QStringLiteral("cm"),
                QStringLiteral("F"),
                QStringLiteral("C"),
                QStringLiteral("K"),
        };
        std::stable_sort(list.begin(), list.end(),
                         [](const QString &a, const QString &b) { return a.size() > b.size(); });
        return list;
    }();
    return labels;
}

} // namespace

Reading LoopMessage::splitKey(const QString &key)
{
    Reading reading;
    reading.key = key;
    reading.observation = key;
    for (const QString &unit : unitLabels()) {
        if (key.size() > unit.size() + 1 && key.endsWith(unit)
            && key.at(key.size() - unit.size() - 1) == u'_') {
            reading.observation = key.left(key.size() - unit.size() - 1);
            reading.unit = unit;
            break;
        }
    }
    return reading;
}

LoopMessage LoopMessage::parse(const QByteArray &payload)
{
    LoopMessage message;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(payload, &error);
    if (error.error != QJsonParseError::NoError) {
        message.m_kind = Kind::NotJson;
        message.m_problem = tr("The message is not JSON (%1 at byte %2); the Belchertown page "
                               "cannot read it.")
                                    .arg(error.errorString())
                                    .arg(error.offset);
        return message;
    }
    if (!document.isObject()) {
        message.m_kind = Kind::NotObject;
        message.m_problem = tr("The message is JSON but not an object of named values.");
        return message;
    }
    const QJsonObject object = document.object();
    // update_current_wx: `interval_minute` marks an archive record (charts reload), anything
    // else is loop data whose `dateTime` becomes "Data received <time>".
    message.m_kind =
            object.contains(QStringLiteral("interval_minute")) ? Kind::Archive : Kind::Loop;
    for (auto it = object.begin(); it != object.end(); ++it) {
        Reading reading = splitKey(it.key());
        const QJsonValue value = it.value();
        if (value.isString()) {
            reading.text = value.toString();
            bool ok = false;
            const double number = reading.text.toDouble(&ok);
            if (ok)
                reading.value = number;
        } else if (value.isDouble()) {
            reading.value = value.toDouble();
            reading.text = QString::number(*reading.value);
        } else {
            reading.text = QString::fromUtf8(
                    QJsonDocument(QJsonObject{{it.key(), value}}).toJson(QJsonDocument::Compact));
        }
        if (reading.key == u"dateTime" && reading.value)
            message.m_dateTime =
                    QDateTime::fromMSecsSinceEpoch(qint64(*reading.value * 1000), Qt::UTC);
        message.m_readings.append(reading);
    }
    return message;
}

std::optional<Reading> LoopMessage::reading(const QString &observation) const
{
    for (const Reading &reading : m_readings) {
        if (reading.observation == observation)
            return reading;
    }
    return std::nullopt;
}

} // namespace wmw::mqtt
