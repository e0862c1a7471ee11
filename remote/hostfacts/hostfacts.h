// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace wmw {

/// One file the probe looked at (mosquitto.conf and its includes, the acl and password files
/// they name, weewx.conf).
struct FileFacts
{
    QString role; ///< mosquitto-conf, mosquitto-include, acl, password, weewx-conf
    QString path;
    bool exists = false;
    QString owner;
    QString group;
    int mode = -1; ///< permission bits, e.g. 0660; -1 when unknown
    qint64 size = -1;
    qint64 mtime = -1;
    /// The file's bytes. For secret files (password file, weewx.conf) these must never reach a
    /// log line or an unredacted diff.
    QByteArray content;
    bool secret = false;
    QString error; ///< "missing", "unreadable", ... ; empty when the content was read
};

struct ListeningPort
{
    QString address; ///< as ss prints it: 127.0.0.1, [::1], *, 0.0.0.0
    quint16 port = 0;
};

/// Why a probe report could not be parsed.
enum class HostFactsParseError {
    None,
    NotAReport,
    UnsupportedVersion,
    Truncated,
    MalformedLine,
    UnterminatedBlob,
    BadBase64,
    DuplicateKey,
    BadValue,
};
struct HostFactsParseResult;

/// What the HostFacts probe (remote/hostfacts/probe.sh) found on the Pi, parsed.
struct HostFacts
{
    struct Os
    {
        QString id, versionId, codename, prettyName, kernel, arch;
    };
    struct Locale
    {
        QByteArray output; ///< `locale` stdout
        QByteArray errors; ///< `locale` stderr ("Cannot set LC_CTYPE ...")
        bool valid = false;
        QByteArray defaultFile; ///< /etc/default/locale
    };
    struct Mosquitto
    {
        bool installed = false;
        QString version;
        QStringList includeDirs;
        QMap<QString, QStringList> includeDirEntries; ///< every name in each include_dir
    };
    enum class WeewxInstall { None, Package, Pip, Both };
    struct Weewx
    {
        WeewxInstall install = WeewxInstall::None;
        QString version;
        QByteArray extensionListOutput;
        QStringList extensions; ///< names from `weectl extension list`
        /// weewx-mqtt's installer copy, when found (HostFactsScope::Weewx: then weectl does
        /// not list the extensions)
        QString mqttInstaller;
        bool belchertownInstalled = false;
        QString belchertownPage;
        qint64 belchertownPageMtime = -1;
    };

    int probeUid = -1;
    QString probeUser, probeHome, hostname;
    qint64 probeTime = -1;
    Os os;
    Locale locale;
    Mosquitto mosquitto;
    Weewx weewx;
    QList<FileFacts> files; ///< in the order the probe read them (mosquitto's load order)
    QMap<QString, QString> services; ///< unit -> is-active answer
    QList<ListeningPort> listeningPorts;
    QString pahoVersion; ///< empty when python3 cannot import paho.mqtt
    /// Where the version was read: paho's metadata folder (".../paho_mqtt-1.6.1.egg-info"), or
    /// "python3" when python was asked; empty with no paho
    QString pahoSource;
    /// false: a probe of HostFactsScope::Weewx; files, services, ports and logs were not read
    bool complete = true;
    QMap<QString, QByteArray> logs; ///< log.mosquitto, journal.mosquitto, log.weewx, journal.weewx

    /// Files of one role.
    QList<FileFacts> filesWithRole(const QString &role) const;
    /// The file with this path, if the probe looked at it.
    std::optional<FileFacts> file(const QString &path) const;
    bool isListening(quint16 port) const;
    bool ranAsRoot() const { return probeUid == 0; }
    /// weectl lists weewx-mqtt ("mqtt"), or its installer copy was found.
    bool hasWeewxMqtt() const;

    using ParseError = HostFactsParseError;
    using ParseResult = HostFactsParseResult;
    /// Parses the probe's output. Pure: no I/O, no logging of content.
    [[nodiscard]] static ParseResult parse(const QByteArray &output);
};

struct HostFactsParseResult
{
    std::optional<HostFacts> facts;
    HostFactsParseError error = HostFactsParseError::None;
    int line = 0; ///< 1-based line of the problem, 0 when none
    QString message; ///< translated, names the line and the key; never quotes content
    bool ok() const { return error == HostFactsParseError::None; }
};

} // namespace wmw
