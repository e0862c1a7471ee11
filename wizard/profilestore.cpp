// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/profilestore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QSettings>

namespace wmw {

namespace {
const QString kRecentKey = QStringLiteral("profiles/recent");
const QString kKeychainKey = QStringLiteral("secrets/useKeychain");
} // namespace

ProfileStore::Loaded ProfileStore::open(const QString &path)
{
    Loaded loaded;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        loaded.errorString = tr("Cannot open the profile %1: %2").arg(path, file.errorString());
        return loaded;
    }
    // A profile is a few hundred bytes; refuse anything absurd before parsing it.
    if (file.size() > 1024 * 1024) {
        loaded.errorString = tr("%1 is too large to be a profile.").arg(path);
        return loaded;
    }
    const config::ProfileLoadResult result = config::ProfileJson::fromJson(file.readAll());
    if (!result.ok()) {
        loaded.errorString = tr("%1 is not a usable profile: %2").arg(path, result.errorString);
        return loaded;
    }
    loaded.profile = result.profile;
    return loaded;
}

QString ProfileStore::save(const QString &path, const config::StationProfile &profile)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return tr("Cannot write the profile %1: %2").arg(path, file.errorString());
    file.write(profile.toJson());
    if (!file.commit())
        return tr("Cannot write the profile %1: %2").arg(path, file.errorString());
    return {};
}

QStringList ProfileStore::recentProfiles()
{
    QStringList out;
    const QStringList stored = QSettings().value(kRecentKey).toStringList();
    for (const QString &path : stored) {
        if (QFileInfo::exists(path) && !out.contains(path))
            out << path;
        if (out.size() == maxRecent)
            break;
    }
    return out;
}

void ProfileStore::addRecent(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList list = QSettings().value(kRecentKey).toStringList();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > maxRecent)
        list.removeLast();
    QSettings().setValue(kRecentKey, list);
}

bool ProfileStore::keychainAllowed()
{
    return QSettings().value(kKeychainKey, false).toBool();
}

void ProfileStore::setKeychainAllowed(bool allowed)
{
    QSettings().setValue(kKeychainKey, allowed);
}

QString ProfileStore::secretKey(const config::StationProfile &profile, const QString &name)
{
    return QStringLiteral("%1@%2:%3/%4")
            .arg(profile.sshUser, profile.piHost)
            .arg(profile.sshPort)
            .arg(name);
}

} // namespace wmw
