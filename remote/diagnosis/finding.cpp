// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/diagnosis/finding.h"

namespace wmw::diagnosis {

QString FindingText::severityId(Severity severity)
{
    switch (severity) {
    case Severity::Pass:
        return QStringLiteral("pass");
    case Severity::Warn:
        return QStringLiteral("warn");
    case Severity::Fail:
        return QStringLiteral("fail");
    case Severity::NotChecked:
        return QStringLiteral("not-checked");
    }
    return {};
}

QString FindingText::severityText(Severity severity)
{
    switch (severity) {
    case Severity::Pass:
        return tr("pass");
    case Severity::Warn:
        return tr("warning");
    case Severity::Fail:
        return tr("FAIL");
    case Severity::NotChecked:
        return tr("not checked");
    }
    return {};
}

QString FindingText::evidenceKindId(Evidence::Kind kind)
{
    switch (kind) {
    case Evidence::Kind::File:
        return QStringLiteral("file");
    case Evidence::Kind::Log:
        return QStringLiteral("log");
    case Evidence::Kind::Command:
        return QStringLiteral("command");
    case Evidence::Kind::LiveCheck:
        return QStringLiteral("live-check");
    case Evidence::Kind::Note:
        return QStringLiteral("note");
    }
    return {};
}

Severity overall(const QList<Finding> &findings)
{
    Severity worst = Severity::Pass;
    for (const Finding &f : findings) {
        if (f.severity == Severity::Fail)
            return Severity::Fail;
        if (f.severity == Severity::Warn)
            worst = Severity::Warn;
    }
    return worst;
}

} // namespace wmw::diagnosis
