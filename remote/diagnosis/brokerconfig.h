// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "remote/hostfacts/hostfacts.h"

#include <QList>
#include <QString>

namespace wmw::diagnosis {

/// Where a mosquitto option was set.
struct ConfSetting
{
    QString file;
    int line = 0;
    QString value;
};

struct BrokerListener
{
    quint16 port = 0;
    QString bind;
    QString protocol = QStringLiteral("mqtt"); ///< the listener's `protocol` line, else mqtt
    QString file;
    int line = 0;
};

/// The broker's configuration as mosquitto 2.0 reads it from the files the probe returned:
/// the main file, and each include_dir's *.conf files in sorted order at the place of the
/// include_dir line. Only the options the rules need; `#` in column 0 (after blanks) is a
/// comment, option and value are separated by blanks.
struct BrokerConfig
{
    QList<BrokerListener> listeners;
    /// No listener or port line: mosquitto 2.0's "local only mode" (1883 on loopback,
    /// anonymous allowed).
    bool localOnly = true;
    QList<ConfSetting> passwordFiles;
    QList<ConfSetting> aclFiles;
    QList<ConfSetting> allowAnonymous;
    QStringList filesRead;
    QStringList filesUnreadable; ///< config files the probe could not read

    bool complete() const { return filesUnreadable.isEmpty() && !filesRead.isEmpty(); }
    /// allow_anonymous as the broker decides it: the last explicit value, else true only in
    /// local only mode (conf.c).
    bool anonymousAllowed() const;
    QList<BrokerListener> listenersWithProtocol(const QString &protocol) const;

    static BrokerConfig read(const HostFacts &facts);
};

} // namespace wmw::diagnosis
