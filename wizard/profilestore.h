// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/stationprofile.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace wmw {

/// Profile files on this laptop: open and save as the versioned JSON of config's
/// StationProfile (which never holds a secret), and the list of recent profiles in QSettings.
class ProfileStore
{
    Q_DECLARE_TR_FUNCTIONS(wmw::ProfileStore)
public:
    struct [[nodiscard]] Loaded
    {
        config::StationProfile profile;
        QString errorString; ///< translated, names the file and the key; empty on success
        bool ok() const { return errorString.isEmpty(); }
    };

    static Loaded open(const QString &path);
    /// Writes atomically (QSaveFile). Empty on success, else the translated reason.
    [[nodiscard]] static QString save(const QString &path, const config::StationProfile &profile);

    /// Most recent first, only files that still exist, at most maxRecent.
    static QStringList recentProfiles();
    static void addRecent(const QString &path);
    static constexpr int maxRecent = 8;

    /// Whether the user allows keeping passwords in the OS keychain (off until asked).
    static bool keychainAllowed();
    static void setKeychainAllowed(bool allowed);
    /// The keychain entry of one secret of a profile: host, SSH user and the secret's name,
    /// so two stations never share an entry.
    static QString secretKey(const config::StationProfile &profile, const QString &name);
};

} // namespace wmw
