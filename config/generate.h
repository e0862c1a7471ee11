// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/fileset.h"
#include "config/passwordfile.h"
#include "config/plan.h"
#include "config/stationprofile.h"

#include <QCoreApplication>
#include <QHash>
#include <QString>
#include <QStringList>

namespace wmw::config {

struct [[nodiscard]] GenerateResult
{
    FileSet files;
    QString field; ///< the profile key or secret the error is about; empty when none
    QString errorString; ///< translated; never holds a secret
    QStringList notes; ///< translated: what the weewx.conf edit added beyond the asked-for keys
    bool ok() const { return errorString.isEmpty(); }
};

/// The glue between a profile and the Pi's files: StationProfile + Secrets + the Pi's current
/// files -> the FileSet to install. Existing acl and password files are merged (other users
/// stay byte for byte, a password that already verifies keeps its hash), weewx.conf is edited
/// in place, so running again with the same profile gives the same bytes.
class Generate
{
    Q_DECLARE_TR_FUNCTIONS(wmw::config::Generate)
public:
    /// The unit that reads each generated file, so only what changed is restarted.
    enum class Reader { Mosquitto, Weewx };

    /// The files a profile writes, in install order: acl, password file, listener conf,
    /// weewx.conf. The caller reads these from the Pi (absent ones are simply missing).
    static QStringList paths(const StationProfile &profile);
    static Reader readerOf(const StationProfile &profile, const QString &path);

    /// Validates profile and secrets (the first error wins, naming its field), then builds the
    /// FileSet. weewx.conf must exist on the Pi: its owner, group and mode are kept.
    static GenerateResult run(const StationProfile &profile, const Secrets &secrets,
                              const QHash<QString, CurrentFile> &current,
                              const SaltSource &salts = systemSaltSource());
};

} // namespace wmw::config
