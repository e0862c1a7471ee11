// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/generate.h"

#include "config/aclfile.h"
#include "config/listenerconf.h"
#include "config/logging.h"
#include "config/validation.h"
#include "config/weewxconf.h"
#include "config/weewxconf_liveupdate.h"
#include "config/weewxconf_profile.h"

namespace wmw::config {

namespace {
// mosquitto drops to user mosquitto before it reads these two, so they belong to it, and
// nobody else may read them: the manual procedure's mosquitto:mosquitto 0700, which 2.0.16+
// also accepts without a warning (the same as the export bundle).
const QString brokerUser = QStringLiteral("mosquitto");
constexpr int secretFileMode = 0700;
} // namespace

QStringList Generate::paths(const StationProfile &profile)
{
    return {profile.aclFilePath, profile.passwordFilePath, profile.listenerConfPath,
            profile.weewxConfPath};
}

Generate::Reader Generate::readerOf(const StationProfile &profile, const QString &path)
{
    return path == profile.weewxConfPath ? Reader::Weewx : Reader::Mosquitto;
}

GenerateResult Generate::run(const StationProfile &profile, const Secrets &secrets,
                             const QHash<QString, CurrentFile> &current, const SaltSource &salts)
{
    GenerateResult result;
    const auto fail = [&result](const QString &field, const QString &message) {
        result.field = field;
        result.errorString = message;
        return result;
    };
    const QList<Finding> findings =
            Validation::validate(profile) + Validation::validateSecrets(profile, secrets);
    for (const Finding &finding : findings) {
        if (finding.severity == Finding::Error)
            return fail(finding.field, finding.message);
    }

    // acl: our users' sections, everything else as it was.
    const CurrentFile acl = current.value(profile.aclFilePath);
    const AclParseResult aclMerge =
            AclFile::mergeProfile(acl.exists ? acl.bytes : QByteArray(), profile);
    if (!aclMerge.ok())
        return fail(QStringLiteral("paths.aclFile"),
                    tr("The acl file %1 on the Pi cannot be merged: %2")
                            .arg(profile.aclFilePath, aclMerge.errorString));

    // Password file: one line per user of ours; a line that verifies stays byte for byte.
    QList<PasswordEntry> users{{profile.publishUser, secrets.publishPassword}};
    if (!profile.sharesOneUser())
        users.append({profile.webUser, secrets.webPassword});
    const CurrentFile pw = current.value(profile.passwordFilePath);
    const PasswordMergeResult pwMerge =
            PasswordFile::merge(pw.exists ? pw.bytes : QByteArray(), users, salts);
    if (!pwMerge.ok())
        return fail(QStringLiteral("paths.passwordFile"),
                    tr("The password file %1 on the Pi cannot be merged: %2")
                            .arg(profile.passwordFilePath, pwMerge.errorString));

    // weewx.conf: edited in place, never created (WeeWX writes it at install time).
    const CurrentFile weewx = current.value(profile.weewxConfPath);
    if (!weewx.exists)
        return fail(QStringLiteral("paths.weewxConf"),
                    tr("%1 does not exist on the Pi: is WeeWX installed, and is this its "
                       "configuration file?")
                            .arg(profile.weewxConfPath));
    WeewxConfStatus status;
    WeewxConf conf = WeewxConf::parse(weewx.bytes, &status);
    if (!status.ok())
        return fail(
                QStringLiteral("paths.weewxConf"),
                tr("%1 on the Pi cannot be read: %2").arg(profile.weewxConfPath, status.message));
    const LiveUpdateSettings settings = liveUpdateSettings(profile, secrets);
    status = LiveUpdateEdit::apply(conf, settings, &result.notes);
    if (!status.ok())
        return fail(QStringLiteral("paths.weewxConf"),
                    tr("%1 cannot be edited: %2").arg(profile.weewxConfPath, status.message));

    QList<FileEntry> entries;
    entries.append(FileEntry{profile.aclFilePath,
                             aclMerge.file.render(),
                             brokerUser,
                             brokerUser,
                             secretFileMode,
                             {}});
    entries.append(FileEntry{profile.passwordFilePath, pwMerge.bytes, brokerUser, brokerUser,
                             secretFileMode, &redaction::passwordFile});
    entries.append(FileEntry{profile.listenerConfPath,
                             ListenerConf::render(profile),
                             QStringLiteral("root"),
                             QStringLiteral("root"),
                             0644,
                             {}});
    // weewx.conf keeps its owner, group and mode: WeeWX (user weewx) must still read it.
    entries.append(FileEntry{profile.weewxConfPath, conf.toBytes(), weewx.owner, weewx.group,
                             weewx.mode, &redaction::weewxConf});
    for (FileEntry &entry : entries) {
        QString error;
        if (!result.files.add(std::move(entry), &error))
            return fail(QString(), error);
    }
    qCDebug(lcConfig) << "generated" << result.files.entries().size() << "files";
    return result;
}

} // namespace wmw::config
