// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/aclfile.h"

#include <cctype>

namespace wmw::config {

namespace {

bool isCSpace(char c)
{
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

QByteArray trimTrailing(const QByteArray &line)
{
    qsizetype end = line.size();
    while (end > 0 && isCSpace(line.at(end - 1)))
        --end;
    return line.left(end);
}

// misc__trimblanks: isspace() at both ends.
QByteArray trimBlanks(const QByteArray &text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && isCSpace(text.at(begin)))
        ++begin;
    while (end > begin && isCSpace(text.at(end - 1)))
        --end;
    return text.mid(begin, end - begin);
}

// strtok_r(s, " ") step: skip spaces, take up to the next space. `pos` moves past the one
// space that ended the token, as strtok_r's saveptr does.
QByteArray nextToken(const QByteArray &line, qsizetype &pos)
{
    while (pos < line.size() && line.at(pos) == ' ')
        ++pos;
    if (pos >= line.size())
        return {};
    const qsizetype start = pos;
    while (pos < line.size() && line.at(pos) != ' ')
        ++pos;
    const QByteArray token = line.mid(start, pos - start);
    if (pos < line.size())
        ++pos;
    return token;
}

// mosquitto_sub_topic_check (lib/util_topic.c, 2.0.x).
bool subTopicValid(const QByteArray &topic)
{
    char previous = '\0';
    for (qsizetype i = 0; i < topic.size(); ++i) {
        const char c = topic.at(i);
        const char next = i + 1 < topic.size() ? topic.at(i + 1) : '\0';
        if (c == '+') {
            if ((previous != '\0' && previous != '/') || (next != '\0' && next != '/'))
                return false;
        } else if (c == '#') {
            if ((previous != '\0' && previous != '/') || next != '\0')
                return false;
        }
        previous = c;
    }
    return topic.size() <= 65535;
}

// For messages: a line fragment a reader can see, without control characters.
QString shown(const QByteArray &text)
{
    QString s = QString::fromUtf8(text.left(60));
    for (QChar &c : s) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = u'?';
    }
    return text.size() > 60 ? s + QStringLiteral("...") : s;
}

} // namespace

QByteArray AclFile::accessWord(AclAccess access)
{
    switch (access) {
    case AclAccess::Read:
        return "read";
    case AclAccess::Write:
        return "write";
    case AclAccess::Deny:
        return "deny";
    case AclAccess::ReadWrite:
        break;
    }
    return "readwrite";
}

AclParseResult AclFile::parse(const QByteArray &bytes)
{
    AclParseResult result;
    AclFile &file = result.file;
    QList<QByteArray> raws = bytes.split('\n');
    file.m_finalNewline = bytes.isEmpty() || bytes.endsWith('\n');
    if (file.m_finalNewline)
        raws.removeLast();

    auto fail = [&result](int number, const QString &reason) {
        result.errorLine = number;
        result.errorString = tr("Line %1: %2").arg(number).arg(reason);
        result.file = AclFile();
        return result;
    };

    for (qsizetype i = 0; i < raws.size(); ++i) {
        const int number = int(i + 1);
        Line line;
        line.raw = raws.at(i);
        // fgets() + strlen(): the broker would silently cut the line at a NUL; we refuse.
        if (line.raw.contains('\0'))
            return fail(number, tr("contains a NUL byte."));
        const QByteArray text = trimTrailing(line.raw);
        qsizetype pos = 0;
        QByteArray first;
        if (!text.isEmpty() && text.at(0) == '#') {
            line.kind = Line::Comment;
        } else if ((first = nextToken(text, pos)).isEmpty()) {
            line.kind = Line::Blank;
        } else if (first == "topic" || first == "pattern") {
            line.kind = first == "topic" ? Line::Topic : Line::Pattern;
            QByteArray access = nextToken(text, pos);
            if (access.isEmpty())
                return fail(number, tr("mosquitto refuses an empty topic."));
            // strtok_r(NULL, ""): the rest after the access word is the topic, spaces and all;
            // with no rest, the single word is the topic and the access is readwrite.
            QByteArray topic = pos < text.size() ? trimBlanks(text.mid(pos)) : QByteArray();
            if (topic.isEmpty()) {
                topic = access;
                access = "readwrite";
            }
            if (access == "read")
                line.rule.access = AclAccess::Read;
            else if (access == "write")
                line.rule.access = AclAccess::Write;
            else if (access == "readwrite")
                line.rule.access = AclAccess::ReadWrite;
            else if (access == "deny")
                line.rule.access = AclAccess::Deny;
            else
                return fail(number, tr("mosquitto refuses the access type \"%1\" (use read, write, "
                                       "readwrite or deny).")
                                            .arg(shown(access)));
            if (!subTopicValid(topic))
                return fail(number,
                            tr("mosquitto refuses the topic \"%1\": '+' and '#' must fill a whole "
                               "level, '#' only the last one (a comment after a topic becomes "
                               "part of it).")
                                    .arg(shown(topic)));
            line.rule.topic = topic;
        } else if (first == "user") {
            const QByteArray name = pos < text.size() ? trimBlanks(text.mid(pos)) : QByteArray();
            if (name.isEmpty())
                return fail(number, tr("mosquitto refuses a \"user\" line without a name."));
            line.kind = Line::User;
            line.user = name;
        } else if (i == 0 && text.startsWith("\xEF\xBB\xBF")) {
            return fail(number, tr("the file starts with a byte order mark, which mosquitto reads "
                                   "as part of the first word. Save it without one."));
        } else {
            return fail(number, tr("mosquitto refuses this line: it must start with topic, "
                                   "pattern or user, words are separated by spaces (not tabs), "
                                   "and a comment needs '#' in the first column."));
        }
        file.m_lines.append(line);
    }
    return result;
}

QByteArray AclFile::render() const
{
    QByteArray out;
    for (qsizetype i = 0; i < m_lines.size(); ++i) {
        out += m_lines.at(i).raw;
        if (i + 1 < m_lines.size() || m_finalNewline)
            out += '\n';
    }
    return out;
}

QList<QByteArray> AclFile::users() const
{
    QList<QByteArray> names;
    for (const Line &line : m_lines) {
        if (line.kind == Line::User && !names.contains(line.user))
            names << line.user;
    }
    return names;
}

QList<AclRule> AclFile::anonymousRules() const
{
    QList<AclRule> rules;
    for (const Line &line : m_lines) {
        if (line.kind == Line::User)
            break;
        if (line.kind == Line::Topic)
            rules << line.rule;
    }
    return rules;
}

QList<AclRule> AclFile::rulesFor(const QByteArray &user) const
{
    QList<AclRule> rules;
    bool inSection = false;
    for (const Line &line : m_lines) {
        if (line.kind == Line::User)
            inSection = line.user == user;
        else if (inSection && line.kind == Line::Topic)
            rules << line.rule;
    }
    return rules;
}

QList<AclRule> AclFile::patterns() const
{
    QList<AclRule> rules;
    for (const Line &line : m_lines) {
        if (line.kind == Line::Pattern)
            rules << line.rule;
    }
    return rules;
}

QByteArray AclFile::lineEnding() const
{
    for (const Line &line : m_lines) {
        if (line.raw.endsWith('\r'))
            return "\r";
    }
    return {};
}

void AclFile::insertLine(qsizetype index, const QByteArray &text)
{
    Line line;
    line.raw = text + lineEnding();
    if (text.isEmpty()) {
        line.kind = Line::Blank;
    } else if (text.startsWith('#')) {
        line.kind = Line::Comment;
    } else {
        // Only our own well-formed lines come here; parse them like any other line.
        const AclParseResult parsed = parse(text);
        if (parsed.ok() && !parsed.file.m_lines.isEmpty())
            line = parsed.file.m_lines.constFirst();
        line.raw = text + lineEnding();
    }
    m_lines.insert(index, line);
}

AclFile::Line AclFile::ruleLine(const AclRule &rule) const
{
    Line line;
    line.kind = Line::Topic;
    line.rule = rule;
    line.raw = "topic " + accessWord(rule.access) + ' ' + rule.topic + lineEnding();
    return line;
}

void AclFile::setUserRules(const QByteArray &user, const QList<AclRule> &rules,
                           const QByteArray &comment)
{
    if (rulesFor(user) == rules && users().contains(user))
        return; // already right: not a byte changes
    m_finalNewline = true;

    if (!users().contains(user)) {
        if (!m_lines.isEmpty() && m_lines.constLast().kind != Line::Blank)
            insertLine(m_lines.size(), {});
        if (!comment.isEmpty())
            insertLine(m_lines.size(), "# " + comment);
        insertLine(m_lines.size(), "user " + user);
        for (const AclRule &rule : rules)
            m_lines.append(ruleLine(rule));
        return;
    }

    // Remove the user's topic lines from all its sections; ours go where the first section's
    // first topic line was (or right after its "user" line).
    qsizetype insertAt = -1;
    bool placed = false;
    int section = 0; // 0: not in a section of `user`; n: in its n-th section
    int sectionsSeen = 0;
    for (qsizetype i = 0; i < m_lines.size();) {
        const Line &line = m_lines.at(i);
        if (line.kind == Line::User) {
            section = line.user == user ? ++sectionsSeen : 0;
            if (section == 1)
                insertAt = i + 1;
            ++i;
            continue;
        }
        if (section > 0 && line.kind == Line::Topic) {
            if (section == 1 && !placed) {
                insertAt = i;
                placed = true;
            }
            m_lines.removeAt(i);
            continue;
        }
        ++i;
    }
    for (qsizetype k = 0; k < rules.size(); ++k)
        m_lines.insert(insertAt + k, ruleLine(rules.at(k)));
}

void AclFile::ensureAnonymousRule(const AclRule &rule)
{
    if (anonymousRules().contains(rule))
        return;
    m_finalNewline = true;
    qsizetype firstUser = -1;
    qsizetype lastRule = -1;
    for (qsizetype i = 0; i < m_lines.size(); ++i) {
        if (m_lines.at(i).kind == Line::User) {
            firstUser = i;
            break;
        }
        if (m_lines.at(i).kind == Line::Topic || m_lines.at(i).kind == Line::Pattern)
            lastRule = i;
    }
    if (lastRule >= 0) {
        m_lines.insert(lastRule + 1, ruleLine(rule));
        return;
    }
    if (firstUser < 0) {
        m_lines.append(ruleLine(rule));
        return;
    }
    // Before the first user, and before the comment lines that describe that user.
    qsizetype at = firstUser;
    while (at > 0 && m_lines.at(at - 1).kind == Line::Comment)
        --at;
    m_lines.insert(at, ruleLine(rule));
    insertLine(at + 1, {});
}

QList<AclRule> AclFile::publishRules(const StationProfile &profile)
{
    QList<AclRule> rules{{AclAccess::ReadWrite, profile.topic.toUtf8() + "/#"}};
    for (const QString &extra : profile.extraTopics) {
        const AclRule rule{AclAccess::ReadWrite, extra.toUtf8()};
        if (!rules.contains(rule))
            rules << rule;
    }
    return rules;
}

QList<AclRule> AclFile::webRules(const StationProfile &profile)
{
    return {{AclAccess::Read, profile.pageTopic().toUtf8()}};
}

AclParseResult AclFile::mergeProfile(const QByteArray &existing, const StationProfile &profile)
{
    AclParseResult result = parse(existing);
    if (!result.ok())
        return result;
    AclFile &file = result.file;
    if (file.m_lines.isEmpty()) {
        file.insertLine(0, "# mosquitto acl file, written by WeeWX MQTT Wizard.");
        file.insertLine(1, "# Lines before the first \"user\" line apply to clients without a "
                           "user name.");
    }
    if (profile.anonymousPolicy == AnonymousPolicy::ReadLoop)
        file.ensureAnonymousRule({AclAccess::Read, profile.pageTopic().toUtf8()});
    file.setUserRules(profile.publishUser.toUtf8(), publishRules(profile),
                      "weewx-mqtt publishes the readings with this user.");
    if (!profile.sharesOneUser())
        file.setUserRules(profile.webUser.toUtf8(), webRules(profile),
                          "The Belchertown page logs in with this user; its password is public, "
                          "so it may only read.");
    return result;
}

} // namespace wmw::config
