// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/stationprofile.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>

namespace wmw::config {

enum class AclAccess { ReadWrite, Read, Write, Deny };

/// One "topic" or "pattern" entry: access and topic filter.
struct AclRule
{
    AclAccess access = AclAccess::ReadWrite;
    QByteArray topic;

    friend bool operator==(const AclRule &a, const AclRule &b)
    {
        return a.access == b.access && a.topic == b.topic;
    }
    friend bool operator!=(const AclRule &a, const AclRule &b) { return !(a == b); }
};

class AclFile;

struct [[nodiscard]] AclParseResult;

/// A mosquitto 2.0 acl file, parsed the way the broker parses it (aclfile__parse in
/// src/security_default.c): lines before the first "user" line are the anonymous section,
/// "user X" starts X's section, "pattern" lines apply to every client wherever they are,
/// '#' in column 0 is a comment. Every line is kept as raw bytes, so render() gives back the
/// input byte for byte until something is changed, and changes touch only our lines.
class AclFile
{
    Q_DECLARE_TR_FUNCTIONS(wmw::config::AclFile)
public:
    struct Line
    {
        enum Kind { Blank, Comment, User, Topic, Pattern };
        Kind kind = Blank;
        QByteArray raw; ///< without the '\n' (a CR of a CRLF file stays)
        QByteArray user; ///< User lines: the name
        AclRule rule; ///< Topic and Pattern lines
    };

    /// Refuses what mosquitto would refuse, naming the line (1-based) and the reason.
    static AclParseResult parse(const QByteArray &bytes);
    QByteArray render() const;

    const QList<Line> &lines() const { return m_lines; }
    /// User names in order of their first section.
    QList<QByteArray> users() const;
    QList<AclRule> anonymousRules() const;
    /// All topic rules of `user`, over every section of that user.
    QList<AclRule> rulesFor(const QByteArray &user) const;
    QList<AclRule> patterns() const;

    /// Makes `rules` the topic rules of `user`: an existing section keeps its place, comments
    /// and pattern lines, and is left untouched when it already holds exactly these rules; a
    /// new user gets a section at the end, after `comment` (without '#').
    void setUserRules(const QByteArray &user, const QList<AclRule> &rules,
                      const QByteArray &comment = {});
    /// Adds `rule` to the anonymous section unless an equal rule is there.
    void ensureAnonymousRule(const AclRule &rule);

    /// The rules a profile needs: the publishing user reads and writes <topic>/# and the extra
    /// topics; the web user (if separate) reads only the page topic; with the ReadLoop policy
    /// anonymous clients read the page topic.
    static QList<AclRule> publishRules(const StationProfile &profile);
    static QList<AclRule> webRules(const StationProfile &profile);

    /// Merges a profile's users into `existing` (empty for a new file). Everything else in
    /// the file stays as it was.
    static AclParseResult mergeProfile(const QByteArray &existing, const StationProfile &profile);

    static QByteArray accessWord(AclAccess access);

private:
    QByteArray lineEnding() const;
    void insertLine(qsizetype index, const QByteArray &text);
    Line ruleLine(const AclRule &rule) const;

    QList<Line> m_lines;
    bool m_finalNewline = true;
};

struct [[nodiscard]] AclParseResult
{
    AclFile file;
    int errorLine = 0; ///< 1-based; 0 when ok
    QString errorString; ///< translated: "Line 3: ..."
    bool ok() const { return errorString.isEmpty(); }
};

} // namespace wmw::config
