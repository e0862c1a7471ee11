// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/aclfile.h"
#include "remote/diagnosis/diagnosisinput.h"
#include "remote/diagnosis/finding.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace wmw::diagnosis {

/// weewx-mqtt's server_url as Python's urllib.parse.urlsplit reads it (no percent-decoding).
struct ServerUrl
{
    bool hasScheme = false;
    QString scheme;
    QString user;
    std::optional<QString> password;
    QString host;
    std::optional<int> port; ///< nullopt: no port (paho then fails)
    bool portInvalid = false; ///< urlsplit raises ValueError on .port
    bool brokenByCharacter = false; ///< a '/', '?' or '#' in the credentials cut the address

    static ServerUrl parse(const QString &url);
};

/// The catalogue of causes of a failing live page: pure functions from a DiagnosisInput to
/// one Finding per rule (pass, warn, fail or not checked), with evidence and the fix.
/// Sources: ../shared/reference/pi-behaviour.md, belchertown-weewx.md section 4, mosquitto.md.
class Rules
{
    Q_DECLARE_TR_FUNCTIONS(wmw::diagnosis::Rules)
public:
    /// Every rule id, in the order run() reports them.
    static QStringList catalogue();
    /// Applies every rule. No I/O; the same input gives the same findings.
    static QList<Finding> run(const DiagnosisInput &input);

    /// mosquitto's topic matching (mosquitto_topic_matches_sub): `+`, `#`, and `$` topics
    /// matched only by filters that start with `$`.
    static bool topicMatches(const QString &filter, const QString &topic);
    /// Whether the broker's acl_file lets `user` (empty: anonymous) read or write `topic`
    /// (security_default.c: deny entries first, the user's or anonymous list, then patterns;
    /// no match is a denial). Patterns with %c are skipped: the page's client id is random.
    static bool aclAllows(const config::AclFile &acl, const QString &user, const QString &topic,
                          bool write);
    /// A text for evidence with passwords in URLs, password-like keys and password file
    /// hashes masked.
    static QString redact(const QString &text);
};

} // namespace wmw::diagnosis
