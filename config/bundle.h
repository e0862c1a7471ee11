// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/passwordfile.h"
#include "config/stationprofile.h"
#include "config/weewxconf_liveupdate.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace wmw::config {

/// One file or folder inside the bundle archive. `path` is relative to the archive root and
/// '/'-separated ("weewx-mqtt-bundle/install.sh"); folders end without a slash.
struct BundleEntry
{
    QString path;
    QByteArray bytes;
    int mode = 0644; ///< permission bits recorded in the archive
    bool isDirectory = false;
    bool holdsSecret = false; ///< a password or a hash: never show its bytes
};

/// A file the bundle installs on the Pi: where it is in the bundle and where it goes.
struct BundleTarget
{
    QString source; ///< relative to the bundle folder: "files/etc/mosquitto/acl"
    QString target; ///< absolute on the Pi
    QString owner;
    QString group;
    int mode = 0644;
    /// "acl" or "passwd": the file holds only our users and is merged into the Pi's file by
    /// mosquitto/merge-users.py (every other user stays); empty: installed as it is.
    QString merge;
};

/// What a bundle is made from. Same input (profile, secrets, salts, current weewx.conf) gives
/// the same bytes.
struct BundleInput
{
    StationProfile profile;
    Secrets secrets; ///< publishPassword and webPassword are used; SSH secrets never
    SaltSource salts = systemSaltSource(); ///< for the password file's $7$ hashes
    /// The Pi's weewx.conf as the user gave it: the bundle then also holds the edited file.
    std::optional<QByteArray> currentWeewxConf;
    /// Opt in: a plain-text user:password reference file (the manual procedure's pskfile).
    bool includePasswordReference = false;
};

enum class BundleError {
    None,
    InvalidProfile, ///< a field of the profile breaks a rule (the message names it)
    InvalidSecrets, ///< a password is missing or unusable
    WeewxConf, ///< the given weewx.conf cannot be parsed or edited
};

struct [[nodiscard]] BundleResult
{
    QList<BundleEntry> entries; ///< folders first, then files, in a fixed order
    BundleError error = BundleError::None;
    QString errorString; ///< translated; names the field or line; never holds a secret
    QStringList notes; ///< translated remarks (e.g. a report section that was added)
    bool ok() const { return error == BundleError::None; }
    const BundleEntry *find(const QString &path) const;
};

/// The export bundle: everything needed to apply a profile on a Pi without this program,
/// by install.sh or by Ansible. Pure: bytes in, bytes out (the archive is written elsewhere).
///
/// Layout, below the folder rootName():
///   README.txt               the manual steps, in the order of the manual procedure
///   MANIFEST.sha256          `sha256sum -c` format, every other file of the bundle
///   install.sh               POSIX sh: sudo sh install.sh [--dry-run]
///   files/<absolute path>    the mosquitto files, with the mode they get on the Pi; the acl
///                            and password files hold only our users
///   mosquitto/merge-users.py merges those into the Pi's files, keeping every other user
///   weewx/edit-weewx-conf.py the weewx.conf edit, run by the Pi's python3 with ConfigObj
///   weewx/weewx.conf         the fully edited file (only when the current one was given)
///   ansible/playbook.yml     the same files and edit as an Ansible play
///   ansible/inventory.ini.example
///   reference/passwords.txt  only when asked for
class Bundle
{
    Q_DECLARE_TR_FUNCTIONS(wmw::config::Bundle)
public:
    static QString rootName() { return QStringLiteral("weewx-mqtt-bundle"); }

    static BundleResult make(const BundleInput &input);

    /// The mosquitto files the bundle installs, in install order.
    static QList<BundleTarget> targets(const StationProfile &profile);

    /// `<sha256 hex>  <path>` lines for every file entry (folders skipped), paths relative to
    /// the bundle folder, in entry order.
    static QByteArray manifest(const QList<BundleEntry> &entries);
    /// Reads such a manifest; std::nullopt when a line is not of that form.
    static std::optional<QMap<QString, QByteArray>> parseManifest(const QByteArray &manifest);
};

} // namespace wmw::config
