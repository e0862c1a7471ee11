// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "remote/diagnosis/diagnosisinput.h"
#include "remote/diagnosis/finding.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace wmw::diagnosis {

/// The outcome of one diagnosis: what was checked, every finding, the live readings.
struct DiagnosisReport
{
    QString host; ///< the Pi as this computer reaches it
    QString hostname; ///< the Pi's own name
    QDateTime time;
    QList<Finding> findings;
    LiveOutcome live;
    /// Secret values known to the caller (the page's and weewx-mqtt's passwords): masked in
    /// every generated text besides the rules' own redaction. Never written out.
    QStringList secrets;

    Severity verdict() const { return overall(findings); }
    bool passed() const { return verdict() != Severity::Fail; }
    QList<Finding> withSeverity(Severity severity) const;
};

/// Pure generators: the same report gives the same bytes. Passwords and hashes are redacted.
class ReportWriter
{
    Q_DECLARE_TR_FUNCTIONS(wmw::diagnosis::ReportWriter)
public:
    static QByteArray markdown(const DiagnosisReport &report);
    static QByteArray html(const DiagnosisReport &report);
    static QJsonObject json(const DiagnosisReport &report);
    /// A one-paragraph summary: "healthy, live data received ..." or the failures' titles.
    static QString summary(const DiagnosisReport &report);
};

} // namespace wmw::diagnosis
