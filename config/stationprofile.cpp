// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/stationprofile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cmath>
#include <functional>
#include <limits>
#include <vector>

namespace wmw::config {

namespace {

const QString kFormat = QStringLiteral("weewx-mqtt-wizard-profile");

enum class Kind { String, Int, Bool, StringList, Anonymous };

// One JSON key of the profile: where it lives and how it maps to the struct. The table below
// is the single description of the format, used for writing, reading and unknown-key checks.
struct Field
{
    const char *section;
    const char *key;
    Kind kind;
    std::function<QJsonValue(const StationProfile &)> get;
    std::function<void(StationProfile &, const QJsonValue &)> set;
};

template<typename T>
Field field(const char *section, const char *key, T StationProfile::*member)
{
    Kind kind;
    if constexpr (std::is_same_v<T, QString>)
        kind = Kind::String;
    else if constexpr (std::is_same_v<T, bool>)
        kind = Kind::Bool;
    else if constexpr (std::is_same_v<T, QStringList>)
        kind = Kind::StringList;
    else if constexpr (std::is_same_v<T, AnonymousPolicy>)
        kind = Kind::Anonymous;
    else
        kind = Kind::Int;

    return Field{section, key, kind,
                 [member](const StationProfile &p) -> QJsonValue {
                     if constexpr (std::is_same_v<T, QStringList>)
                         return QJsonArray::fromStringList(p.*member);
                     else if constexpr (std::is_same_v<T, AnonymousPolicy>)
                         return p.*member == AnonymousPolicy::ReadLoop ? QStringLiteral("read-loop")
                                                                       : QStringLiteral("deny");
                     else
                         return QJsonValue(p.*member);
                 },
                 [member](StationProfile &p, const QJsonValue &v) {
                     if constexpr (std::is_same_v<T, QString>) {
                         p.*member = v.toString();
                     } else if constexpr (std::is_same_v<T, bool>) {
                         p.*member = v.toBool();
                     } else if constexpr (std::is_same_v<T, QStringList>) {
                         QStringList list;
                         for (const QJsonValue &item : v.toArray())
                             list << item.toString();
                         p.*member = list;
                     } else if constexpr (std::is_same_v<T, AnonymousPolicy>) {
                         p.*member = v.toString() == u"read-loop" ? AnonymousPolicy::ReadLoop
                                                                  : AnonymousPolicy::Deny;
                     } else {
                         p.*member = T(v.toDouble());
                     }
                 }};
}

const std::vector<Field> &fields()
{
    using P = StationProfile;
    static const std::vector<Field> table = {
            field("pi", "host", &P::piHost),
            field("pi", "sshPort", &P::sshPort),
            field("pi", "sshUser", &P::sshUser),
            field("broker", "mqttPort", &P::mqttPort),
            field("broker", "websocketPort", &P::websocketPort),
            field("broker", "anonymous", &P::anonymousPolicy),
            field("users", "publish", &P::publishUser),
            field("users", "web", &P::webUser),
            field("topics", "root", &P::topic),
            field("topics", "extra", &P::extraTopics),
            field("paths", "listenerConf", &P::listenerConfPath),
            field("paths", "aclFile", &P::aclFilePath),
            field("paths", "passwordFile", &P::passwordFilePath),
            field("paths", "weewxConf", &P::weewxConfPath),
            field("weewx", "serverUrlHost", &P::serverUrlHost),
            field("weewx", "logSuccess", &P::logSuccess),
            field("weewx", "logFailure", &P::logFailure),
            field("page", "host", &P::pageHostOverride),
            field("page", "port", &P::pagePortOverride),
            field("page", "topic", &P::pageTopicOverride),
            field("page", "ssl", &P::pageSsl),
            field("page", "visitorDisconnectMs", &P::visitorDisconnectMs),
    };
    return table;
}

const Field *findField(const QString &section, const QString &key)
{
    for (const Field &f : fields()) {
        if (section == QLatin1String(f.section) && key == QLatin1String(f.key))
            return &f;
    }
    return nullptr;
}

bool isKnownSection(const QString &section)
{
    for (const Field &f : fields()) {
        if (section == QLatin1String(f.section))
            return true;
    }
    return false;
}

bool looksLikeSecret(const QString &key)
{
    const QString k = key.toLower();
    return k.contains(u"password") || k.contains(u"secret") || k.contains(u"passwd")
           || k.contains(u"hash");
}

bool isWholeNumber(const QJsonValue &v, qint64 min, qint64 max)
{
    if (!v.isDouble())
        return false;
    const double d = v.toDouble();
    return std::isfinite(d) && std::floor(d) == d && d >= double(min) && d <= double(max);
}

} // namespace

QByteArray StationProfile::toJson() const
{
    QJsonObject root;
    root.insert(QStringLiteral("format"), kFormat);
    root.insert(QStringLiteral("version"), formatVersion);
    QMap<QString, QJsonObject> sections;
    for (const Field &f : fields())
        sections[QLatin1String(f.section)].insert(QLatin1String(f.key), f.get(*this));
    for (auto it = sections.cbegin(); it != sections.cend(); ++it)
        root.insert(it.key(), it.value());
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

bool operator==(const StationProfile &a, const StationProfile &b)
{
    for (const Field &f : fields()) {
        if (f.get(a) != f.get(b))
            return false;
    }
    return true;
}

ProfileLoadResult ProfileJson::fromJson(const QByteArray &json)
{
    ProfileLoadResult result;
    auto fail = [&result](ProfileError error, const QString &message) {
        result.error = error;
        result.errorString = message;
        result.profile = StationProfile();
        result.defaulted.clear();
        return result;
    };

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(ProfileError::NotJson, tr("The profile is not valid JSON: %1 at byte %2.")
                                                   .arg(parseError.errorString())
                                                   .arg(parseError.offset));
    if (!doc.isObject())
        return fail(ProfileError::NotJson, tr("The profile is not a JSON object."));
    const QJsonObject root = doc.object();

    if (root.value(QStringLiteral("format")).toString() != kFormat)
        return fail(ProfileError::NotAProfile,
                    tr("This is not a WeeWX MQTT Wizard profile (the key \"format\" must be "
                       "\"%1\").")
                            .arg(kFormat));
    const QJsonValue version = root.value(QStringLiteral("version"));
    if (!isWholeNumber(version, 1, std::numeric_limits<int>::max()))
        return fail(ProfileError::MissingVersion,
                    tr("The profile has no valid \"version\" (a whole number from 1)."));
    if (version.toInt() > StationProfile::formatVersion)
        return fail(ProfileError::TooNew,
                    tr("The profile has version %1, but this program reads only up to version "
                       "%2. Update the program to open it.")
                            .arg(version.toInt())
                            .arg(StationProfile::formatVersion));

    // Unknown keys first: a typo or a secret must never be silently ignored.
    for (auto it = root.begin(); it != root.end(); ++it) {
        const QString &section = it.key();
        if (section == u"format" || section == u"version")
            continue;
        if (looksLikeSecret(section))
            return fail(ProfileError::UnknownKey,
                        tr("The profile contains \"%1\": profiles never hold passwords or hashes. "
                           "Remove the key and enter the password in the program.")
                                .arg(section));
        if (!isKnownSection(section))
            return fail(ProfileError::UnknownKey,
                        tr("Unknown key \"%1\" in the profile.").arg(section));
        if (!it.value().isObject())
            return fail(ProfileError::WrongType,
                        tr("\"%1\" in the profile must be an object.").arg(section));
        const QJsonObject object = it.value().toObject();
        for (auto k = object.begin(); k != object.end(); ++k) {
            const QString path = section + u'.' + k.key();
            if (findField(section, k.key()))
                continue;
            if (looksLikeSecret(k.key()))
                return fail(ProfileError::UnknownKey,
                            tr("The profile contains \"%1\": profiles never hold passwords or "
                               "hashes. Remove the key and enter the password in the program.")
                                    .arg(path));
            return fail(ProfileError::UnknownKey,
                        tr("Unknown key \"%1\" in the profile.").arg(path));
        }
    }

    for (const Field &f : fields()) {
        const QString section = QLatin1String(f.section);
        const QString path = section + u'.' + QLatin1String(f.key);
        const QJsonValue value = root.value(section).toObject().value(QLatin1String(f.key));
        if (value.isUndefined()) {
            result.defaulted << path;
            continue;
        }
        bool typeOk = false;
        QString expected;
        switch (f.kind) {
        case Kind::String:
            typeOk = value.isString();
            expected = tr("a string");
            break;
        case Kind::Int:
            typeOk = isWholeNumber(value, 0, std::numeric_limits<int>::max());
            expected = tr("a whole number from 0 to %1").arg(std::numeric_limits<int>::max());
            break;
        case Kind::Bool:
            typeOk = value.isBool();
            expected = tr("true or false");
            break;
        case Kind::StringList: {
            typeOk = value.isArray();
            for (const QJsonValue &item : value.toArray())
                typeOk = typeOk && item.isString();
            expected = tr("a list of strings");
            break;
        }
        case Kind::Anonymous:
            if (value.isString() && value.toString() != u"deny" && value.toString() != u"read-loop")
                return fail(ProfileError::BadValue,
                            tr("\"%1\" in the profile must be \"deny\" or \"read-loop\", not "
                               "\"%2\".")
                                    .arg(path, value.toString().left(40)));
            typeOk = value.isString();
            expected = tr("\"deny\" or \"read-loop\"");
            break;
        }
        if (!typeOk)
            return fail(ProfileError::WrongType,
                        tr("\"%1\" in the profile must be %2.").arg(path, expected));
        f.set(result.profile, value);
    }
    return result;
}

} // namespace wmw::config
