// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/diagnosis/report.h"

#include "remote/diagnosis/rules.h"

#include <QJsonArray>

namespace wmw::diagnosis {

namespace {

const QString kMask = QStringLiteral("••••••");

QString clean(const DiagnosisReport &report, const QString &text)
{
    QString out = Rules::redact(text);
    for (const QString &secret : report.secrets) {
        // Very short "secrets" would mask ordinary words; real passwords are longer.
        if (secret.size() >= 3)
            out.replace(secret, kMask);
    }
    return out;
}

QString icon(Severity severity)
{
    switch (severity) {
    case Severity::Pass:
        return QStringLiteral("✅");
    case Severity::Warn:
        return QStringLiteral("⚠️");
    case Severity::Fail:
        return QStringLiteral("❌");
    case Severity::NotChecked:
        return QStringLiteral("➖");
    }
    return {};
}

QString where(const Evidence &e)
{
    if (e.source.isEmpty())
        return {};
    return e.line > 0 ? QStringLiteral("%1:%2").arg(e.source).arg(e.line) : e.source;
}

QString mdCode(const QString &text)
{
    // Inline code cannot hold a backtick run of its own length: use a longer fence.
    QString fence = QStringLiteral("`");
    while (text.contains(fence))
        fence += u'`';
    const QString pad =
            text.startsWith(u'`') || text.endsWith(u'`') ? QStringLiteral(" ") : QString();
    return fence + pad + text + pad + fence;
}

QList<Finding> ordered(const DiagnosisReport &report)
{
    QList<Finding> result;
    for (Severity s : {Severity::Fail, Severity::Warn, Severity::NotChecked, Severity::Pass})
        result += report.withSeverity(s);
    return result;
}

} // namespace

QList<Finding> DiagnosisReport::withSeverity(Severity severity) const
{
    QList<Finding> result;
    for (const Finding &f : findings) {
        if (f.severity == severity)
            result.append(f);
    }
    return result;
}

QString ReportWriter::summary(const DiagnosisReport &report)
{
    const QList<Finding> failures = report.withSeverity(Severity::Fail);
    if (failures.isEmpty()) {
        QString text = report.withSeverity(Severity::Warn).isEmpty()
                               ? tr("Healthy: every check passed.")
                               : tr("No failure; %n warning(s).", nullptr,
                                    int(report.withSeverity(Severity::Warn).size()));
        if (report.live.receiving())
            text += u' '
                    + tr("Live data received at %1 (station time %2).")
                              .arg(report.live.url,
                                   report.live.dataTime.toUTC().toString(Qt::ISODate));
        return text;
    }
    QStringList titles;
    for (const Finding &f : failures)
        titles.append(f.title);
    return tr("%n failure(s): %1", nullptr, int(failures.size()))
            .arg(titles.join(QStringLiteral("; ")));
}

QByteArray ReportWriter::markdown(const DiagnosisReport &report)
{
    QString md;
    md += u"# " + tr("Live page diagnosis of %1").arg(report.host) + u"\n\n";
    md += tr("Pi: %1 · checked %2").arg(report.hostname, report.time.toUTC().toString(Qt::ISODate))
          + u"\n\n";
    md += u"**" + clean(report, summary(report)) + u"**\n\n";
    if (report.live.receiving() && !report.live.readings.isEmpty()) {
        md += u"## " + tr("Live readings") + u"\n\n";
        md += u"| " + tr("value") + u" | " + tr("reading") + u" | " + tr("unit") + u" |\n";
        md += QStringLiteral("|---|---|---|\n");
        for (const mqtt::Reading &r : report.live.readings)
            md += QStringLiteral("| %1 | %2 | %3 |\n").arg(r.observation, r.text, r.unit);
        md += u'\n';
    }
    md += u"## " + tr("Findings") + u"\n\n";
    for (const Finding &f : ordered(report)) {
        md += QStringLiteral("### %1 %2 (%3)\n\n")
                      .arg(icon(f.severity), clean(report, f.title), mdCode(f.id));
        for (const Evidence &e : f.evidence) {
            const QString w = where(e);
            md += QStringLiteral("- ")
                  + (w.isEmpty() ? QString() : mdCode(w) + QStringLiteral(": "))
                  + mdCode(clean(report, e.text)) + u'\n';
        }
        if (!f.evidence.isEmpty())
            md += u'\n';
        if (!f.fix.isEmpty())
            md += u"**" + tr("Fix:") + u"** " + clean(report, f.fix) + u"\n\n";
        if (f.fixIt)
            md += u"_" + tr("The wizard can fix this: provision again.") + u"_\n\n";
    }
    return md.toUtf8();
}

QByteArray ReportWriter::html(const DiagnosisReport &report)
{
    auto esc = [&](const QString &text) {
        return clean(report, text).toHtmlEscaped();
    };
    QString h;
    h += QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n<title>")
         + esc(tr("Live page diagnosis of %1").arg(report.host)) + QStringLiteral("</title>\n");
    h += QStringLiteral(
            "<style>body{font-family:sans-serif;max-width:60em;margin:auto}"
            ".fail{color:#b00}.warn{color:#a60}.pass{color:#070}.not-checked{color:#666}"
            "code{background:#f4f4f4}summary{cursor:pointer}</style></head><body>\n");
    h += QStringLiteral("<h1>") + esc(tr("Live page diagnosis of %1").arg(report.host))
         + QStringLiteral("</h1>\n<p>")
         + esc(tr("Pi: %1 · checked %2")
                       .arg(report.hostname, report.time.toUTC().toString(Qt::ISODate)))
         + QStringLiteral("</p>\n<p><strong>") + esc(summary(report))
         + QStringLiteral("</strong></p>\n");
    if (report.live.receiving() && !report.live.readings.isEmpty()) {
        h += QStringLiteral("<h2>") + esc(tr("Live readings")) + QStringLiteral("</h2>\n<table>\n");
        for (const mqtt::Reading &r : report.live.readings)
            h += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td></tr>\n")
                         .arg(esc(r.observation), esc(r.text), esc(r.unit));
        h += QStringLiteral("</table>\n");
    }
    h += QStringLiteral("<h2>") + esc(tr("Findings")) + QStringLiteral("</h2>\n");
    for (const Finding &f : ordered(report)) {
        const QString cls = FindingText::severityId(f.severity);
        h += QStringLiteral("<details%1><summary class=\"%2\">%3 %4 <code>%5</code></summary>\n")
                     .arg(f.severity == Severity::Fail ? QStringLiteral(" open") : QString(), cls,
                          icon(f.severity), esc(f.title), esc(f.id));
        if (!f.evidence.isEmpty()) {
            h += QStringLiteral("<ul>\n");
            for (const Evidence &e : f.evidence) {
                const QString w = where(e);
                h += QStringLiteral("<li>")
                     + (w.isEmpty()
                                ? QString()
                                : QStringLiteral("<code>") + esc(w) + QStringLiteral("</code>: "))
                     + QStringLiteral("<code>") + esc(e.text) + QStringLiteral("</code></li>\n");
            }
            h += QStringLiteral("</ul>\n");
        }
        if (!f.fix.isEmpty())
            h += QStringLiteral("<p><strong>") + esc(tr("Fix:")) + QStringLiteral("</strong> ")
                 + esc(f.fix) + QStringLiteral("</p>\n");
        h += QStringLiteral("</details>\n");
    }
    h += QStringLiteral("</body></html>\n");
    return h.toUtf8();
}

QJsonObject ReportWriter::json(const DiagnosisReport &report)
{
    QJsonArray findings;
    for (const Finding &f : report.findings) {
        QJsonArray evidence;
        for (const Evidence &e : f.evidence) {
            QJsonObject item{{QStringLiteral("kind"), FindingText::evidenceKindId(e.kind)},
                             {QStringLiteral("text"), clean(report, e.text)}};
            if (!e.source.isEmpty())
                item.insert(QStringLiteral("source"), e.source);
            if (e.line > 0)
                item.insert(QStringLiteral("line"), e.line);
            evidence.append(item);
        }
        QJsonObject item{{QStringLiteral("id"), f.id},
                         {QStringLiteral("severity"), FindingText::severityId(f.severity)},
                         {QStringLiteral("title"), clean(report, f.title)},
                         {QStringLiteral("evidence"), evidence}};
        if (!f.fix.isEmpty())
            item.insert(QStringLiteral("fix"), clean(report, f.fix));
        if (f.fixIt) {
            QJsonObject fields;
            for (auto it = f.fixIt->fields.cbegin(); it != f.fixIt->fields.cend(); ++it)
                fields.insert(it.key(), QJsonValue::fromVariant(it.value()));
            item.insert(QStringLiteral("fix_it"),
                        QJsonObject{{QStringLiteral("action"), QStringLiteral("provision")},
                                    {QStringLiteral("fields"), fields}});
        }
        findings.append(item);
    }
    QJsonObject live{{QStringLiteral("ran"), report.live.ran}};
    if (report.live.ran) {
        live.insert(QStringLiteral("url"), report.live.url);
        live.insert(QStringLiteral("topic"), report.live.topic);
        live.insert(QStringLiteral("user"), report.live.user);
        live.insert(QStringLiteral("state"), mqtt::LiveCheck::stateId(report.live.state));
        live.insert(QStringLiteral("failure"), mqtt::LiveCheck::failureId(report.live.failure));
        QJsonObject readings;
        for (const mqtt::Reading &r : report.live.readings)
            readings.insert(r.key, r.text);
        live.insert(QStringLiteral("readings"), readings);
        if (report.live.dataTime.isValid())
            live.insert(QStringLiteral("data_time"),
                        report.live.dataTime.toUTC().toString(Qt::ISODate));
    } else {
        live.insert(QStringLiteral("reason"), report.live.notRunReason);
    }
    return {{QStringLiteral("host"), report.host},
            {QStringLiteral("hostname"), report.hostname},
            {QStringLiteral("time"), report.time.toUTC().toString(Qt::ISODate)},
            {QStringLiteral("verdict"), FindingText::severityId(report.verdict())},
            {QStringLiteral("summary"), clean(report, summary(report))},
            {QStringLiteral("live"), live},
            {QStringLiteral("findings"), findings}};
}

} // namespace wmw::diagnosis
