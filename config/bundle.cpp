// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/bundle.h"

#include "config/aclfile.h"
#include "config/bundle_p.h"
#include "config/listenerconf.h"
#include "config/logging.h"
#include "config/validation.h"
#include "config/weewxconf.h"
#include "config/weewxconf_profile.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QSet>

namespace wmw::config {

namespace bundle_detail {

QByteArray shellQuote(const QString &text)
{
    QByteArray quoted = text.toUtf8();
    quoted.replace('\'', "'\\''");
    return '\'' + quoted + '\'';
}

QByteArray pythonString(const QString &text)
{
    QByteArray out = "'";
    const QList<uint> codePoints = text.toUcs4();
    for (const uint c : codePoints) {
        if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\')
            out += char(c);
        else if (c < 0x100)
            out += "\\x" + QByteArray::number(c, 16).rightJustified(2, '0');
        else if (c < 0x10000)
            out += "\\u" + QByteArray::number(c, 16).rightJustified(4, '0');
        else
            out += "\\U" + QByteArray::number(c, 16).rightJustified(8, '0');
    }
    return out + '\'';
}

QByteArray yamlString(const QString &text)
{
    // A JSON string is a YAML double-quoted scalar; QJsonDocument escapes quotes, backslashes
    // and control characters. Strip the array brackets around it.
    const QByteArray array =
            QJsonDocument(QJsonArray{QJsonValue(text)}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

QByteArray octal(int mode)
{
    return QByteArray::number(mode, 8).rightJustified(4, '0');
}

} // namespace bundle_detail

using namespace bundle_detail;

const BundleEntry *BundleResult::find(const QString &path) const
{
    for (const BundleEntry &entry : entries) {
        if (entry.path == path)
            return &entry;
    }
    return nullptr;
}

QList<BundleTarget> Bundle::targets(const StationProfile &profile)
{
    // The acl and password files as the manual procedure sets them: mosquitto reads them after
    // dropping to user mosquitto, so they belong to it, and nobody else may read them.
    auto source = [](const QString &target) -> QString {
        return QStringLiteral("files") + target;
    };
    const QString mosquitto = QStringLiteral("mosquitto");
    const QString root = QStringLiteral("root");
    return {
            {source(profile.aclFilePath), profile.aclFilePath, mosquitto, mosquitto, 0700,
             QStringLiteral("acl")},
            {source(profile.passwordFilePath), profile.passwordFilePath, mosquitto, mosquitto, 0700,
             QStringLiteral("passwd")},
            {source(profile.listenerConfPath), profile.listenerConfPath, root, root, 0644, {}},
    };
}

QByteArray Bundle::manifest(const QList<BundleEntry> &entries)
{
    const QString prefix = rootName() + u'/';
    QByteArray out;
    for (const BundleEntry &entry : entries) {
        if (entry.isDirectory)
            continue;
        QString relative = entry.path;
        if (relative.startsWith(prefix))
            relative = relative.mid(prefix.size());
        out += QCryptographicHash::hash(entry.bytes, QCryptographicHash::Sha256).toHex() + "  "
               + relative.toUtf8() + '\n';
    }
    return out;
}

std::optional<QMap<QString, QByteArray>> Bundle::parseManifest(const QByteArray &manifest)
{
    QMap<QString, QByteArray> sums;
    const QList<QByteArray> lines = manifest.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        if (line.isEmpty() && i == lines.size() - 1)
            break;
        if (line.size() < 67 || line.mid(64, 2) != "  ")
            return std::nullopt;
        const QByteArray hex = line.left(64);
        if (QByteArray::fromHex(hex).toHex() != hex.toLower())
            return std::nullopt;
        sums.insert(QString::fromUtf8(line.mid(66)), hex.toLower());
    }
    return sums;
}

BundleResult Bundle::make(const BundleInput &input)
{
    BundleResult result;
    const StationProfile &profile = input.profile;
    auto fail = [&result](BundleError error, const QString &message) {
        result.entries.clear();
        result.error = error;
        result.errorString = message;
        return result;
    };

    // Every rule the wizard applies holds for a bundle too: what fails them never reaches a
    // file or the install script.
    for (const Finding &f : Validation::validate(profile)) {
        if (f.severity == Finding::Error)
            return fail(BundleError::InvalidProfile, f.message);
    }
    for (const Finding &f : Validation::validateSecrets(profile, input.secrets)) {
        if (f.severity == Finding::Error)
            return fail(BundleError::InvalidSecrets, f.message);
    }

    Context context;
    context.profile = profile;
    context.settings = liveUpdateSettings(profile, input.secrets);
    // One user for both (allowed, with a warning): the page logs in with the publishing password.
    if (profile.sharesOneUser())
        context.settings.webPassword = input.secrets.publishPassword;
    context.targets = targets(profile);
    context.hasPasswordReference = input.includePasswordReference;
    if (const WeewxConfStatus st = LiveUpdateEdit::check(context.settings); !st.ok())
        return fail(BundleError::InvalidProfile, st.message);

    // Our users only: the bundle does not know the Pi's current files, so merge-users.py puts
    // these lines into them on the Pi and keeps every other user (nothing lost). On a Pi
    // without the files the merge gives exactly these bytes.
    const AclParseResult acl = AclFile::mergeProfile({}, profile);
    if (!acl.ok())
        return fail(BundleError::InvalidProfile, acl.errorString);
    QList<PasswordEntry> users{{profile.publishUser, input.secrets.publishPassword}};
    if (!profile.sharesOneUser())
        users.append({profile.webUser, context.settings.webPassword});
    const PasswordMergeResult passwords = PasswordFile::merge({}, users, input.salts);
    if (!passwords.ok())
        return fail(BundleError::InvalidSecrets, passwords.errorString);

    QByteArray editedConf;
    if (input.currentWeewxConf) {
        WeewxConfStatus st;
        WeewxConf conf = WeewxConf::parse(*input.currentWeewxConf, &st);
        if (st.ok())
            st = LiveUpdateEdit::apply(conf, context.settings, &result.notes);
        if (!st.ok())
            return fail(BundleError::WeewxConf,
                        tr("The given weewx.conf cannot be edited: %1").arg(st.message));
        editedConf = conf.toBytes();
        context.hasEditedWeewxConf = true;
    }

    const QString root = rootName();
    auto add = [&](const QString &path, const QByteArray &bytes, int mode, bool secret = false) {
        result.entries.append({root + u'/' + path, bytes, mode, false, secret});
    };

    // Folders first, so an extracting tool creates them with these modes. The bundle holds
    // passwords: its folder is the owner's only.
    const QByteArray aclBytes = acl.file.render();
    const QByteArray listener = ListenerConf::render(profile);
    add(QStringLiteral("README.txt"), readme(context), 0644);
    add(QStringLiteral("install.sh"), installScript(context), 0755);
    for (const BundleTarget &t : context.targets) {
        const QByteArray bytes = t.target == profile.aclFilePath        ? aclBytes
                                 : t.target == profile.passwordFilePath ? passwords.bytes
                                                                        : listener;
        add(t.source, bytes, t.mode, t.target == profile.passwordFilePath);
    }
    add(mergeScriptPath, mergeScript(), 0755);
    add(editScriptPath, weewxEditScript(context), 0700, true);
    if (context.hasEditedWeewxConf)
        add(editedWeewxConfPath, editedConf, 0600, true);
    add(QStringLiteral("ansible/playbook.yml"), playbook(context), 0644);
    add(QStringLiteral("ansible/inventory.ini.example"), inventoryExample(context), 0644);
    if (input.includePasswordReference) {
        QByteArray reference =
                "# "
                + tr("Plain-text passwords of the MQTT users, for reference only. Keep this "
                     "file private; install.sh does not install it.")
                          .toUtf8()
                + '\n';
        for (const PasswordEntry &u : users)
            reference += u.user.toUtf8() + ':' + u.password.toUtf8() + '\n';
        add(referencePath, reference, 0600, true);
    }
    // The manifest covers every file above; it comes last but is listed second in folders.
    add(manifestPath, manifest(result.entries), 0644);

    // Every folder of every file, parents before children, sorted for stable output.
    QSet<QString> folders{root};
    for (const BundleEntry &entry : std::as_const(result.entries)) {
        QString path = entry.path;
        for (qsizetype slash = path.lastIndexOf(u'/'); slash > 0; slash = path.lastIndexOf(u'/')) {
            path.truncate(slash);
            folders.insert(path);
        }
    }
    QStringList sorted(folders.begin(), folders.end());
    sorted.sort();
    QList<BundleEntry> dirs;
    for (const QString &folder : std::as_const(sorted))
        dirs.append({folder, {}, folder == root ? 0700 : 0755, true, false});
    result.entries = dirs + result.entries;
    qCDebug(lcConfig) << "bundle:" << result.entries.size() << "entries";
    return result;
}

} // namespace wmw::config
