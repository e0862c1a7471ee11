// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/diagnosis/rules.h"

#include "config/passwordfile.h"
#include "remote/diagnosis/brokerconfig.h"

#include <QHostAddress>
#include <QRegularExpression>

#include <vector>

namespace wmw::diagnosis {

using config::PasswordFile;
using mqtt::LiveCheck;

namespace {

const QString kMask = QStringLiteral("••••••");

// --- small helpers --------------------------------------------------------------------------

QStringList lines(const QByteArray &bytes)
{
    QStringList result;
    for (const QByteArray &line : bytes.split('\n')) {
        QString text = QString::fromUtf8(line);
        while (text.endsWith(u'\r'))
            text.chop(1);
        result.append(text);
    }
    if (!result.isEmpty() && result.constLast().isEmpty())
        result.removeLast();
    return result;
}

bool isLoopback(const QString &host)
{
    const QString h = host.trimmed().toLower();
    if (h == u"localhost" || h.endsWith(u".localhost") || h == u"ip6-localhost")
        return true;
    QString bare = h;
    if (bare.startsWith(u'[') && bare.endsWith(u']'))
        bare = bare.mid(1, bare.size() - 2);
    const QHostAddress address(bare);
    return !address.isNull() && address.isLoopback();
}

// The mosquitto user can read a file (it drops privileges before reading them: mosquitto.c).
bool mosquittoCanRead(const FileFacts &file)
{
    if (file.mode < 0)
        return true; // unknown: nothing to say
    if (file.owner == u"mosquitto")
        return file.mode & 0400;
    if (file.group == u"mosquitto")
        return file.mode & 0040;
    return file.mode & 0004;
}

QString modeText(const FileFacts &file)
{
    return QStringLiteral("%1:%2 %3")
            .arg(file.owner, file.group, QString::number(file.mode, 8).rightJustified(4, u'0'));
}

// Lines of a log since the last line holding `startMarker` (all when there is none).
QStringList sinceLastStart(const QStringList &log, const QString &startMarker)
{
    qsizetype start = 0;
    for (qsizetype i = 0; i < log.size(); ++i) {
        if (log.at(i).contains(startMarker))
            start = i;
    }
    return log.mid(start);
}

QStringList matching(const QStringList &log, const QRegularExpression &re, int max = 8)
{
    QStringList result;
    for (const QString &line : log) {
        if (re.match(line).hasMatch())
            result.append(line);
    }
    if (result.size() > max)
        result = result.mid(result.size() - max);
    return result;
}

struct PasswordLine
{
    int line = 0;
    QString user;
    PasswordFile::Verify kind = PasswordFile::Verify::Malformed;
    QByteArray raw;
};

QList<PasswordLine> passwordLines(const QByteArray &content)
{
    QList<PasswordLine> result;
    const QList<QByteArray> raw = content.split('\n');
    for (int i = 0; i < raw.size(); ++i) {
        QByteArray line = raw.at(i);
        while (line.endsWith('\r'))
            line.chop(1);
        if (line.trimmed().isEmpty() || line.startsWith('#'))
            continue;
        PasswordLine p;
        p.line = i + 1;
        p.raw = line;
        p.user = QString::fromUtf8(PasswordFile::userOfLine(line));
        // An empty password never matches a real hash: Mismatch means "a well-formed hash".
        p.kind = PasswordFile::verify(line, QString());
        result.append(p);
    }
    return result;
}

// --- context shared by the rules --------------------------------------------------------------

struct Context
{
    const DiagnosisInput &in;
    const HostFacts &f;
    BrokerConfig broker;
    WeewxSettings wx;
    std::optional<FileFacts> aclFile;
    std::optional<config::AclFile> acl;
    QString aclError;
    int aclErrorLine = 0;
    std::optional<FileFacts> pwFile;
    QList<PasswordLine> pwLines;
    bool brokerActive = false;
    bool weewxActive = false;
    QStringList mosquittoLog, mosquittoJournal, weewxLog, weewxJournal;
    qint64 brokerStartedAt = -1;
    QString brokerStartLine;
    ServerUrl url;

    explicit Context(const DiagnosisInput &input)
        : in(input)
        , f(input.facts)
    {
        broker = BrokerConfig::read(f);
        wx = WeewxSettings::read(f);
        if (!broker.aclFiles.isEmpty()) {
            aclFile = f.file(broker.aclFiles.last().value);
            if (aclFile && aclFile->error.isEmpty()) {
                config::AclParseResult parsed = config::AclFile::parse(aclFile->content);
                if (parsed.ok())
                    acl = parsed.file;
                else {
                    aclError = parsed.errorString;
                    aclErrorLine = parsed.errorLine;
                }
            }
        }
        if (!broker.passwordFiles.isEmpty()) {
            pwFile = f.file(broker.passwordFiles.last().value);
            if (pwFile && pwFile->error.isEmpty())
                pwLines = passwordLines(pwFile->content);
        }
        brokerActive = f.services.value(QStringLiteral("mosquitto")) == u"active";
        weewxActive = f.services.value(QStringLiteral("weewx")) == u"active";
        mosquittoLog = lines(f.logs.value(QStringLiteral("log.mosquitto")));
        mosquittoJournal = lines(f.logs.value(QStringLiteral("journal.mosquitto")));
        weewxLog = lines(f.logs.value(QStringLiteral("log.weewx")));
        weewxJournal = lines(f.logs.value(QStringLiteral("journal.weewx")));
        static const QRegularExpression starting(
                QStringLiteral("^(\\d+): mosquitto version \\S+ starting"));
        for (const QString &line : mosquittoLog) {
            const QRegularExpressionMatch m = starting.match(line);
            if (m.hasMatch()) {
                brokerStartedAt = m.captured(1).toLongLong();
                brokerStartLine = line;
            }
        }
        if (wx.serverUrl.present)
            url = ServerUrl::parse(wx.serverUrl.text());
    }

    // The web page's password-file verdict for (user, password): the broker keeps the last
    // well-formed line of a user; plain-text and malformed lines are dropped when it loads.
    enum class Cred { Match, Mismatch, UnknownUser, Unchecked };
    Cred verify(const QString &user, const QString &password, int *line) const
    {
        if (!pwFile || !pwFile->error.isEmpty())
            return Cred::Unchecked;
        const PasswordLine *last = nullptr;
        for (const PasswordLine &p : pwLines) {
            if (p.user == user
                && (p.kind == PasswordFile::Verify::Match
                    || p.kind == PasswordFile::Verify::Mismatch))
                last = &p;
        }
        if (!last)
            return Cred::UnknownUser;
        *line = last->line;
        return PasswordFile::verify(last->raw, password) == PasswordFile::Verify::Match
                       ? Cred::Match
                       : Cred::Mismatch;
    }

    Evidence wxLine(const ConfEntry &e, const QString &key) const
    {
        return Evidence::file(wx.path, e.line,
                              Rules::redact(QStringLiteral("%1 = %2").arg(key, e.text())));
    }
    Evidence wxMissing(const QString &section, const QString &key) const
    {
        return Evidence::file(wx.path, 0,
                              Rules::tr("%1 has no %2 (the default applies)").arg(section, key));
    }
    Evidence wsLine(const ConfEntry &e, const QString &key) const
    {
        return e.present ? wxLine(e, key) : wxMissing(QStringLiteral("[[[Extras]]]"), key);
    }
    QString brokerLogSource() const { return QStringLiteral("/var/log/mosquitto/mosquitto.log"); }
    QList<Evidence> brokerErrors() const
    {
        static const QRegularExpression error(QStringLiteral("Error|error|Failed|refus"));
        QList<Evidence> ev;
        const QStringList since = sinceLastStart(mosquittoLog, QStringLiteral("mosquitto version"));
        for (const QString &line : matching(since, error))
            ev.append(Evidence::log(brokerLogSource(), line));
        for (const QString &line : matching(mosquittoJournal, error))
            ev.append(Evidence::log(QStringLiteral("journalctl -u mosquitto"), line));
        return ev;
    }
    bool liveFailedAt(std::initializer_list<LiveCheck::Failure> failures) const
    {
        if (!in.live.ran)
            return false;
        for (LiveCheck::Failure failure : failures) {
            if (in.live.failure == failure)
                return true;
        }
        return false;
    }
    bool weewxReadable() const { return wx.readable; }
    bool pageAnonymous() const { return !wx.pageSendsCredentials(); }
};

// --- building findings ------------------------------------------------------------------------

Finding pass(const char *id, const QString &title, QList<Evidence> evidence = {})
{
    Finding f;
    f.id = QString::fromLatin1(id);
    f.severity = Severity::Pass;
    f.title = title;
    f.evidence = std::move(evidence);
    return f;
}

Finding problem(const char *id, Severity severity, const QString &title, const QString &fix,
                QList<Evidence> evidence, std::optional<FixHint> hint = std::nullopt)
{
    Finding f;
    f.id = QString::fromLatin1(id);
    f.severity = severity;
    f.title = title;
    f.fix = fix;
    f.evidence = std::move(evidence);
    f.fixIt = std::move(hint);
    return f;
}

Finding notChecked(const char *id, const QString &title, const QString &why)
{
    Finding f;
    f.id = QString::fromLatin1(id);
    f.severity = Severity::NotChecked;
    f.title = title;
    f.evidence = {Evidence::note(why)};
    return f;
}

FixHint provision(QVariantMap fields = {})
{
    return FixHint{std::move(fields)};
}

using Rule = Finding (*)(const Context &);

// --- the system ------------------------------------------------------------------------------

Finding localeInvalid(const Context &c)
{
    const char *id = "locale-invalid";
    if (c.f.locale.valid)
        return pass(id, Rules::tr("The locale is valid"));
    QList<Evidence> ev;
    for (const QString &line : lines(c.f.locale.errors))
        ev.append(Evidence::command(QStringLiteral("locale"), line));
    for (const QString &line : lines(c.f.locale.defaultFile))
        ev.append(Evidence::file(QStringLiteral("/etc/default/locale"), 0, line));
    // A warning: logins print errors and some tools misbehave, but the page does not depend
    // on it (pi-behaviour.md).
    return problem(id, Severity::Warn,
                   Rules::tr("The locale is set but not generated (invalid locale)"),
                   Rules::tr("Generate the locale that /etc/default/locale names (Raspberry Pi: "
                             "sudo raspi-config, Localisation Options, Locale), or set LANG to "
                             "one that `locale -a` lists."),
                   ev);
}

// --- the broker's files -----------------------------------------------------------------------

Finding namedFileMissing(const Context &c, const char *id, const QList<ConfSetting> &settings,
                         const QString &option, const QString &passTitle, const QString &failTitle)
{
    if (settings.isEmpty())
        return pass(id, passTitle, {Evidence::note(Rules::tr("No %1 is configured.").arg(option))});
    const ConfSetting &s = settings.last();
    const auto file = c.f.file(s.value);
    if (file && file->exists)
        return pass(id, passTitle, {Evidence::file(s.file, s.line, option + u' ' + s.value)});
    QList<Evidence> ev{Evidence::file(s.file, s.line, option + u' ' + s.value),
                       Evidence::note(Rules::tr("%1 does not exist on the Pi.").arg(s.value))};
    ev += c.brokerErrors();
    return problem(id, Severity::Fail, failTitle,
                   Rules::tr("Create %1, or point %2 at the file that exists (mosquitto refuses "
                             "to start, exit code 13). Provisioning writes both files and the "
                             "line that names them.")
                           .arg(s.value, option),
                   ev, provision());
}

Finding aclFileMissing(const Context &c)
{
    return namedFileMissing(c, "acl-file-missing", c.broker.aclFiles, QStringLiteral("acl_file"),
                            Rules::tr("The acl_file exists"),
                            Rules::tr("acl_file names a file that does not exist"));
}

Finding passwordFileMissing(const Context &c)
{
    return namedFileMissing(c, "password-file-missing", c.broker.passwordFiles,
                            QStringLiteral("password_file"), Rules::tr("The password_file exists"),
                            Rules::tr("password_file names a file that does not exist"));
}

Finding passwordLinesOfKind(const Context &c, const char *id, bool plain)
{
    const QString passTitle = plain ? Rules::tr("No plain-text password lines")
                                    : Rules::tr("No malformed password lines");
    if (!c.pwFile || !c.pwFile->exists)
        return pass(id, passTitle, {Evidence::note(Rules::tr("No password file to read."))});
    if (!c.pwFile->error.isEmpty())
        return notChecked(
                id, passTitle,
                Rules::tr("%1 could not be read (%2).").arg(c.pwFile->path, c.pwFile->error));
    QList<Evidence> ev;
    for (const PasswordLine &p : c.pwLines) {
        const bool isPlain = p.kind == PasswordFile::Verify::NotHashed;
        const bool isBad = p.kind == PasswordFile::Verify::Malformed
                           || p.kind == PasswordFile::Verify::Unsupported;
        if ((plain && isPlain) || (!plain && isBad)) {
            ev.append(Evidence::file(c.pwFile->path, p.line,
                                     p.user.isEmpty() ? Rules::tr("(not a user:hash line)")
                                                      : p.user + u':' + kMask));
        }
    }
    if (ev.isEmpty())
        return pass(id, passTitle);
    static const QRegularExpression dropped(QStringLiteral(
            "Invalid password hash type|Unable to decode password|Corrupt password"));
    for (const QString &line : matching(c.mosquittoLog, dropped))
        ev.append(Evidence::log(c.brokerLogSource(), line));
    if (plain)
        return problem(id, Severity::Fail,
                       Rules::tr("The password file holds plain-text passwords"),
                       Rules::tr("mosquitto 2.0 drops these users (\"Invalid password hash "
                                 "type\") and refuses them with CONNACK 5. Hash each password "
                                 "once (never run mosquitto_passwd -U twice); provisioning "
                                 "rewrites these lines as $7$ hashes."),
                       ev, provision());
    return problem(id, Severity::Fail, Rules::tr("The password file holds malformed lines"),
                   Rules::tr("mosquitto drops these lines (wrong hash type, salt or length, e.g. "
                             "a hash made by mosquitto_passwd 2.1 or hashed twice). Set these "
                             "users' passwords again; provisioning writes fresh $7$ lines."),
                   ev, provision());
}

Finding passwordFilePlaintext(const Context &c)
{
    return passwordLinesOfKind(c, "password-file-plaintext", true);
}

Finding passwordFileMalformed(const Context &c)
{
    return passwordLinesOfKind(c, "password-file-malformed", false);
}

Finding fileUnreadable(const Context &c, const char *id, const std::optional<FileFacts> &file,
                       const QString &what)
{
    const QString passTitle = Rules::tr("The %1 is readable for the mosquitto user").arg(what);
    if (!file || !file->exists)
        return pass(id, passTitle, {Evidence::note(Rules::tr("No %1 to check.").arg(what))});
    const Evidence stat = Evidence::command(QStringLiteral("stat ") + file->path, modeText(*file));
    if (mosquittoCanRead(*file))
        return pass(id, passTitle, {stat});
    QList<Evidence> ev{stat};
    ev += c.brokerErrors();
    return problem(id, Severity::Fail,
                   Rules::tr("The %1 is not readable for the mosquitto user").arg(what),
                   Rules::tr("mosquitto reads this file after dropping to the user mosquitto "
                             "(\"Unable to open\", exit code 13). Make it mosquitto:mosquitto "
                             "0600: sudo chown mosquitto:mosquitto %1 && sudo chmod 0600 %1. "
                             "Ignore mosquitto_passwd's advice to chown it to root.")
                           .arg(file->path),
                   ev, provision());
}

Finding aclFileUnreadable(const Context &c)
{
    return fileUnreadable(c, "acl-file-unreadable", c.aclFile, Rules::tr("acl file"));
}

Finding passwordFileUnreadable(const Context &c)
{
    return fileUnreadable(c, "password-file-unreadable", c.pwFile, Rules::tr("password file"));
}

Finding aclFileInvalid(const Context &c)
{
    const char *id = "acl-file-invalid";
    const QString passTitle = Rules::tr("The acl file is valid");
    if (!c.aclFile || !c.aclFile->exists)
        return pass(id, passTitle, {Evidence::note(Rules::tr("No acl file to check."))});
    if (!c.aclFile->error.isEmpty())
        return notChecked(
                id, passTitle,
                Rules::tr("%1 could not be read (%2).").arg(c.aclFile->path, c.aclFile->error));
    if (c.acl)
        return pass(id, passTitle);
    const QString text = lines(c.aclFile->content).value(c.aclErrorLine - 1);
    QList<Evidence> ev{Evidence::file(c.aclFile->path, c.aclErrorLine, text),
                       Evidence::note(c.aclError)};
    ev += c.brokerErrors();
    return problem(id, Severity::Fail, Rules::tr("The acl file has a line mosquitto refuses"),
                   Rules::tr("mosquitto stops at this line (exit code 3): separate words with "
                             "single spaces, no tabs, comments only with # in column 0."),
                   ev, provision());
}

Finding securityOptionDuplicated(const Context &c)
{
    const char *id = "security-option-duplicated";
    QList<Evidence> ev;
    for (const auto *list : {&c.broker.passwordFiles, &c.broker.aclFiles}) {
        if (list->size() > 1) {
            for (const ConfSetting &s : *list) {
                const QString option = list == &c.broker.passwordFiles
                                               ? QStringLiteral("password_file")
                                               : QStringLiteral("acl_file");
                ev.append(Evidence::file(s.file, s.line, option + u' ' + s.value));
            }
        }
    }
    if (ev.isEmpty())
        return pass(id, Rules::tr("password_file and acl_file are each set once"));
    ev += c.brokerErrors();
    return problem(id, Severity::Fail,
                   Rules::tr("password_file or acl_file is set twice in the broker's config"),
                   Rules::tr("mosquitto refuses to start (\"Duplicate password_file value in "
                             "configuration\"). Keep one of each; a copy or backup of a .conf "
                             "file in conf.d is loaded too: move it out of that folder."),
                   ev, provision());
}

// --- listeners -------------------------------------------------------------------------------

QList<Evidence> listenerEvidence(const Context &c)
{
    QList<Evidence> ev;
    for (const BrokerListener &l : c.broker.listeners)
        ev.append(Evidence::file(
                l.file, l.line,
                QStringLiteral("listener %1 (protocol %2)").arg(l.port).arg(l.protocol)));
    if (c.broker.localOnly)
        ev.append(Evidence::note(Rules::tr("No listener is configured: mosquitto runs in local "
                                           "only mode (port 1883 on this Pi only).")));
    return ev;
}

Finding noWebsocketsListener(const Context &c)
{
    const char *id = "no-websockets-listener";
    const QString passTitle = Rules::tr("The broker has a websockets listener");
    if (!c.broker.complete())
        return notChecked(id, passTitle, Rules::tr("The broker's config could not be read."));
    if (!c.broker.listenersWithProtocol(QStringLiteral("websockets")).isEmpty())
        return pass(id, passTitle, listenerEvidence(c));
    QVariantMap fields;
    if (c.wx.readable && c.wx.pagePort().toInt() > 0)
        fields.insert(QStringLiteral("broker.websocketPort"), c.wx.pagePort().toInt());
    return problem(id, Severity::Fail, Rules::tr("The broker has no websockets listener"),
                   Rules::tr("Browsers speak MQTT only over websockets. Add \"listener 9001\" "
                             "and \"protocol websockets\" (beside the mqtt listener) and "
                             "restart mosquitto."),
                   listenerEvidence(c), provision(fields));
}

Finding noMqttListener(const Context &c)
{
    const char *id = "no-mqtt-listener";
    const QString passTitle = Rules::tr("The broker has a plain MQTT listener");
    if (!c.broker.complete())
        return notChecked(id, passTitle, Rules::tr("The broker's config could not be read."));
    if (c.broker.localOnly || !c.broker.listenersWithProtocol(QStringLiteral("mqtt")).isEmpty())
        return pass(id, passTitle, listenerEvidence(c));
    QList<Evidence> ev = listenerEvidence(c);
    ev += c.brokerErrors();
    return problem(id, Severity::Fail,
                   Rules::tr("The broker has no plain MQTT listener (websockets alone)"),
                   Rules::tr("mosquitto 2.0 refuses to start with websockets listeners only "
                             "(\"Unable to start any listening sockets\"), and weewx-mqtt "
                             "publishes over plain MQTT: add \"listener 1883\" with "
                             "\"protocol mqtt\"."),
                   ev, provision());
}

Finding listenerPortDuplicated(const Context &c)
{
    const char *id = "listener-port-duplicated";
    QList<Evidence> ev;
    for (qsizetype i = 0; i < c.broker.listeners.size(); ++i) {
        for (qsizetype j = 0; j < c.broker.listeners.size(); ++j) {
            if (i != j && c.broker.listeners.at(i).port == c.broker.listeners.at(j).port) {
                const BrokerListener &l = c.broker.listeners.at(i);
                ev.append(Evidence::file(
                        l.file, l.line,
                        QStringLiteral("listener %1 (protocol %2)").arg(l.port).arg(l.protocol)));
                break;
            }
        }
    }
    if (ev.isEmpty())
        return pass(id, Rules::tr("Every listener has its own port"));
    ev += c.brokerErrors();
    return problem(id, Severity::Fail, Rules::tr("Two listeners are configured on one port"),
                   Rules::tr("The second listener cannot bind (\"Address already in use\") and "
                             "mosquitto stops. Give the mqtt and the websockets listener "
                             "different ports (1883 and 9001), and remove copies of the "
                             "listener file from conf.d."),
                   ev, provision());
}

// --- the broker process ----------------------------------------------------------------------

Finding brokerNotRunning(const Context &c)
{
    const char *id = "broker-not-running";
    const QString state = c.f.services.value(QStringLiteral("mosquitto"));
    const Evidence service =
            Evidence::command(QStringLiteral("systemctl is-active mosquitto"), state);
    if (c.brokerActive)
        return pass(id, Rules::tr("The broker is running"), {service});
    QList<Evidence> ev{service};
    ev += c.brokerErrors();
    return problem(id, Severity::Fail, Rules::tr("The broker (mosquitto) is not running"),
                   Rules::tr("Fix the error lines shown, then: sudo systemctl restart "
                             "mosquitto. Config errors are only in journalctl -u mosquitto; "
                             "errors after start are in /var/log/mosquitto/mosquitto.log."),
                   ev);
}

Finding listenerPortInUse(const Context &c)
{
    const char *id = "listener-port-in-use";
    static const QRegularExpression inUse(
            QStringLiteral("Address already in use|Unable to create websockets listener on port "
                           "(\\d+)|Unable to start any listening sockets"));
    if (c.brokerActive)
        return pass(id, Rules::tr("No listener port is taken by another program"));
    const QStringList since = sinceLastStart(c.mosquittoLog, QStringLiteral("mosquitto version"));
    QStringList hits = matching(since, inUse);
    hits += matching(c.mosquittoJournal, inUse);
    if (hits.isEmpty())
        return pass(id, Rules::tr("No listener port is taken by another program"));
    bool taken = false;
    QList<Evidence> ev;
    for (const QString &line : std::as_const(hits))
        ev.append(Evidence::log(c.brokerLogSource(), line));
    // The broker is down, yet someone listens on one of its ports: another program has it.
    for (const BrokerListener &l : c.broker.listeners) {
        if (c.f.isListening(l.port)) {
            taken = true;
            ev.append(Evidence::command(QStringLiteral("ss -ltn"),
                                        Rules::tr("port %1 is in use while mosquitto is not "
                                                  "running")
                                                .arg(l.port)));
        }
    }
    if (!taken)
        return pass(id, Rules::tr("No listener port is taken by another program"));
    return problem(id, Severity::Fail, Rules::tr("A listener port is taken by another program"),
                   Rules::tr("Find it with: sudo ss -ltnp 'sport = :PORT'. Stop that program "
                             "(often a second broker), or give the listener another port."),
                   ev);
}

Finding brokerConfigStale(const Context &c)
{
    const char *id = "broker-config-stale";
    const QString passTitle = Rules::tr("The broker runs with its current files");
    if (!c.brokerActive)
        return pass(id, passTitle, {Evidence::note(Rules::tr("The broker is not running."))});
    if (c.brokerStartedAt < 0)
        return notChecked(id, passTitle,
                          Rules::tr("The broker's log shows no start line to compare with."));
    QList<Evidence> ev;
    for (const FileFacts &file : c.f.files) {
        static const QStringList roles{QStringLiteral("mosquitto-conf"),
                                       QStringLiteral("mosquitto-include"), QStringLiteral("acl"),
                                       QStringLiteral("password")};
        if (roles.contains(file.role) && file.mtime > c.brokerStartedAt)
            ev.append(Evidence::command(
                    QStringLiteral("stat ") + file.path,
                    Rules::tr("changed %1, after the broker started")
                            .arg(QDateTime::fromSecsSinceEpoch(file.mtime, Qt::UTC)
                                         .toString(Qt::ISODate))));
    }
    if (ev.isEmpty())
        return pass(id, passTitle, {Evidence::log(c.brokerLogSource(), c.brokerStartLine)});
    ev.prepend(Evidence::log(c.brokerLogSource(), c.brokerStartLine));
    return problem(id, Severity::Warn,
                   Rules::tr("The broker runs with a config older than its files"),
                   Rules::tr("mosquitto reads its files only at start: sudo systemctl restart "
                             "mosquitto (and check that it comes back)."),
                   ev);
}

// --- weewx.conf and weewx-mqtt ----------------------------------------------------------------

Finding weewxConfInvalid(const Context &c)
{
    const char *id = "weewx-conf-invalid";
    const QString passTitle = Rules::tr("weewx.conf parses");
    if (c.wx.readable)
        return pass(id, passTitle, {Evidence::file(c.wx.path, 0, Rules::tr("read and parsed"))});
    if (c.wx.problemLine == 0)
        return notChecked(id, passTitle, c.wx.problem);
    const auto file = c.f.file(c.wx.path);
    const QString text =
            file ? Rules::redact(lines(file->content).value(c.wx.problemLine - 1)) : QString();
    QList<Evidence> ev{Evidence::file(c.wx.path, c.wx.problemLine, text),
                       Evidence::note(c.wx.problem)};
    static const QRegularExpression critical(QStringLiteral("CRITICAL|Error parsing"));
    for (const QString &line : matching(c.weewxJournal, critical, 4))
        ev.append(Evidence::log(QStringLiteral("journalctl -u weewx"), line));
    return problem(id, Severity::Fail, Rules::tr("weewx.conf does not parse (WeeWX cannot start)"),
                   Rules::tr("ConfigObj stops at this line; weewxd dies at start although "
                             "systemctl restart says nothing. Fix the line (equal brackets, one "
                             "key per line), or restore the backup."),
                   ev);
}

// Rules below need a parsed weewx.conf.
std::optional<Finding> needWeewx(const Context &c, const char *id, const QString &title)
{
    if (c.wx.readable)
        return std::nullopt;
    return notChecked(id, title,
                      c.wx.problem.isEmpty() ? Rules::tr("weewx.conf was not read.")
                                             : c.wx.problem);
}

Finding weewxMqttNotInstalled(const Context &c)
{
    const char *id = "weewx-mqtt-not-installed";
    const QString passTitle = Rules::tr("weewx-mqtt is installed");
    const bool listed = c.f.hasWeewxMqtt();
    // Only a real listing counts: weectl prints an error instead when weewx.conf is broken.
    const bool haveList = c.f.weewx.extensionListOutput.contains("Extension Name")
                          || c.f.weewx.extensionListOutput.contains("No extensions installed");
    QList<Evidence> ev;
    if (haveList)
        ev.append(Evidence::command(QStringLiteral("weectl extension list"),
                                    QString::fromUtf8(c.f.weewx.extensionListOutput).trimmed()));
    if (listed || (!haveList && c.wx.hasMqttSection))
        return pass(id, passTitle, ev);
    if (!haveList && !c.wx.readable)
        return notChecked(id, passTitle, Rules::tr("Neither weectl nor weewx.conf could be read."));
    return problem(id, Severity::Fail, Rules::tr("weewx-mqtt is not installed"),
                   Rules::tr("Install it: sudo weectl extension install "
                             "https://github.com/matthewwall/weewx-mqtt/archive/master.zip, "
                             "then configure [StdRESTful] [[MQTT]]."),
                   ev);
}

Finding weewxMqttNotInServices(const Context &c)
{
    const char *id = "weewx-mqtt-not-in-services";
    const QString passTitle = Rules::tr("weewx-mqtt is in restful_services");
    if (auto skip = needWeewx(c, id, passTitle))
        return *skip;
    const ConfEntry &e = c.wx.restfulServices;
    const QStringList services =
            e.value.isList ? e.value.list : e.value.string.split(u',', Qt::SkipEmptyParts);
    for (const QString &s : services) {
        if (s.trimmed() == u"user.mqtt.MQTT")
            return pass(id, passTitle, {c.wxLine(e, QStringLiteral("restful_services"))});
    }
    return problem(id, Severity::Fail,
                   Rules::tr("weewx-mqtt is not in the services list (restful_services)"),
                   Rules::tr("Add user.mqtt.MQTT to [Engine] [[Services]] restful_services and "
                             "restart weewx; without it nothing is published."),
                   {e.present ? c.wxLine(e, QStringLiteral("restful_services"))
                              : c.wxMissing(QStringLiteral("[Engine] [[Services]]"),
                                            QStringLiteral("restful_services"))},
                   provision());
}

Finding weewxMqttDisabled(const Context &c)
{
    const char *id = "weewx-mqtt-disabled";
    const QString passTitle = Rules::tr("weewx-mqtt is enabled");
    if (auto skip = needWeewx(c, id, passTitle))
        return *skip;
    const QString v = c.wx.enable.text().toLower();
    if (!c.wx.enable.present || v == u"true" || v == u"1" || v == u"yes" || v == u"on")
        return pass(id, passTitle);
    return problem(id, Severity::Fail, Rules::tr("weewx-mqtt is disabled (enable = false)"),
                   Rules::tr("Set enable = true in [StdRESTful] [[MQTT]] (WeeWX logs \"MQTT: "
                             "Posting not enabled\")."),
                   {c.wxLine(c.wx.enable, QStringLiteral("enable"))}, provision());
}

Finding serverUrlPlaceholder(const Context &c)
{
    const char *id = "server-url-placeholder";
    const QString passTitle = Rules::tr("server_url is set");
    if (auto skip = needWeewx(c, id, passTitle))
        return *skip;
    if (!c.wx.hasMqttSection)
        return pass(id, passTitle, {Evidence::note(Rules::tr("There is no [[MQTT]] section."))});
    const QString v = c.wx.serverUrl.text();
    if (c.wx.serverUrl.present && v.contains(u"://"))
        return pass(id, passTitle, {c.wxLine(c.wx.serverUrl, QStringLiteral("server_url"))});
    return problem(id, Severity::Fail,
                   Rules::tr("server_url is missing or still the installer's placeholder"),
                   Rules::tr("Set server_url = mqtt://USER:PASSWORD@localhost:1883/ in "
                             "[StdRESTful] [[MQTT]]."),
                   {c.wx.serverUrl.present ? c.wxLine(c.wx.serverUrl, QStringLiteral("server_url"))
                                           : c.wxMissing(QStringLiteral("[[MQTT]]"),
                                                         QStringLiteral("server_url"))},
                   provision());
}

bool urlUsable(const Context &c)
{
    return c.wx.readable && c.wx.serverUrl.present && c.url.hasScheme && !c.url.brokenByCharacter
           && !c.url.portInvalid;
}

Finding serverUrlNoPort(const Context &c)
{
    const char *id = "server-url-no-port";
    const QString passTitle = Rules::tr("server_url names a port");
    if (!c.wx.readable || !c.wx.serverUrl.present || !c.url.hasScheme)
        return notChecked(id, passTitle, Rules::tr("There is no usable server_url."));
    if (c.url.port || c.url.portInvalid || c.url.brokenByCharacter)
        return pass(id, passTitle, {c.wxLine(c.wx.serverUrl, QStringLiteral("server_url"))});
    QList<Evidence> ev{c.wxLine(c.wx.serverUrl, QStringLiteral("server_url"))};
    static const QRegularExpression typeError(QStringLiteral("not supported between|NoneType"));
    for (const QString &line : matching(c.weewxJournal, typeError, 3))
        ev.append(Evidence::log(QStringLiteral("journalctl -u weewx"), line));
    return problem(id, Severity::Fail, Rules::tr("server_url has no port"),
                   Rules::tr("weewx-mqtt passes the URL's port to paho unchecked and its thread "
                             "dies: write the port, e.g. mqtt://USER:PASSWORD@localhost:1883/."),
                   ev, provision());
}

Finding serverUrlUnparseable(const Context &c)
{
    const char *id = "server-url-unparseable";
    const QString passTitle = Rules::tr("weewx-mqtt can parse server_url");
    if (!c.wx.readable || !c.wx.serverUrl.present || !c.url.hasScheme)
        return notChecked(id, passTitle, Rules::tr("There is no usable server_url."));
    if (!c.url.portInvalid && !c.url.brokenByCharacter && !c.url.host.isEmpty())
        return pass(id, passTitle, {c.wxLine(c.wx.serverUrl, QStringLiteral("server_url"))});
    return problem(id, Severity::Fail,
                   Rules::tr("server_url holds characters weewx-mqtt cannot parse"),
                   Rules::tr("weewx-mqtt reads the URL with urlparse, which does not decode "
                             "%-escapes: a password with / ? # : or @ breaks it. Use a "
                             "password of letters, digits and - _ . ~ only."),
                   {c.wxLine(c.wx.serverUrl, QStringLiteral("server_url"))}, provision());
}

Finding bindingLacksLoop(const Context &c)
{
    const char *id = "binding-lacks-loop";
    const QString passTitle = Rules::tr("weewx-mqtt publishes loop packets (binding)");
    if (auto skip = needWeewx(c, id, passTitle))
        return *skip;
    const ConfEntry &e = c.wx.binding;
    const QStringList values = e.value.isList ? e.value.list : QStringList{e.value.string};
    for (const QString &v : values) {
        if (v.trimmed() == u"loop")
            return pass(id, passTitle, {c.wxLine(e, QStringLiteral("binding"))});
    }
    return problem(id, Severity::Fail, Rules::tr("binding lacks loop"),
                   Rules::tr("With the default binding (archive) a message goes out only every "
                             "archive interval and the page never shows \"Data received\": set "
                             "binding = archive, loop."),
                   {e.present ? c.wxLine(e, QStringLiteral("binding"))
                              : c.wxMissing(QStringLiteral("[[MQTT]]"), QStringLiteral("binding"))},
                   provision());
}

Finding aggregationIsList(const Context &c)
{
    const char *id = "aggregation-is-list";
    const QString passTitle = Rules::tr("aggregation is one value");
    if (auto skip = needWeewx(c, id, passTitle))
        return *skip;
    const ConfEntry &e = c.wx.aggregation;
    if (!e.value.isList)
        return pass(id, passTitle);
    QList<Evidence> ev{c.wxLine(e, QStringLiteral("aggregation"))};
    static const QRegularExpression attr(QStringLiteral("has no attribute 'find'"));
    for (const QString &line : matching(c.weewxJournal, attr, 3))
        ev.append(Evidence::log(QStringLiteral("journalctl -u weewx"), line));
    return problem(id, Severity::Fail, Rules::tr("aggregation is written as a list"),
                   Rules::tr("ConfigObj reads \"individual, aggregate\" as a list and "
                             "weewx-mqtt's thread dies (AttributeError: 'list' object has no "
                             "attribute 'find'). Write one value: aggregation = aggregate."),
                   ev, provision());
}

Finding aggregationLacksAggregate(const Context &c)
{
    const char *id = "aggregation-lacks-aggregate";
    const QString passTitle = Rules::tr("weewx-mqtt sends the JSON message the page reads");
    if (auto skip = needWeewx(c, id, passTitle))
        return *skip;
    const ConfEntry &e = c.wx.aggregation;
    if (!e.present || e.text().contains(u"aggregate"))
        return pass(id, passTitle);
    return problem(id, Severity::Fail, Rules::tr("aggregation lacks aggregate"),
                   Rules::tr("Only aggregate sends the JSON message on <topic>/loop that the "
                             "page reads: set aggregation = aggregate."),
                   {c.wxLine(e, QStringLiteral("aggregation"))}, provision());
}

Finding pahoIncompatible(const Context &c)
{
    const char *id = "paho-mqtt-incompatible";
    const QString v = c.f.pahoVersion;
    // The probe reads the version from paho's metadata folder where python3 would find it
    // there, and asks python3 otherwise: the evidence names which.
    const Evidence ev =
            c.f.pahoSource.startsWith(u'/')
                    ? Evidence::file(c.f.pahoSource, 0, v)
                    : Evidence::command(
                            QStringLiteral(
                                    "python3 -c 'import paho.mqtt; print(paho.mqtt.__version__)'"),
                            v.isEmpty() ? Rules::tr("(no paho-mqtt)") : v);
    const QString fix = Rules::tr("weewx-mqtt 0.24 needs paho-mqtt 1.x (2.0 removed a default "
                                  "its Client() call relies on): sudo apt install "
                                  "python3-paho-mqtt (1.6.1 on Debian 12), or pip install "
                                  "paho-mqtt==1.6.1 where WeeWX runs from pip.");
    if (v.isEmpty())
        return problem(id, Severity::Fail, Rules::tr("paho-mqtt is not installed on the Pi"), fix,
                       {ev});
    if (v.startsWith(u"2.0"))
        return problem(id, Severity::Fail,
                       Rules::tr("The Pi's paho-mqtt version (%1) breaks weewx-mqtt").arg(v), fix,
                       {ev});
    if (!v.startsWith(u"1.") && !v.startsWith(u"0."))
        return problem(id, Severity::Warn,
                       Rules::tr("paho-mqtt %1 works with weewx-mqtt only through its "
                                 "deprecated callback API")
                               .arg(v),
                       fix, {ev});
    return pass(id, Rules::tr("paho-mqtt %1 suits weewx-mqtt").arg(v), {ev});
}

Finding weewxNotRunning(const Context &c)
{
    const char *id = "weewx-not-running";
    const QString state = c.f.services.value(QStringLiteral("weewx"));
    const Evidence service = Evidence::command(QStringLiteral("systemctl is-active weewx"), state);
    if (c.weewxActive)
        return pass(id, Rules::tr("WeeWX is running"), {service});
    QList<Evidence> ev{service};
    static const QRegularExpression bad(QStringLiteral("CRITICAL|ERROR|Failed|Exiting"));
    for (const QString &line : matching(c.weewxJournal, bad, 6))
        ev.append(Evidence::log(QStringLiteral("journalctl -u weewx"), line));
    return problem(id, Severity::Fail, Rules::tr("WeeWX is not running"),
                   Rules::tr("Start it (sudo systemctl restart weewx) and check a few seconds "
                             "later that it stays active: systemctl returns 0 even when weewxd "
                             "dies on a broken weewx.conf."),
                   ev);
}

Finding publishCredentialsRejected(const Context &c)
{
    const char *id = "publish-credentials-rejected";
    const QString passTitle = Rules::tr("The broker accepts weewx-mqtt's user and password");
    if (!urlUsable(c))
        return notChecked(id, passTitle, Rules::tr("There is no usable server_url."));
    const Evidence urlLine = c.wxLine(c.wx.serverUrl, QStringLiteral("server_url"));
    if (c.url.user.isEmpty()) {
        if (c.broker.anonymousAllowed())
            return pass(id, passTitle, {urlLine});
        return problem(id, Severity::Fail,
                       Rules::tr("weewx-mqtt connects without a user, and the broker refuses "
                                 "anonymous clients"),
                       Rules::tr("Put the publishing user into server_url: "
                                 "mqtt://USER:PASSWORD@localhost:1883/."),
                       {urlLine}, provision());
    }
    if (c.broker.passwordFiles.isEmpty())
        return pass(id, passTitle,
                    {urlLine, Evidence::note(Rules::tr("The broker checks no passwords."))});
    int line = 0;
    switch (c.verify(c.url.user, c.url.password.value_or(QString()), &line)) {
    case Context::Cred::Match:
        return pass(id, passTitle,
                    {urlLine, Evidence::file(c.pwFile->path, line, c.url.user + u':' + kMask)});
    case Context::Cred::Unchecked:
        return notChecked(id, passTitle, Rules::tr("The password file could not be read."));
    case Context::Cred::UnknownUser:
    case Context::Cred::Mismatch:
        break;
    }
    QList<Evidence> ev{urlLine};
    if (line > 0)
        ev.append(Evidence::file(c.pwFile->path, line, c.url.user + u':' + kMask));
    else
        ev.append(Evidence::note(
                Rules::tr("%1 has no valid line for user %2.").arg(c.pwFile->path, c.url.user)));
    static const QRegularExpression refused(QStringLiteral("not authori[sz]ed"));
    for (const QString &l : matching(c.mosquittoLog, refused, 3))
        ev.append(Evidence::log(c.brokerLogSource(), l));
    return problem(id, Severity::Fail,
                   Rules::tr("The broker refuses weewx-mqtt's password (server_url)"),
                   Rules::tr("weewx-mqtt still logs \"Published record\", but nothing reaches "
                             "the broker. Make the password in server_url and the password "
                             "file agree; provisioning sets both."),
                   ev, provision());
}

Finding publishAclDeniesWrite(const Context &c)
{
    const char *id = "publish-acl-denies-write";
    const QString passTitle = Rules::tr("The ACL lets weewx-mqtt publish");
    if (!urlUsable(c) || c.broker.aclFiles.isEmpty())
        return pass(id, passTitle,
                    {Evidence::note(Rules::tr("No acl_file restricts publishing."))});
    if (!c.acl)
        return notChecked(id, passTitle, Rules::tr("The acl file could not be read."));
    const QString topic = c.wx.mqttTopic() + QStringLiteral("/loop");
    if (Rules::aclAllows(*c.acl, c.url.user, topic, true))
        return pass(id, passTitle);
    return problem(
            id, Severity::Fail,
            Rules::tr("The ACL does not let %1 write %2")
                    .arg(c.url.user.isEmpty() ? Rules::tr("anonymous clients") : c.url.user, topic),
            Rules::tr("mosquitto drops the publishes silently. Give the publishing user "
                      "\"topic readwrite %1/#\" in its acl section.")
                    .arg(c.wx.mqttTopic()),
            {Evidence::file(c.aclFile->path, 0,
                            Rules::tr("no rule for %1 allows writing %2").arg(c.url.user, topic))},
            provision());
}

QStringList weewxFailureLines(const Context &c)
{
    static const QRegularExpression failure(QStringLiteral(
            "Failed to publish record|publish failed for|Failed to connect to MQTT server|"
            "Thread terminating|Unexpected exception"));
    static const QRegularExpression start(QStringLiteral("Initializing weewxd|Starting up weewx"));
    qsizetype from = 0;
    for (qsizetype i = 0; i < c.weewxJournal.size(); ++i) {
        if (start.match(c.weewxJournal.at(i)).hasMatch())
            from = i;
    }
    return matching(c.weewxJournal.mid(from), failure, 6);
}

// --- the page ---------------------------------------------------------------------------------

Finding wsEnabledNot1(const Context &c)
{
    const char *id = "websockets-enabled-not-1";
    const QString passTitle = Rules::tr("mqtt_websockets_enabled is 1");
    if (auto skip = needWeewx(c, id, passTitle))
        return *skip;
    const ConfEntry &e = c.wx.wsEnabled;
    if (e.present && !e.value.isList && e.value.string == u"1")
        return pass(id, passTitle, {c.wxLine(e, QStringLiteral("mqtt_websockets_enabled"))});
    return problem(id, Severity::Fail, Rules::tr("mqtt_websockets_enabled is not exactly 1"),
                   Rules::tr("The skin compares the text with '1' (\"true\" or \"yes\" switch "
                             "live updates off): mqtt_websockets_enabled = 1."),
                   {c.wsLine(e, QStringLiteral("mqtt_websockets_enabled"))}, provision());
}

Finding pageTopicNotLoop(const Context &c)
{
    const char *id = "page-topic-not-loop";
    const QString passTitle = Rules::tr("The page subscribes to the weewx-mqtt topic plus /loop");
    if (auto skip = needWeewx(c, id, passTitle))
        return *skip;
    const QString expected = c.wx.mqttTopic() + QStringLiteral("/loop");
    const ConfEntry &e = c.wx.wsTopic;
    if (c.wx.pageTopic() == expected)
        return pass(id, passTitle, {c.wxLine(e, QStringLiteral("mqtt_websockets_topic"))});
    QList<Evidence> ev{c.wsLine(e, QStringLiteral("mqtt_websockets_topic"))};
    ev.append(c.wx.topic.present ? c.wxLine(c.wx.topic, QStringLiteral("topic"))
                                 : Evidence::note(Rules::tr("weewx-mqtt's topic: weather "
                                                            "(default)")));
    QVariantMap fields;
    fields.insert(QStringLiteral("page.topic"), QString());
    fields.insert(QStringLiteral("topics.root"), c.wx.mqttTopic());
    return problem(id, Severity::Fail,
                   Rules::tr("The page's topic is not the weewx-mqtt topic plus /loop"),
                   Rules::tr("weewx-mqtt sends its JSON to <topic>/loop: set "
                             "mqtt_websockets_topic = %1.")
                           .arg(expected),
                   ev, provision(fields));
}

Finding pagePortIsMqttPort(const Context &c)
{
    const char *id = "page-port-is-mqtt-port";
    const QString passTitle = Rules::tr("The page's port is not the plain MQTT port");
    if (auto skip = needWeewx(c, id, passTitle))
        return *skip;
    const int port = c.wx.pagePort().toInt();
    bool plain = false;
    QList<Evidence> ev{c.wsLine(c.wx.wsPort, QStringLiteral("mqtt_websockets_port"))};
    for (const BrokerListener &l : c.broker.listenersWithProtocol(QStringLiteral("mqtt"))) {
        if (l.port == port) {
            plain = true;
            ev.append(Evidence::file(l.file, l.line, QStringLiteral("listener %1").arg(l.port)));
        }
    }
    if (c.broker.localOnly && port == 1883)
        plain = true;
    if (!plain)
        return pass(id, passTitle, ev);
    QVariantMap fields;
    const auto ws = c.broker.listenersWithProtocol(QStringLiteral("websockets"));
    fields.insert(QStringLiteral("page.port"), 0);
    if (!ws.isEmpty())
        fields.insert(QStringLiteral("broker.websocketPort"), ws.first().port);
    return problem(
            id, Severity::Fail,
            Rules::tr("The page's port is the plain MQTT port, not the websockets one"),
            Rules::tr("Browsers need the websockets listener: set mqtt_websockets_port "
                      "to its port (%1).")
                    .arg(ws.isEmpty() ? QStringLiteral("9001") : QString::number(ws.first().port)),
            ev, provision(fields));
}

Finding pagePortNoListener(const Context &c)
{
    const char *id = "page-port-no-listener";
    const QString passTitle = Rules::tr("A websockets listener is on the page's port");
    if (auto skip = needWeewx(c, id, passTitle))
        return *skip;
    const int port = c.wx.pagePort().toInt();
    const auto ws = c.broker.listenersWithProtocol(QStringLiteral("websockets"));
    QList<Evidence> ev{c.wsLine(c.wx.wsPort, QStringLiteral("mqtt_websockets_port"))};
    for (const BrokerListener &l : ws) {
        ev.append(Evidence::file(l.file, l.line,
                                 QStringLiteral("listener %1 (websockets)").arg(l.port)));
        if (l.port == port)
            return pass(id, passTitle, ev);
    }
    // No websockets listener at all, or the plain port: those rules say it.
    if (ws.isEmpty() || c.broker.listeners.isEmpty())
        return pass(id, passTitle, ev);
    for (const BrokerListener &l : c.broker.listeners) {
        if (l.port == port)
            return pass(id, passTitle, ev);
    }
    QVariantMap fields{{QStringLiteral("page.port"), 0},
                       {QStringLiteral("broker.websocketPort"), ws.first().port}};
    return problem(id, Severity::Fail, Rules::tr("No listener is on the page's port"),
                   Rules::tr("Set mqtt_websockets_port to the websockets listener's port (%1).")
                           .arg(ws.first().port),
                   ev, provision(fields));
}

Finding pageHostEmpty(const Context &c)
{
    const char *id = "page-host-empty";
    const QString passTitle = Rules::tr("The page's host is set");
    if (auto skip = needWeewx(c, id, passTitle))
        return *skip;
    if (!c.wx.pageHost().trimmed().isEmpty())
        return pass(id, passTitle, {c.wxLine(c.wx.wsHost, QStringLiteral("mqtt_websockets_host"))});
    return problem(id, Severity::Fail, Rules::tr("The page's host is empty"),
                   Rules::tr("Set mqtt_websockets_host to the name or address at which "
                             "visitors' browsers reach the Pi (no ws://)."),
                   {c.wsLine(c.wx.wsHost, QStringLiteral("mqtt_websockets_host"))},
                   provision({{QStringLiteral("page.host"), c.in.sshHost}}));
}

Finding pageHostLocalhost(const Context &c)
{
    const char *id = "page-host-localhost";
    const QString passTitle = Rules::tr("The page's host is not localhost");
    if (auto skip = needWeewx(c, id, passTitle))
        return *skip;
    const QString host = c.wx.pageHost();
    const Evidence line = c.wxLine(c.wx.wsHost, QStringLiteral("mqtt_websockets_host"));
    if (host.isEmpty() || !isLoopback(host))
        return pass(id, passTitle, {line});
    if (isLoopback(c.in.sshHost))
        // This computer is the Pi: localhost reaches it from here (a kiosk on the Pi).
        return pass(id, passTitle,
                    {line, Evidence::note(Rules::tr("The Pi is this computer (reached at %1), so "
                                                    "localhost reaches it from here.")
                                                  .arg(c.in.sshHost))});
    return problem(id, Severity::Fail, Rules::tr("The page's host is localhost"),
                   Rules::tr("In a visitor's browser localhost is the visitor's own computer: "
                             "set mqtt_websockets_host to the Pi's name or address, e.g. %1.")
                           .arg(c.in.sshHost),
                   {line}, provision({{QStringLiteral("page.host"), c.in.sshHost}}));
}

Finding pageHostUnresolved(const Context &c)
{
    const char *id = "page-host-unresolved";
    const QString passTitle = Rules::tr("The page's host resolves from this computer");
    if (!c.in.live.ran)
        return notChecked(id, passTitle, c.in.live.notRunReason);
    if (!c.liveFailedAt({LiveCheck::Failure::NameNotResolved}))
        return pass(id, passTitle);
    return problem(id, Severity::Fail, Rules::tr("The page's host does not resolve"),
                   Rules::tr("Use a name that every visitor's computer can resolve, or the "
                             "Pi's address."),
                   {c.wxLine(c.wx.wsHost, QStringLiteral("mqtt_websockets_host")),
                    Evidence{Evidence::Kind::LiveCheck, c.in.live.url, 0, c.in.live.message}},
                   provision({{QStringLiteral("page.host"), c.in.sshHost}}));
}

Finding pageHostUnreachable(const Context &c)
{
    const char *id = "page-host-unreachable";
    const QString passTitle = Rules::tr("The broker is reachable at the page's host and port");
    if (!c.in.live.ran)
        return notChecked(id, passTitle, c.in.live.notRunReason);
    using F = LiveCheck::Failure;
    if (!c.liveFailedAt({F::TcpRefused, F::TcpTimeout, F::NetworkUnreachable}))
        return pass(id, passTitle);
    const int port = c.wx.pagePort().toInt();
    bool wsOnPort = false;
    for (const BrokerListener &l : c.broker.listenersWithProtocol(QStringLiteral("websockets")))
        wsOnPort = wsOnPort || l.port == port;
    if (!c.brokerActive || !wsOnPort)
        return notChecked(id, passTitle,
                          Rules::tr("The broker is not running or has no websockets listener on "
                                    "that port, which explains it."));
    return problem(id, Severity::Fail,
                   Rules::tr("The page's host does not reach the broker from this computer"),
                   Rules::tr("The broker listens on the Pi, but %1 does not lead there: check "
                             "the address, a firewall (sudo ufw allow %2/tcp) or the router's "
                             "port forwarding.")
                           .arg(c.wx.pageHost())
                           .arg(port),
                   {c.wxLine(c.wx.wsHost, QStringLiteral("mqtt_websockets_host")),
                    Evidence{Evidence::Kind::LiveCheck, c.in.live.url, 0, c.in.live.message}});
}

Finding serverUrlHostMismatch(const Context &c)
{
    const char *id = "server-url-host-mismatch";
    const QString passTitle = Rules::tr("weewx-mqtt and the page use the same broker");
    if (!urlUsable(c) || c.url.host.isEmpty())
        return notChecked(id, passTitle, Rules::tr("There is no usable server_url."));
    const QString pub = c.url.host.toLower();
    const QString page = c.wx.pageHost().toLower();
    QList<Evidence> ev{c.wxLine(c.wx.serverUrl, QStringLiteral("server_url")),
                       c.wxLine(c.wx.wsHost, QStringLiteral("mqtt_websockets_host"))};
    // weewxd runs on the Pi: loopback or the Pi's own names reach the Pi's broker.
    const QString hostname = c.f.hostname.toLower();
    const bool same = pub == page || isLoopback(pub) || pub == hostname
                      || pub == hostname + QStringLiteral(".local")
                      || pub == c.in.sshHost.toLower();
    if (same || page.isEmpty())
        return pass(id, passTitle, ev);
    return problem(
            id, Severity::Warn, Rules::tr("The host of server_url and the page's host disagree"),
            Rules::tr("weewx-mqtt publishes to %1, the page subscribes at %2. If these "
                      "are different brokers the page waits forever: point server_url "
                      "at the Pi's own broker (localhost).")
                    .arg(c.url.host, c.wx.pageHost()),
            ev, provision({{QStringLiteral("weewx.serverUrlHost"), QStringLiteral("localhost")}}));
}

Finding anonymousPageRefused(const Context &c)
{
    const char *id = "anonymous-page-refused";
    const QString passTitle = Rules::tr("The broker accepts the page's login");
    if (auto skip = needWeewx(c, id, passTitle))
        return *skip;
    if (!c.pageAnonymous() || c.broker.anonymousAllowed())
        return pass(id, passTitle);
    QList<Evidence> ev{c.wsLine(c.wx.wsUser, QStringLiteral("mqtt_websockets_username"))};
    if (!c.broker.allowAnonymous.isEmpty()) {
        const ConfSetting &s = c.broker.allowAnonymous.last();
        ev.append(Evidence::file(s.file, s.line, QStringLiteral("allow_anonymous ") + s.value));
    } else {
        ev.append(Evidence::note(Rules::tr("No allow_anonymous line: mosquitto 2.0 then refuses "
                                           "anonymous clients.")));
    }
    return problem(id, Severity::Fail,
                   Rules::tr("Anonymous access is off and the page has no credentials"),
                   Rules::tr("Either give the page a read-only user "
                             "(mqtt_websockets_username and _password; the password is public) "
                             "or allow anonymous clients to read only the loop topic."),
                   ev, provision());
}

Finding webPasswordMismatch(const Context &c)
{
    const char *id = "web-password-mismatch";
    const QString passTitle = Rules::tr("The page's password verifies");
    if (auto skip = needWeewx(c, id, passTitle))
        return *skip;
    if (!c.wx.pageSendsCredentials())
        return pass(id, passTitle, {Evidence::note(Rules::tr("The page connects anonymously."))});
    if (c.broker.passwordFiles.isEmpty())
        return pass(id, passTitle, {Evidence::note(Rules::tr("The broker checks no passwords."))});
    const QString user = c.wx.wsUser.text();
    int line = 0;
    const auto verdict = c.verify(user, c.wx.wsPassword.text(), &line);
    if (verdict == Context::Cred::Unchecked)
        return notChecked(id, passTitle, Rules::tr("The password file could not be read."));
    if (verdict == Context::Cred::Match)
        return pass(id, passTitle, {Evidence::file(c.pwFile->path, line, user + u':' + kMask)});
    QList<Evidence> ev{c.wxLine(c.wx.wsUser, QStringLiteral("mqtt_websockets_username")),
                       c.wxLine(c.wx.wsPassword, QStringLiteral("mqtt_websockets_password"))};
    if (verdict == Context::Cred::UnknownUser)
        ev.append(Evidence::note(
                Rules::tr("%1 has no valid line for user %2.").arg(c.pwFile->path, user)));
    else
        ev.append(Evidence::file(c.pwFile->path, line, user + u':' + kMask));
    return problem(id, Severity::Fail,
                   verdict == Context::Cred::UnknownUser
                           ? Rules::tr("The page's user is not in the password file")
                           : Rules::tr("The page's password does not verify against its line"),
                   Rules::tr("The broker answers CONNACK 5 and the page shows \"Failed "
                             "connecting\". Set the same password in weewx.conf and the "
                             "password file; provisioning sets both."),
                   ev, provision());
}

Finding webAclDeniesTopic(const Context &c)
{
    const char *id = "web-acl-denies-page-topic";
    const QString passTitle = Rules::tr("The ACL lets the page's user read the page's topic");
    if (auto skip = needWeewx(c, id, passTitle))
        return *skip;
    if (c.pageAnonymous() || c.broker.aclFiles.isEmpty())
        return pass(id, passTitle);
    if (!c.acl)
        return notChecked(id, passTitle, Rules::tr("The acl file could not be read."));
    const QString user = c.wx.wsUser.text();
    const QString topic = c.wx.pageTopic();
    if (Rules::aclAllows(*c.acl, user, topic, false))
        return pass(id, passTitle);
    QList<Evidence> ev{c.wxLine(c.wx.wsTopic, QStringLiteral("mqtt_websockets_topic"))};
    for (const config::AclRule &r : c.acl->rulesFor(user.toUtf8()))
        ev.append(Evidence::file(
                c.aclFile->path, 0,
                QStringLiteral("user %1: topic %2 %3")
                        .arg(user, QString::fromLatin1(config::AclFile::accessWord(r.access)),
                             QString::fromUtf8(r.topic))));
    if (ev.size() == 1)
        ev.append(
                Evidence::file(c.aclFile->path, 0, Rules::tr("no section for user %1").arg(user)));
    return problem(id, Severity::Fail,
                   Rules::tr("The ACL does not let the page's user read the page's topic"),
                   Rules::tr("mosquitto grants the subscription and then silently delivers "
                             "nothing (\"Waiting for data\" forever). Add \"topic read %1\" to "
                             "user %2's acl section.")
                           .arg(topic, user),
                   ev, provision());
}

Finding anonymousAclDeniesTopic(const Context &c)
{
    const char *id = "anonymous-acl-denies-page-topic";
    const QString passTitle = Rules::tr("Anonymous page clients may read the page's topic");
    if (auto skip = needWeewx(c, id, passTitle))
        return *skip;
    if (!c.pageAnonymous() || !c.broker.anonymousAllowed() || c.broker.aclFiles.isEmpty())
        return pass(id, passTitle);
    if (!c.acl)
        return notChecked(id, passTitle, Rules::tr("The acl file could not be read."));
    const QString topic = c.wx.pageTopic();
    if (Rules::aclAllows(*c.acl, QString(), topic, false))
        return pass(id, passTitle);
    QList<Evidence> ev{c.wsLine(c.wx.wsUser, QStringLiteral("mqtt_websockets_username"))};
    const auto anon = c.acl->anonymousRules();
    if (anon.isEmpty())
        ev.append(Evidence::file(c.aclFile->path, 0,
                                 Rules::tr("no rules before the first \"user\" line: anonymous "
                                           "clients may read nothing")));
    for (const config::AclRule &r : anon)
        ev.append(Evidence::file(
                c.aclFile->path, 0,
                QStringLiteral("topic %1 %2")
                        .arg(QString::fromLatin1(config::AclFile::accessWord(r.access)),
                             QString::fromUtf8(r.topic))));
    return problem(id, Severity::Fail,
                   Rules::tr("The page is anonymous and the ACL gives anonymous clients nothing "
                             "on its topic"),
                   Rules::tr("The page connects, subscribes and waits for data forever; nothing "
                             "is logged. Add \"topic read %1\" before the first \"user\" line, "
                             "or give the page a read-only user.")
                           .arg(topic),
                   ev,
                   provision({{QStringLiteral("broker.anonymous"), QStringLiteral("read-loop")}}));
}

struct ScriptValues
{
    bool found = false;
    QString host, port, topic;
};

ScriptValues scriptValues(const QByteArray &script)
{
    // belchertown.js.tmpl: new Paho.Client("$host", $port, mqttclient) and
    // client.subscribe("$topic").
    static const QRegularExpression client(
            QStringLiteral("new\\s+Paho\\.(?:MQTT\\.)?Client\\(\\s*\"([^\"]*)\"\\s*,\\s*([0-9]*)"));
    static const QRegularExpression subscribe(QStringLiteral("\\.subscribe\\(\\s*\"([^\"]*)\""));
    const QString text = QString::fromUtf8(script);
    ScriptValues v;
    const auto m = client.match(text);
    if (!m.hasMatch())
        return v;
    v.found = true;
    v.host = m.captured(1);
    v.port = m.captured(2);
    v.topic = subscribe.match(text).captured(1);
    return v;
}

Finding pageStale(const Context &c)
{
    const char *id = "page-stale";
    const QString passTitle = Rules::tr("The page was generated with the current settings");
    if (auto skip = needWeewx(c, id, passTitle))
        return *skip;
    const PageScript &js = c.in.pageScript;
    if (js.read) {
        const ScriptValues v = scriptValues(js.content);
        if (!v.found)
            return notChecked(id, passTitle,
                              Rules::tr("%1 has no Paho.Client line (live updates were off when "
                                        "it was generated, or another skin).")
                                      .arg(js.path));
        QList<Evidence> ev;
        auto compare = [&](const QString &what, const QString &page, const QString &conf) {
            if (page != conf)
                ev.append(Evidence::file(js.path, 0,
                                         Rules::tr("%1 in the page: \"%2\"; in weewx.conf: \"%3\"")
                                                 .arg(what, page, conf)));
        };
        compare(QStringLiteral("host"), v.host, c.wx.pageHost());
        compare(QStringLiteral("port"), v.port, c.wx.pagePort());
        compare(QStringLiteral("topic"), v.topic, c.wx.pageTopic());
        if (ev.isEmpty())
            return pass(id, passTitle,
                        {Evidence::file(js.path, 0,
                                        QStringLiteral("%1:%2 %3").arg(v.host, v.port, v.topic))});
        return problem(id, Severity::Fail,
                       Rules::tr("The Belchertown page was not regenerated since the settings "
                                 "changed"),
                       Rules::tr("Its JavaScript still holds the old values. Run the report "
                                 "(sudo weectl report run Belchertown) or wait for the next "
                                 "archive interval, then reload the page."),
                       ev);
    }
    const auto conf = c.f.file(c.wx.path);
    if (c.f.weewx.belchertownPageMtime < 0 || !conf || conf->mtime < 0)
        return notChecked(id, passTitle, Rules::tr("The page's JavaScript was not read."));
    if (c.f.weewx.belchertownPageMtime >= conf->mtime)
        return pass(id, passTitle);
    return problem(id, Severity::Warn, Rules::tr("The Belchertown page is older than weewx.conf"),
                   Rules::tr("Run the report (sudo weectl report run Belchertown) or wait for the "
                             "next archive interval, then reload the page."),
                   {Evidence::command(QStringLiteral("stat ") + c.f.weewx.belchertownPage,
                                      Rules::tr("generated before weewx.conf last changed"))});
}

Finding httpsWithoutSsl(const Context &c)
{
    const char *id = "page-https-ws-plain";
    const QString passTitle = Rules::tr("The page's scheme matches mqtt_websockets_ssl");
    if (c.in.pageUrl.isEmpty())
        return notChecked(id, passTitle, Rules::tr("The page's URL was not given (--page-url)."));
    if (auto skip = needWeewx(c, id, passTitle))
        return *skip;
    const QUrl url(c.in.pageUrl);
    if (url.scheme() != u"https" || c.wx.pageSsl())
        return pass(id, passTitle, {Evidence::note(c.in.pageUrl)});
    return problem(id, Severity::Fail,
                   Rules::tr("The page is served over https while mqtt_websockets_ssl is 0"),
                   Rules::tr("Browsers block ws:// from an https page (mixed content). Add a TLS "
                             "websockets listener (certfile, keyfile) and set "
                             "mqtt_websockets_ssl = 1, or serve the page over http."),
                   {Evidence::note(c.in.pageUrl),
                    c.wsLine(c.wx.wsSsl, QStringLiteral("mqtt_websockets_ssl"))},
                   provision({{QStringLiteral("page.ssl"), true}}));
}

Finding liveCheck(const Context &c)
{
    const char *id = "live-check";
    const LiveOutcome &live = c.in.live;
    const QString title = Rules::tr("Live data reaches a client that connects like the page");
    if (!live.ran)
        return notChecked(id, title, live.notRunReason);
    QList<Evidence> ev;
    const QString who =
            live.user.isEmpty() ? Rules::tr("anonymously") : Rules::tr("as %1").arg(live.user);
    ev.append(Evidence{Evidence::Kind::LiveCheck, live.url, 0,
                       Rules::tr("subscribed to %1 %2").arg(live.topic, who)});
    if (live.receiving()) {
        QStringList values;
        for (const mqtt::Reading &r : live.readings)
            values.append(QStringLiteral("%1 = %2").arg(r.key, r.text));
        ev.append(Evidence{Evidence::Kind::LiveCheck, live.url, 0,
                           Rules::tr("Data received %1: %2")
                                   .arg(live.dataTime.toUTC().toString(Qt::ISODate),
                                        values.join(QStringLiteral(", ")))});
        return pass(id, title, ev);
    }
    ev.append(Evidence{
            Evidence::Kind::LiveCheck, live.url, 0,
            QStringLiteral("%1: %2").arg(mqtt::LiveCheck::failureId(live.failure), live.message)});
    return problem(id, Severity::Fail,
                   Rules::tr("The page's live connection fails: %1")
                           .arg(mqtt::LiveCheck::stateText(live.state)),
                   live.fix, ev);
}

// Runs after the others: a silent "no message" that no other rule explains.
Finding weewxPublishFailing(const Context &c, const QList<Finding> &others)
{
    const char *id = "weewx-publish-failing";
    const QString passTitle = Rules::tr("WeeWX's publishes reach the broker");
    if (!c.brokerActive)
        return notChecked(id, passTitle,
                          Rules::tr("The broker is not running: WeeWX cannot publish until it "
                                    "runs again."));
    QList<Evidence> ev;
    const QStringList failures = weewxFailureLines(c);
    for (const QString &line : failures)
        ev.append(Evidence::log(QStringLiteral("journalctl -u weewx"), line));
    const QString fix = Rules::tr("weewx-mqtt logs \"Published record\" even when the publish "
                                  "failed: only a message seen on the broker proves it works. "
                                  "Fix the failure shown (server_url's user, password, host "
                                  "and port) and restart weewx.");
    if (!failures.isEmpty()) {
        static const QRegularExpression published(QStringLiteral("Published record"));
        if (const QStringList ok = matching(c.weewxJournal, published, 1); !ok.isEmpty())
            ev.append(Evidence::log(
                    QStringLiteral("journalctl -u weewx"),
                    Rules::tr("%1 (printed even for failed publishes)").arg(ok.first())));
        return problem(id, Severity::Fail, Rules::tr("WeeWX's publishes do not reach the broker"),
                       fix, ev, provision());
    }
    if (c.in.live.receiving())
        return pass(
                id, passTitle,
                {Evidence{Evidence::Kind::LiveCheck, c.in.live.url, 0,
                          Rules::tr("%n loop message(s) arrived", nullptr, c.in.live.loopCount)}});
    if (!c.in.live.ran || !c.liveFailedAt({LiveCheck::Failure::NoMessage}) || !c.weewxActive)
        return pass(id, passTitle,
                    {Evidence::note(Rules::tr("No publish failure in WeeWX's log."))});
    for (const Finding &f : others) {
        if (f.failed() && f.id != u"live-check")
            return pass(id, passTitle,
                        {Evidence::note(Rules::tr("No publish failure in WeeWX's log; the "
                                                  "failures above explain the silence."))});
    }
    ev.append(Evidence{Evidence::Kind::LiveCheck, c.in.live.url, 0, c.in.live.message});
    return problem(id, Severity::Fail, Rules::tr("WeeWX's publishes do not reach the broker"), fix,
                   ev, provision());
}

const std::vector<std::pair<const char *, Rule>> &ruleTable()
{
    static const std::vector<std::pair<const char *, Rule>> table = {
            {"locale-invalid", localeInvalid},
            {"acl-file-missing", aclFileMissing},
            {"password-file-missing", passwordFileMissing},
            {"password-file-plaintext", passwordFilePlaintext},
            {"password-file-malformed", passwordFileMalformed},
            {"acl-file-unreadable", aclFileUnreadable},
            {"password-file-unreadable", passwordFileUnreadable},
            {"acl-file-invalid", aclFileInvalid},
            {"security-option-duplicated", securityOptionDuplicated},
            {"no-websockets-listener", noWebsocketsListener},
            {"no-mqtt-listener", noMqttListener},
            {"listener-port-duplicated", listenerPortDuplicated},
            {"broker-not-running", brokerNotRunning},
            {"listener-port-in-use", listenerPortInUse},
            {"broker-config-stale", brokerConfigStale},
            {"weewx-conf-invalid", weewxConfInvalid},
            {"weewx-mqtt-not-installed", weewxMqttNotInstalled},
            {"weewx-mqtt-not-in-services", weewxMqttNotInServices},
            {"weewx-mqtt-disabled", weewxMqttDisabled},
            {"server-url-placeholder", serverUrlPlaceholder},
            {"server-url-no-port", serverUrlNoPort},
            {"server-url-unparseable", serverUrlUnparseable},
            {"binding-lacks-loop", bindingLacksLoop},
            {"aggregation-is-list", aggregationIsList},
            {"aggregation-lacks-aggregate", aggregationLacksAggregate},
            {"paho-mqtt-incompatible", pahoIncompatible},
            {"weewx-not-running", weewxNotRunning},
            {"publish-credentials-rejected", publishCredentialsRejected},
            {"publish-acl-denies-write", publishAclDeniesWrite},
            {"websockets-enabled-not-1", wsEnabledNot1},
            {"page-topic-not-loop", pageTopicNotLoop},
            {"page-port-is-mqtt-port", pagePortIsMqttPort},
            {"page-port-no-listener", pagePortNoListener},
            {"page-host-empty", pageHostEmpty},
            {"page-host-localhost", pageHostLocalhost},
            {"page-host-unresolved", pageHostUnresolved},
            {"page-host-unreachable", pageHostUnreachable},
            {"server-url-host-mismatch", serverUrlHostMismatch},
            {"anonymous-page-refused", anonymousPageRefused},
            {"web-password-mismatch", webPasswordMismatch},
            {"web-acl-denies-page-topic", webAclDeniesTopic},
            {"anonymous-acl-denies-page-topic", anonymousAclDeniesTopic},
            {"page-stale", pageStale},
            {"page-https-ws-plain", httpsWithoutSsl},
            {"live-check", liveCheck},
    };
    return table;
}

} // namespace

ServerUrl ServerUrl::parse(const QString &text)
{
    // urllib.parse.urlsplit: scheme "://" netloc (up to the first / ? #), then userinfo is
    // what precedes the LAST '@' of the netloc; hostname lower-cased; port must be digits.
    ServerUrl u;
    const qsizetype sep = text.indexOf(QStringLiteral("://"));
    if (sep <= 0)
        return u;
    u.hasScheme = true;
    u.scheme = text.left(sep);
    const QString rest = text.mid(sep + 3);
    qsizetype end = rest.size();
    for (const QChar ch : {u'/', u'?', u'#'}) {
        const qsizetype i = rest.indexOf(ch);
        if (i >= 0 && i < end)
            end = i;
    }
    const QString netloc = rest.left(end);
    // A '@' after the cut means the credentials held a / ? or #.
    u.brokenByCharacter = rest.mid(end).contains(u'@');
    const qsizetype at = netloc.lastIndexOf(u'@');
    QString hostport = netloc;
    if (at >= 0) {
        const QString userinfo = netloc.left(at);
        hostport = netloc.mid(at + 1);
        const qsizetype colon = userinfo.indexOf(u':');
        if (colon >= 0) {
            u.user = userinfo.left(colon);
            u.password = userinfo.mid(colon + 1);
        } else {
            u.user = userinfo;
        }
    }
    QString portText;
    bool hasPort = false;
    if (hostport.startsWith(u'[')) {
        const qsizetype close = hostport.indexOf(u']');
        u.host = hostport.mid(1, close - 1);
        if (close >= 0 && hostport.mid(close + 1).startsWith(u':')) {
            hasPort = true;
            portText = hostport.mid(close + 2);
        }
    } else {
        const qsizetype colon = hostport.indexOf(u':');
        u.host = colon >= 0 ? hostport.left(colon) : hostport;
        if (colon >= 0) {
            hasPort = true;
            portText = hostport.mid(colon + 1);
        }
    }
    u.host = u.host.toLower();
    if (hasPort && !portText.isEmpty()) {
        bool ok = false;
        const int port = portText.toInt(&ok);
        static const QRegularExpression digits(QStringLiteral("^[0-9]+$"));
        if (ok && digits.match(portText).hasMatch() && port >= 0 && port <= 65535)
            u.port = port;
        else
            u.portInvalid = true;
    }
    return u;
}

QStringList Rules::catalogue()
{
    QStringList ids;
    for (const auto &entry : ruleTable())
        ids.append(QString::fromLatin1(entry.first));
    ids.insert(ids.indexOf(QStringLiteral("websockets-enabled-not-1")),
               QStringLiteral("weewx-publish-failing"));
    return ids;
}

QList<Finding> Rules::run(const DiagnosisInput &input)
{
    const Context context(input);
    QList<Finding> findings;
    for (const auto &entry : ruleTable())
        findings.append(entry.second(context));
    // Last, because it only blames publishing when no other failure explains the silence.
    const qsizetype at = catalogue().indexOf(QStringLiteral("weewx-publish-failing"));
    findings.insert(at, weewxPublishFailing(context, findings));
    return findings;
}

bool Rules::topicMatches(const QString &filter, const QString &topic)
{
    if (topic.startsWith(u'$') != filter.startsWith(u'$'))
        return false;
    const QStringList f = filter.split(u'/');
    const QStringList t = topic.split(u'/');
    for (qsizetype i = 0; i < f.size(); ++i) {
        if (f.at(i) == u"#")
            return true; // also matches the parent level ("a/#" matches "a")
        if (i >= t.size())
            return false;
        if (f.at(i) != u"+" && f.at(i) != t.at(i))
            return false;
    }
    return f.size() == t.size();
}

bool Rules::aclAllows(const config::AclFile &acl, const QString &user, const QString &topic,
                      bool write)
{
    auto check = [&](const QList<config::AclRule> &rules) -> std::optional<bool> {
        // add__acl puts deny entries first; then the first matching entry decides.
        for (const config::AclRule &r : rules) {
            if (r.access == config::AclAccess::Deny
                && topicMatches(QString::fromUtf8(r.topic), topic))
                return false;
        }
        for (const config::AclRule &r : rules) {
            if (r.access == config::AclAccess::Deny
                || !topicMatches(QString::fromUtf8(r.topic), topic))
                continue;
            const bool covers = r.access == config::AclAccess::ReadWrite
                                || (write ? r.access == config::AclAccess::Write
                                          : r.access == config::AclAccess::Read);
            if (covers)
                return true;
        }
        return std::nullopt;
    };
    if (const auto own = check(user.isEmpty() ? acl.anonymousRules() : acl.rulesFor(user.toUtf8())))
        return *own;
    QList<config::AclRule> patterns;
    for (config::AclRule r : acl.patterns()) {
        if (r.topic.contains("%c"))
            continue;
        if (r.topic.contains("%u")) {
            if (user.isEmpty())
                continue;
            r.topic.replace("%u", user.toUtf8());
        }
        patterns.append(r);
    }
    return check(patterns).value_or(false);
}

QString Rules::redact(const QString &text)
{
    static const QRegularExpression urlPassword(QStringLiteral("(://[^:/@\\s]*:)[^@\\s]*@"));
    static const QRegularExpression keyValue(
            QStringLiteral("^(\\s*[A-Za-z0-9_]*(?:password|passwd|secret|token|api_key)[A-Za-z0-9_]"
                           "*\\s*=\\s*).+$"),
            QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression hashLine(QStringLiteral("^([^:\\s]+:)\\$[0-9]+\\$\\S+$"));
    QString out = text;
    out.replace(urlPassword, QStringLiteral("\\1") + kMask + QStringLiteral("@"));
    out.replace(keyValue, QStringLiteral("\\1") + kMask);
    out.replace(hashLine, QStringLiteral("\\1") + kMask);
    return out;
}

} // namespace wmw::diagnosis
