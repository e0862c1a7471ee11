// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/exportflow.h"

#include "config/bundle.h"
#include "wizard/logging.h"
#include "wizard/provisioningflow.h"
#include "wizard/wizardcontroller.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSettings>

namespace wmw {

using exporting::ArchiveFormat;
using exporting::BundleArchive;

namespace {
const QString kFolderKey = QStringLiteral("export/folder");
const QString kFormatKey = QStringLiteral("export/format");

QString extensionOf(ArchiveFormat format)
{
    return format == ArchiveFormat::Zip ? QStringLiteral(".zip") : QStringLiteral(".tar.gz");
}
} // namespace

ExportFlow::ExportFlow(WizardController *controller)
    : QObject(controller)
    , m_controller(controller)
{
    const QSettings settings;
    m_settings.format = settings.value(kFormatKey).toString() == u"zip" ? ArchiveFormat::Zip
                                                                        : ArchiveFormat::TarGz;
}

void ExportFlow::setSettings(const ExportSettings &settings)
{
    m_settings = settings;
    QSettings stored;
    stored.setValue(kFormatKey, settings.format == ArchiveFormat::Zip ? QStringLiteral("zip")
                                                                      : QStringLiteral("tar.gz"));
    if (!settings.destination.isEmpty())
        stored.setValue(kFolderKey, QFileInfo(settings.destination).absolutePath());
}

QString ExportFlow::withExtension(const QString &path, ArchiveFormat format)
{
    QString base = path;
    static const QRegularExpression known(QStringLiteral("\\.(tar\\.gz|tgz|zip)$"),
                                          QRegularExpression::CaseInsensitiveOption);
    base.remove(known);
    return base + extensionOf(format);
}

QString ExportFlow::defaultDestination(ArchiveFormat format) const
{
    const QString folder = QSettings().value(kFolderKey, QDir::homePath()).toString();
    // The Pi's name makes bundles of several stations tell apart; anything but letters,
    // digits, '.', '-' and '_' goes (the host was validated, this is only for a file name).
    QString host = m_controller->profile().piHost;
    host.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]")), QStringLiteral("_"));
    const QString name =
            host.isEmpty() ? config::Bundle::rootName() : config::Bundle::rootName() + u'-' + host;
    return QDir(folder).filePath(name + extensionOf(format));
}

bool ExportFlow::hasPiWeewxConf() const
{
    return m_controller->provisioningFlow()->planStatus().hasPiWeewxConf;
}

void ExportFlow::fail(const QString &message)
{
    m_status = ExportStatus();
    m_status.state = ExportStatus::State::Failed;
    m_status.message = message;
    emit statusChanged();
}

void ExportFlow::write()
{
    const ExportSettings &s = m_settings;
    if (s.destination.trimmed().isEmpty())
        return fail(tr("Destination: choose where the bundle goes."));
    const std::optional<ArchiveFormat> named = BundleArchive::formatForFileName(s.destination);
    if (!named || *named != s.format)
        return fail(tr("Destination: \"%1\" must end in %2 for this format.")
                            .arg(s.destination, extensionOf(s.format)));

    config::BundleInput input;
    input.profile = m_controller->profile();
    input.secrets.publishPassword = m_controller->secrets().publishPassword;
    input.secrets.webPassword = m_controller->secrets().webPassword;
    input.includePasswordReference = s.includePasswordReference;
    switch (s.weewxConf) {
    case ExportSettings::WeewxConf::None:
        break;
    case ExportSettings::WeewxConf::FromPi: {
        const PlanStatus &plan = m_controller->provisioningFlow()->planStatus();
        if (!plan.hasPiWeewxConf)
            return fail(tr("weewx.conf: the Pi's file has not been read in this session "
                           "(the review page reads it). Choose a file instead."));
        input.currentWeewxConf = plan.piWeewxConf;
        break;
    }
    case ExportSettings::WeewxConf::FromFile: {
        QFile file(s.weewxConfFile);
        if (s.weewxConfFile.isEmpty())
            return fail(tr("weewx.conf: choose the file to put into the bundle."));
        if (!file.open(QIODevice::ReadOnly))
            return fail(tr("weewx.conf: cannot read \"%1\": %2")
                                .arg(s.weewxConfFile, file.errorString()));
        input.currentWeewxConf = file.readAll();
        break;
    }
    }

    const config::BundleResult bundle = config::Bundle::make(input);
    if (!bundle.ok())
        return fail(bundle.errorString);
    const exporting::ArchiveWriteResult archive = BundleArchive::write(bundle.entries, s.format);
    if (!archive.ok())
        return fail(archive.errorString);
    // It holds hashes and the passwords WeeWX needs: only its owner may read it, from the
    // first byte on (QSaveFile writes beside and renames).
    QSaveFile out(s.destination);
    if (!out.open(QIODevice::WriteOnly)
        || !out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || out.write(archive.bytes) != archive.bytes.size() || !out.commit())
        return fail(
                tr("Destination: cannot write \"%1\": %2").arg(s.destination, out.errorString()));

    m_status = ExportStatus();
    m_status.state = ExportStatus::State::Written;
    m_status.path = QFileInfo(s.destination).absoluteFilePath();
    m_status.notes = bundle.notes;
    for (const config::BundleEntry &entry : bundle.entries) {
        if (!entry.isDirectory)
            m_status.files.append({entry.path, entry.bytes.size(), entry.mode, entry.holdsSecret});
    }
    m_status.message = tr("Wrote %n file(s) into %1. It holds password hashes and the "
                          "passwords WeeWX needs: keep it private.",
                          nullptr, int(m_status.files.size()))
                               .arg(m_status.path);
    qCInfo(lcWizard) << "bundle written:" << m_status.path << m_status.files.size() << "files";
    emit statusChanged();
}

void ExportFlow::present(const ExportStatus &status)
{
    m_status = status;
    emit statusChanged();
}

} // namespace wmw
