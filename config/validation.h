// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/stationprofile.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

namespace wmw::config {

/// One finding about one field. `field` is the profile's JSON key ("pi.host") or, for
/// passwords, "secrets.publishPassword" / "secrets.webPassword"; `message` is translated and
/// starts with the field's label, then the rule ("Pi host: must not contain spaces, ...").
struct Finding
{
    enum Severity { Error, Warning, Notice };
    QString field;
    Severity severity = Error;
    QString message;

    friend bool operator==(const Finding &a, const Finding &b)
    {
        return a.field == b.field && a.severity == b.severity && a.message == b.message;
    }
};

/// Where a password ends up, which decides the characters it may hold.
enum class PasswordUse {
    Publish, ///< inside weewx-mqtt's server_url (mqtt://user:password@host:port/)
    Web, ///< inside a quoted string in weewx.conf and the page's JavaScript
};

/// Rules for every value a user types. Each check returns an empty string when the value is
/// fine, else one translated message naming `label` and the rule that failed (the first one,
/// in the order listed in the .cpp). User text that passes can be written into the acl file,
/// the listener config and weewx.conf as is: no quotes, line breaks, shell or URL syntax.
class Validation
{
    Q_DECLARE_TR_FUNCTIONS(wmw::config::Validation)
public:
    static QString checkHost(const QString &label, const QString &value);
    static QString checkPort(const QString &label, int value);
    static QString checkSshUser(const QString &label, const QString &value);
    static QString checkMqttUser(const QString &label, const QString &value);
    static QString checkPassword(const QString &label, const QString &value, PasswordUse use);
    /// MQTT 3.1.1 section 4.7: a topic name (no wildcards) or a filter (wildcards in place).
    static QString checkTopicName(const QString &label, const QString &value);
    static QString checkTopicFilter(const QString &label, const QString &value);
    /// A topic name or filter that our files can carry: MQTT rules plus a safe character set.
    static QString checkProfileTopic(const QString &label, const QString &value, bool filter);
    static QString checkAbsolutePath(const QString &label, const QString &value);

    /// A pasted password often brings its line break along: strip CR/LF at the end.
    /// Returns true when something was removed (the caller shows that it was).
    static bool stripTrailingLineBreaks(QString &password);

    /// Every field of the profile, in form order; at most one finding per field. Warnings and
    /// notices do not block; errors do.
    static QList<Finding> validate(const StationProfile &profile);
    /// The passwords of `secrets` needed for `profile`, at most one finding per password.
    static QList<Finding> validateSecrets(const StationProfile &profile, const Secrets &secrets);

    static bool hasErrors(const QList<Finding> &findings);
};

} // namespace wmw::config
