// SPDX-License-Identifier: GPL-3.0-or-later
#include "config/fileset.h"

#include "config/unifieddiff.h"
#include "config/weewxconf.h"

#include <QRegularExpression>

namespace wmw::config {

bool FileSet::add(FileEntry entry, QString *error)
{
    auto refuse = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (!entry.path.startsWith(u'/') || entry.path.split(u'/').contains(QStringLiteral(".."))
        || entry.path.contains(QChar(u'\0')) || entry.path.contains(u'\n'))
        return refuse(tr("The file path %1 is not an absolute path.").arg(entry.path));
    if (find(entry.path))
        return refuse(tr("The file %1 is generated twice.").arg(entry.path));
    if (entry.mode < 0 || entry.mode > 07777)
        return refuse(tr("The mode of %1 is not a file mode.").arg(entry.path));
    m_entries.append(std::move(entry));
    return true;
}

const FileEntry *FileSet::find(const QString &path) const
{
    for (const FileEntry &e : m_entries) {
        if (e.path == path)
            return &e;
    }
    return nullptr;
}

namespace redaction {

QByteArray mask()
{
    return QByteArray("\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2");
}

namespace {

const QRegularExpression &secretKeyRe()
{
    // `passcode` is the CWOP/APRS secret; `password`, `passwd`, `pass`; API keys and tokens
    // of other uploaders.
    static const QRegularExpression re(QStringLiteral("(pass|secret|token|api_?key|apikey)"),
                                       QRegularExpression::CaseInsensitiveOption);
    return re;
}

const QRegularExpression &secretLineRe()
{
    // key = value, the key possibly quoted; everything after the divider is masked.
    static const QRegularExpression re(
            QStringLiteral(R"re(^(\s*("[^"]*"|'[^']*'|[^'"=][^=]*?)\s*=\s*)(.*)$)re"));
    return re;
}

const QRegularExpression &urlPasswordRe()
{
    // Up to the last @ of the line: a password may hold an @ (urlparse splits at the last).
    static const QRegularExpression re(
            QStringLiteral(R"re(([A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s'"]*:)(.*)@)re"));
    return re;
}

void maskSecretKeys(const WeewxConf &conf, const QStringList &path, QList<QByteArray> &lines)
{
    for (const QString &key : conf.keys(path)) {
        if (!secretKeyRe().match(key).hasMatch())
            continue;
        const auto span = conf.valueLines(path, key);
        if (!span)
            continue;
        for (int l = span->first + 1; l <= span->second && l <= lines.size(); ++l)
            lines[l - 1] = mask(); // the inner lines of a triple-quoted secret
    }
    for (const QString &section : conf.sections(path))
        maskSecretKeys(conf, path + QStringList{section}, lines);
}

} // namespace

QList<QByteArray> weewxConf(const QByteArray &bytes)
{
    QList<QByteArray> lines = diffLines(bytes);
    for (QByteArray &line : lines) {
        QString text = QString::fromUtf8(line);
        const QRegularExpressionMatch key = secretLineRe().match(text);
        // Commented-out lines count too: `#password = old` is still a password.
        if (key.hasMatch() && secretKeyRe().match(key.captured(2)).hasMatch()) {
            line = key.captured(1).toUtf8() + mask();
            continue;
        }
        const QRegularExpressionMatch url = urlPasswordRe().match(text);
        if (url.hasMatch()) {
            text.replace(url.capturedStart(2), url.capturedLength(2), QString::fromUtf8(mask()));
            line = text.toUtf8();
        }
    }
    // Inner lines of multi-line secrets need the structure; a file that does not parse has no
    // multi-line values ConfigObj could read anyway.
    WeewxConfStatus status;
    const WeewxConf conf = WeewxConf::parse(bytes, &status);
    if (status.ok())
        maskSecretKeys(conf, {}, lines);
    return lines;
}

QList<QByteArray> passwordFile(const QByteArray &bytes)
{
    QList<QByteArray> lines = diffLines(bytes);
    for (QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon >= 0)
            line = line.left(colon + 1) + "<hash redacted>";
    }
    return lines;
}

} // namespace redaction

} // namespace wmw::config
