// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/validation.h"

#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QSet>

namespace wmw::config {

namespace {

bool isAsciiLetterOrDigit(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
}

// Control characters of Latin-1 and Unicode (C0, DEL, C1) and line/paragraph separators.
bool isControl(QChar c)
{
    const ushort u = c.unicode();
    return u < 0x20 || (u >= 0x7f && u <= 0x9f) || c.category() == QChar::Separator_Line
           || c.category() == QChar::Separator_Paragraph || c.category() == QChar::Other_Format;
}

bool hasControlOrSpace(const QString &value)
{
    for (QChar c : value) {
        if (isControl(c) || c.isSpace())
            return true;
    }
    return false;
}

bool hasNonAscii(const QString &value)
{
    for (QChar c : value) {
        if (c.unicode() > 0x7e)
            return true;
    }
    return false;
}

bool onlyChars(const QString &value, QStringView extra)
{
    for (QChar c : value) {
        if (!isAsciiLetterOrDigit(c) && !extra.contains(c))
            return false;
    }
    return true;
}

// Four decimal numbers 0-255 without leading zeros: "010.1.1.1" is octal to inet_aton and
// decimal to others, so it is refused rather than guessed.
bool isStrictIpv4(const QString &value)
{
    const QStringList parts = value.split(u'.');
    if (parts.size() != 4)
        return false;
    for (const QString &part : parts) {
        if (part.isEmpty() || part.size() > 3 || (part.size() > 1 && part.startsWith(u'0')))
            return false;
        bool ok = false;
        const int n = part.toInt(&ok);
        if (!ok || n < 0 || n > 255)
            return false;
    }
    return true;
}

bool isLoopbackName(const QString &host)
{
    if (host.compare(u"localhost", Qt::CaseInsensitive) == 0
        || host.endsWith(u".localhost", Qt::CaseInsensitive))
        return true;
    QString bare = host;
    if (bare.startsWith(u'[') && bare.endsWith(u']'))
        bare = bare.mid(1, bare.size() - 2);
    const QHostAddress address(bare);
    return !address.isNull() && address.isLoopback();
}

class Collector
{
public:
    void add(const QString &field, Finding::Severity severity, const QString &message)
    {
        if (message.isEmpty() || m_fields.contains(field))
            return;
        m_fields.insert(field);
        m_findings.append({field, severity, message});
    }
    void error(const QString &field, const QString &message)
    {
        add(field, Finding::Error, message);
    }
    QList<Finding> findings() const { return m_findings; }

private:
    QSet<QString> m_fields;
    QList<Finding> m_findings;
};

} // namespace

QString Validation::checkHost(const QString &label, const QString &value)
{
    if (value.isEmpty())
        return tr("%1: is required.").arg(label);
    if (value.size() > 253)
        return tr("%1: is longer than 253 characters.").arg(label);
    if (hasControlOrSpace(value))
        return tr("%1: must not contain spaces, line breaks or control characters.").arg(label);
    if (hasNonAscii(value))
        return tr("%1: must be plain ASCII; write an international domain name in its xn-- "
                  "form.")
                .arg(label);

    if (value.contains(u'/') || value.contains(u'@'))
        return tr("%1: must be a host name or an IP address alone, not a URL.").arg(label);

    QString bare = value;
    const bool bracketed = bare.startsWith(u'[') && bare.endsWith(u']');
    if (bracketed)
        bare = bare.mid(1, bare.size() - 2);
    if (bracketed || bare.contains(u':')) {
        // IPv6 literal. A zone id ("%eth0") means nothing to a browser or to another host.
        const QHostAddress address(bare);
        if (bare.contains(u'%') || address.isNull()
            || address.protocol() != QAbstractSocket::IPv6Protocol)
            return tr("%1: is not a valid IPv6 address.").arg(label);
        return {};
    }

    bool digitsAndDots = true;
    for (QChar c : bare)
        digitsAndDots = digitsAndDots && (c.isDigit() || c == u'.');
    if (digitsAndDots) {
        if (!isStrictIpv4(bare))
            return tr("%1: is not a valid IPv4 address (four numbers from 0 to 255, separated by "
                      "dots).")
                    .arg(label);
        return {};
    }

    if (!onlyChars(bare, u"-."))
        return tr("%1: must be a host name (letters A-Z, digits, '-' and '.') or an IP address.")
                .arg(label);
    for (const QString &part : bare.split(u'.')) {
        if (part.isEmpty())
            return tr("%1: has an empty part between dots.").arg(label);
        if (part.size() > 63)
            return tr("%1: has a part longer than 63 characters.").arg(label);
        if (part.startsWith(u'-') || part.endsWith(u'-'))
            return tr("%1: a part of the name must not start or end with '-'.").arg(label);
    }
    return {};
}

QString Validation::checkPort(const QString &label, int value)
{
    if (value < 1 || value > 65535)
        return tr("%1: must be a port number from 1 to 65535.").arg(label);
    return {};
}

QString Validation::checkSshUser(const QString &label, const QString &value)
{
    if (value.isEmpty())
        return tr("%1: is required.").arg(label);
    if (hasControlOrSpace(value))
        return tr("%1: must not contain spaces, line breaks or control characters.").arg(label);
    // A leading '-' would read as an option to any tool that gets the name.
    if (!onlyChars(value, u"_-.") || value.startsWith(u'-') || value.startsWith(u'.'))
        return tr("%1: must start with a letter, digit or '_' and contain only letters A-Z, "
                  "digits, '_', '-' and '.'.")
                .arg(label);
    if (value.size() > 32)
        return tr("%1: is longer than 32 characters.").arg(label);
    return {};
}

QString Validation::checkMqttUser(const QString &label, const QString &value)
{
    if (value.isEmpty())
        return tr("%1: is required.").arg(label);
    if (hasControlOrSpace(value))
        return tr("%1: must not contain spaces, line breaks or control characters.").arg(label);
    if (value.contains(u':'))
        return tr("%1: must not contain ':' (the password file separates user and hash with "
                  "it).")
                .arg(label);
    // The name goes into server_url, an acl "user" line and the page's JavaScript; '+' and
    // '#' would make mosquitto deny the user whenever the acl file has pattern lines.
    if (!onlyChars(value, u"_-."))
        return tr("%1: may only contain letters A-Z, digits, '_', '-' and '.'.").arg(label);
    if (value.size() > 64)
        return tr("%1: is longer than 64 characters.").arg(label);
    return {};
}

QString Validation::checkPassword(const QString &label, const QString &value, PasswordUse use)
{
    if (value.isEmpty())
        return tr("%1: is required.").arg(label);
    if (value.contains(u'\n') || value.contains(u'\r'))
        return tr("%1: must not contain line breaks.").arg(label);
    for (QChar c : value) {
        if (isControl(c))
            return tr("%1: must not contain control characters.").arg(label);
    }
    if (hasNonAscii(value))
        return tr("%1: must use ASCII characters only (others depend on the Pi's locale and the "
                  "page's encoding).")
                .arg(label);
    for (QChar c : value) {
        if (c == u' ')
            return tr("%1: must not contain spaces (weewx.conf drops them at the ends).")
                    .arg(label);
        if (c == u'"' || c == u'\'' || c == u'\\')
            return tr("%1: must not contain %2: it would end the quoted value in weewx.conf or "
                      "in the page's JavaScript.")
                    .arg(label, QString(c));
        // weewx-mqtt parses server_url with urlparse, which does not percent-decode: these
        // characters end or split the user:password part, so they are refused, not escaped.
        if (use == PasswordUse::Publish && QStringView(u"@:/?#[]%").contains(c))
            return tr("%1: must not contain %2: weewx-mqtt reads the password from server_url "
                      "(mqtt://user:password@host:port/) without percent-decoding, so "
                      "@ : / ? # [ ] and % cannot be used.")
                    .arg(label, QString(c));
    }
    // mosquitto_passwd -U hashes whatever it finds, hashes included; we never do.
    if (value.startsWith(u"$7$") || value.startsWith(u"$6$"))
        return tr("%1: looks like a mosquitto password hash; enter the password itself.")
                .arg(label);
    if (value.size() > 256)
        return tr("%1: is longer than 256 characters.").arg(label);
    return {};
}

QString Validation::checkTopicName(const QString &label, const QString &value)
{
    // MQTT-4.7.3-1: at least one character; MQTT-4.7.3-2: no U+0000; MQTT-1.5.3-2: no NUL.
    if (value.isEmpty())
        return tr("%1: is required.").arg(label);
    for (QChar c : value) {
        if (isControl(c))
            return tr("%1: must not contain control characters.").arg(label);
    }
    if (value.toUtf8().size() > 65535)
        return tr("%1: is longer than 65535 bytes (MQTT 3.1.1, 4.7.3).").arg(label);
    // MQTT-4.7.1-1: wildcards only in filters.
    if (value.contains(u'+') || value.contains(u'#'))
        return tr("%1: must not contain the wildcards '+' or '#' (MQTT 3.1.1, 4.7.1).").arg(label);
    return {};
}

QString Validation::checkTopicFilter(const QString &label, const QString &value)
{
    if (value.isEmpty())
        return tr("%1: is required.").arg(label);
    for (QChar c : value) {
        if (isControl(c))
            return tr("%1: must not contain control characters.").arg(label);
    }
    if (value.toUtf8().size() > 65535)
        return tr("%1: is longer than 65535 bytes (MQTT 3.1.1, 4.7.3).").arg(label);
    const QStringList levels = value.split(u'/');
    for (qsizetype i = 0; i < levels.size(); ++i) {
        const QString &level = levels.at(i);
        // MQTT-4.7.1-2: '#' alone in the last level.
        if (level.contains(u'#') && (level.size() != 1 || i != levels.size() - 1))
            return tr("%1: '#' must be a whole level and the last one (MQTT 3.1.1, 4.7.1.2).")
                    .arg(label);
        // MQTT-4.7.1-3: '+' fills a whole level.
        if (level.contains(u'+') && level.size() != 1)
            return tr("%1: '+' must be a whole level (MQTT 3.1.1, 4.7.1.3).").arg(label);
    }
    return {};
}

QString Validation::checkProfileTopic(const QString &label, const QString &value, bool filter)
{
    const QString mqtt = filter ? checkTopicFilter(label, value) : checkTopicName(label, value);
    if (!mqtt.isEmpty())
        return mqtt;
    if (hasControlOrSpace(value))
        return tr("%1: must not contain spaces.").arg(label);
    // MQTT-4.7.2-1: $-topics are the broker's; acl entries not starting with $ never match.
    if (value.startsWith(u'$'))
        return tr("%1: must not start with '$' (reserved for the broker).").arg(label);
    if (!onlyChars(value, filter ? u"_-./+#" : u"_-./"))
        return tr("%1: may only contain letters A-Z, digits, '_', '-', '.' and '/'.").arg(label);
    if (value.startsWith(u'/') || value.endsWith(u'/') || value.contains(u"//"))
        return tr("%1: must not start or end with '/' or contain an empty level.").arg(label);
    if (value.size() > 200)
        return tr("%1: is longer than 200 characters.").arg(label);
    return {};
}

QString Validation::checkAbsolutePath(const QString &label, const QString &value)
{
    if (value.isEmpty())
        return tr("%1: is required.").arg(label);
    if (hasControlOrSpace(value))
        return tr("%1: must not contain spaces, line breaks or control characters.").arg(label);
    if (!value.startsWith(u'/'))
        return tr("%1: must be an absolute path (starting with '/').").arg(label);
    if (!onlyChars(value, u"_-./"))
        return tr("%1: may only contain letters A-Z, digits, '_', '-', '.' and '/'.").arg(label);
    const QStringList parts = value.mid(1).split(u'/');
    for (const QString &part : parts) {
        if (part.isEmpty() || part == u"." || part == u"..")
            return tr("%1: must name a file, without empty, '.' or '..' parts.").arg(label);
    }
    if (value.size() > 1024)
        return tr("%1: is longer than 1024 characters.").arg(label);
    return {};
}

bool Validation::stripTrailingLineBreaks(QString &password)
{
    qsizetype end = password.size();
    while (end > 0 && (password.at(end - 1) == u'\n' || password.at(end - 1) == u'\r'))
        --end;
    if (end == password.size())
        return false;
    password.truncate(end);
    return true;
}

QList<Finding> Validation::validate(const StationProfile &p)
{
    Collector c;

    c.error(QStringLiteral("pi.host"), checkHost(tr("Pi host"), p.piHost));
    c.error(QStringLiteral("pi.sshPort"), checkPort(tr("SSH port"), p.sshPort));
    c.error(QStringLiteral("pi.sshUser"), checkSshUser(tr("SSH user"), p.sshUser));

    const QString mqttPort = tr("MQTT port");
    const QString wsPort = tr("Websockets port");
    c.error(QStringLiteral("broker.mqttPort"), checkPort(mqttPort, p.mqttPort));
    c.error(QStringLiteral("broker.websocketPort"), checkPort(wsPort, p.websocketPort));
    // The broker listens on both ports of the same host as sshd.
    if (p.mqttPort == p.sshPort)
        c.error(QStringLiteral("broker.mqttPort"),
                tr("%1: must differ from the SSH port (%2).").arg(mqttPort).arg(p.sshPort));
    if (p.websocketPort == p.mqttPort)
        c.error(QStringLiteral("broker.websocketPort"),
                tr("%1: must differ from the MQTT port (%2).").arg(wsPort).arg(p.mqttPort));
    if (p.websocketPort == p.sshPort)
        c.error(QStringLiteral("broker.websocketPort"),
                tr("%1: must differ from the SSH port (%2).").arg(wsPort).arg(p.sshPort));

    const QString webUser = tr("Web page user");
    c.error(QStringLiteral("users.publish"), checkMqttUser(tr("Publishing user"), p.publishUser));
    c.error(QStringLiteral("users.web"), checkMqttUser(webUser, p.webUser));
    if (p.sharesOneUser())
        c.add(QStringLiteral("users.web"), Finding::Warning,
              tr("%1: is the publishing user too. Its password is readable by every visitor of "
                 "the page, who could then publish false readings; a separate user that may "
                 "only read %2 is safer.")
                      .arg(webUser, p.pageTopic()));

    c.error(QStringLiteral("topics.root"), checkProfileTopic(tr("Topic"), p.topic, false));
    for (qsizetype i = 0; i < p.extraTopics.size(); ++i)
        c.error(QStringLiteral("topics.extra.%1").arg(i),
                checkProfileTopic(tr("Extra topic %1").arg(i + 1), p.extraTopics.at(i), true));

    struct PathField
    {
        const char *key;
        QString label;
        const QString &value;
    };
    const PathField paths[] = {
            {"paths.listenerConf", tr("Listener config file"), p.listenerConfPath},
            {"paths.aclFile", tr("ACL file"), p.aclFilePath},
            {"paths.passwordFile", tr("Password file"), p.passwordFilePath},
            {"paths.weewxConf", tr("weewx.conf file"), p.weewxConfPath},
    };
    for (const PathField &path : paths)
        c.error(QLatin1String(path.key), checkAbsolutePath(path.label, path.value));
    if (!p.listenerConfPath.endsWith(u".conf"))
        c.error(QStringLiteral("paths.listenerConf"),
                tr("%1: must end in .conf (mosquitto's include_dir reads only *.conf files).")
                        .arg(paths[0].label));
    const QString confDir = QFileInfo(p.listenerConfPath).path();
    for (int i = 1; i < 4; ++i) {
        for (int j = 0; j < i; ++j) {
            if (paths[i].value == paths[j].value)
                c.error(QLatin1String(paths[i].key),
                        tr("%1: is the same file as the %2.").arg(paths[i].label, paths[j].label));
        }
        // mosquitto would parse the acl or password file as configuration and refuse to start.
        if (i < 3 && QFileInfo(paths[i].value).path() == confDir
            && paths[i].value.endsWith(u".conf"))
            c.error(QLatin1String(paths[i].key),
                    tr("%1: must not be a .conf file in %2, where mosquitto reads every .conf "
                       "file as configuration.")
                            .arg(paths[i].label, confDir));
    }

    c.error(QStringLiteral("weewx.serverUrlHost"),
            checkHost(tr("Broker host in server_url"), p.serverUrlHost));

    const QString pageHost = tr("Page websocket host");
    if (!p.pageHostOverride.isEmpty())
        c.error(QStringLiteral("page.host"), checkHost(pageHost, p.pageHostOverride));
    if (!p.pageHost().isEmpty() && isLoopbackName(p.pageHost()))
        c.add(QStringLiteral("page.host"), Finding::Warning,
              tr("%1: a visitor's browser reads \"%2\" as its own computer, so the live page "
                 "works only in a browser on the Pi itself.")
                      .arg(pageHost, p.pageHost()));
    if (p.pagePortOverride != 0)
        c.error(QStringLiteral("page.port"),
                checkPort(tr("Page websocket port"), p.pagePortOverride));
    const QString pageTopic = tr("Page topic");
    if (!p.pageTopicOverride.isEmpty())
        c.error(QStringLiteral("page.topic"),
                checkProfileTopic(pageTopic, p.pageTopicOverride, true));
    if (p.pageTopic() != p.loopTopic())
        c.add(QStringLiteral("page.topic"), Finding::Warning,
              tr("%1: weewx-mqtt publishes the readings to %2; the page waits for data forever "
                 "on %3.")
                      .arg(pageTopic, p.loopTopic(), p.pageTopic()));
    // setTimeout() takes a signed 32-bit delay; larger values fire at once.
    if (p.visitorDisconnectMs < 0 || p.visitorDisconnectMs > 2147483647)
        c.error(QStringLiteral("page.visitorDisconnectMs"),
                tr("%1: must be from 0 (never) to 2147483647 milliseconds.")
                        .arg(tr("Visitor disconnect time")));
    return c.findings();
}

QList<Finding> Validation::validateSecrets(const StationProfile &profile, const Secrets &secrets)
{
    Collector c;
    const QString publish = tr("Password of the publishing user");
    c.error(QStringLiteral("secrets.publishPassword"),
            checkPassword(publish, secrets.publishPassword, PasswordUse::Publish));
    if (profile.sharesOneUser())
        return c.findings(); // one user, one password: the publishing one
    const QString web = tr("Password of the web page user");
    c.error(QStringLiteral("secrets.webPassword"),
            checkPassword(web, secrets.webPassword, PasswordUse::Web));
    if (!secrets.webPassword.isEmpty() && secrets.webPassword == secrets.publishPassword)
        c.add(QStringLiteral("secrets.webPassword"), Finding::Warning,
              tr("%1: is the same as the publishing user's; anyone who reads it in the page "
                 "could guess the other.")
                      .arg(web));
    return c.findings();
}

bool Validation::hasErrors(const QList<Finding> &findings)
{
    for (const Finding &f : findings) {
        if (f.severity == Finding::Error)
            return true;
    }
    return false;
}

} // namespace wmw::config
