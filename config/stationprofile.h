// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace wmw::config {

/// Who may connect without a user name. Written explicitly into the listener config, because
/// mosquitto 2.0 silently switches the default with the presence of a password file.
enum class AnonymousPolicy {
    Deny, ///< allow_anonymous false: every client needs a user name and password
    ReadLoop, ///< allow_anonymous true, and the acl file's anonymous section reads <topic>/loop
};

/// Every choice a user makes for one station, without any secret. Saved as versioned JSON
/// (toJson/fromJson); passwords live in Secrets, which is never serialised.
///
/// Ports are plain ints so that an out-of-range value from a file reaches validation, which
/// names the field, instead of wrapping silently.
struct StationProfile
{
    // The Raspberry Pi, reached over SSH.
    QString piHost;
    int sshPort = 22;
    QString sshUser;

    // The mosquitto broker on the Pi.
    int mqttPort = 1883;
    int websocketPort = 9001;
    AnonymousPolicy anonymousPolicy = AnonymousPolicy::Deny;

    // MQTT users. The web user's password is public (it is in the page's JavaScript), so by
    // default it is a different user that may only read <topic>/loop.
    QString publishUser = QStringLiteral("weewx");
    QString webUser = QStringLiteral("belchertown");

    // Topics: weewx-mqtt publishes to <topic>/loop; the publishing user may also use the
    // extra topic filters (those of the manual procedure by default).
    QString topic = QStringLiteral("weather");
    QStringList extraTopics = {QStringLiteral("weewx/#"), QStringLiteral("weetest/#")};

    // Files on the Pi (Debian defaults). mosquitto reads every *.conf in conf.d.
    QString listenerConfPath = QStringLiteral("/etc/mosquitto/conf.d/weewx-mqtt-wizard.conf");
    QString aclFilePath = QStringLiteral("/etc/mosquitto/acl");
    QString passwordFilePath = QStringLiteral("/etc/mosquitto/passwd");
    QString weewxConfPath = QStringLiteral("/etc/weewx/weewx.conf");

    // weewx-mqtt ([StdRESTful] [[MQTT]]): weewxd runs on the Pi, so it reaches the broker on
    // the Pi itself.
    QString serverUrlHost = QStringLiteral("localhost");
    bool logSuccess = false;
    bool logFailure = true;

    // The Belchertown page ([[[Extras]]] mqtt_websockets_*). Empty / 0 means "derived":
    // host from piHost, port from websocketPort, topic <topic>/loop.
    QString pageHostOverride;
    int pagePortOverride = 0;
    QString pageTopicOverride;
    bool pageSsl = false;
    qint64 visitorDisconnectMs = 1800000; ///< 0 keeps visitors connected

    QString pageHost() const { return pageHostOverride.isEmpty() ? piHost : pageHostOverride; }
    int pagePort() const { return pagePortOverride == 0 ? websocketPort : pagePortOverride; }
    QString loopTopic() const { return topic + QStringLiteral("/loop"); }
    QString pageTopic() const
    {
        return pageTopicOverride.isEmpty() ? loopTopic() : pageTopicOverride;
    }
    /// One MQTT user for publishing and for the page (allowed, with a warning).
    bool sharesOneUser() const { return publishUser == webUser; }

    /// The version written by toJson(); fromJson() reads this and older versions.
    static constexpr int formatVersion = 1;

    /// Deterministic, indented JSON: same profile, same bytes.
    QByteArray toJson() const;

    friend bool operator==(const StationProfile &a, const StationProfile &b);
    friend bool operator!=(const StationProfile &a, const StationProfile &b) { return !(a == b); }
};

/// Passwords that go with a profile. Never serialised, never logged; kept in memory or in the
/// OS keychain by the caller.
struct Secrets
{
    QString publishPassword;
    QString webPassword;
    QString sshPassword;
    QString sudoPassword;
};

enum class ProfileError {
    None,
    NotJson, ///< not parseable, or not a JSON object
    NotAProfile, ///< the "format" key is missing or different
    MissingVersion, ///< no "version" number
    TooNew, ///< written by a newer program
    UnknownKey, ///< a key this version does not know (a typo, or a secret)
    WrongType, ///< a key holding the wrong kind of value
    BadValue, ///< a value outside its set (e.g. an unknown anonymous policy)
};

struct [[nodiscard]] ProfileLoadResult
{
    StationProfile profile;
    ProfileError error = ProfileError::None;
    QString errorString; ///< translated; names the key, e.g. "broker.mqttPort"
    QStringList defaulted; ///< keys that were missing and got their default
    bool ok() const { return error == ProfileError::None; }
};

class ProfileJson
{
    Q_DECLARE_TR_FUNCTIONS(wmw::config::ProfileJson)
public:
    /// Reads a saved profile. Missing keys take their default (and are listed in `defaulted`);
    /// unknown keys, wrong types, a missing or newer version are errors naming the key.
    static ProfileLoadResult fromJson(const QByteArray &json);
};

} // namespace wmw::config
