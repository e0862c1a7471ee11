// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The generators of the bundle's text files, one per file kind (bundle_*.cpp).

#include "config/bundle.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace wmw::config::bundle_detail {

/// What every generator of the bundle needs to know.
struct Context
{
    StationProfile profile;
    LiveUpdateSettings settings; ///< holds passwords: only the python edit writes them out
    QList<BundleTarget> targets;
    bool hasEditedWeewxConf = false;
    bool hasPasswordReference = false;
};

inline const QString editScriptPath = QStringLiteral("weewx/edit-weewx-conf.py");
inline const QString editedWeewxConfPath = QStringLiteral("weewx/weewx.conf");
inline const QString referencePath = QStringLiteral("reference/passwords.txt");
inline const QString manifestPath = QStringLiteral("MANIFEST.sha256");
inline const QString mergeScriptPath = QStringLiteral("mosquitto/merge-users.py");
/// Where the Ansible play keeps our users' lines on the Pi for the merge (root only).
inline const QString stagingRoot = QStringLiteral("/var/lib/weewx-mqtt-bundle");
/// Backups of install.sh: never inside a folder a service reads (mosquitto's conf.d).
inline const QString backupRoot = QStringLiteral("/var/backups/weewx-mqtt-bundle");
/// Where weewx-mqtt comes from (the manual procedure, step 5).
inline const QString weewxMqttUrl =
        QStringLiteral("https://github.com/matthewwall/weewx-mqtt/archive/refs/heads/master.zip");

QByteArray installScript(const Context &context);
QByteArray weewxEditScript(const Context &context);
/// mosquitto/merge-users.py: the same for every profile.
QByteArray mergeScript();
QByteArray playbook(const Context &context);
QByteArray inventoryExample(const Context &context);
QByteArray readme(const Context &context);

/// 'text' for POSIX sh: single quotes, an embedded ' as '\''.
QByteArray shellQuote(const QString &text);
/// A Python 3 string literal that reads back exactly `text`, printable ASCII kept readable.
QByteArray pythonString(const QString &text);
/// A YAML double-quoted scalar (JSON escaping, which YAML 1.2 reads the same way).
QByteArray yamlString(const QString &text);
/// "0700"
QByteArray octal(int mode);

} // namespace wmw::config::bundle_detail
