// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QVariantMap>

#include <optional>

namespace wmw::diagnosis {

/// How a rule came out. NotChecked: the facts it needs were not available (the reason is in
/// the evidence); it is neither a pass nor a failure.
enum class Severity { Pass, Warn, Fail, NotChecked };

/// One piece of proof: a file and line, a log line, a command's output, the live check.
/// Texts are redacted when the finding is made: no password or hash is ever stored here.
struct Evidence
{
    enum class Kind { File, Log, Command, LiveCheck, Note };
    Kind kind = Kind::Note;
    QString source; ///< a path, "journalctl -u mosquitto", "ss -ltn", "live check"
    int line = 0; ///< 1-based line in `source` when it is a file; 0 when none
    QString text;

    static Evidence file(const QString &path, int line, const QString &text)
    {
        return {Kind::File, path, line, text};
    }
    static Evidence log(const QString &source, const QString &text)
    {
        return {Kind::Log, source, 0, text};
    }
    static Evidence command(const QString &command, const QString &output)
    {
        return {Kind::Command, command, 0, output};
    }
    static Evidence note(const QString &text) { return {Kind::Note, {}, 0, text}; }
};

/// "Fix it": provisioning repairs this when run with these profile fields (JSON keys of
/// StationProfile, e.g. "page.host", "broker.websocketPort") set to these values; an empty
/// map means "provision again with the current settings".
struct FixHint
{
    QVariantMap fields;
};

struct Finding
{
    QString id; ///< stable, e.g. "acl-file-missing"; see Rules::catalogue()
    Severity severity = Severity::Pass;
    QString title; ///< translated; names the cause itself
    QList<Evidence> evidence;
    QString fix; ///< translated, in words; empty for a pass
    std::optional<FixHint> fixIt;

    bool failed() const { return severity == Severity::Fail; }
};

class FindingText
{
    Q_DECLARE_TR_FUNCTIONS(wmw::diagnosis::FindingText)
public:
    static QString severityId(Severity severity); ///< "pass", "warn", "fail", "not-checked"
    static QString severityText(Severity severity); ///< translated
    static QString evidenceKindId(Evidence::Kind kind);
};

/// The worst severity of `findings` (NotChecked counts as Pass).
Severity overall(const QList<Finding> &findings);

} // namespace wmw::diagnosis
