// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "remote/export/bundlearchive.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

namespace wmw {

class WizardController;

/// What goes into an export and where it is written.
struct ExportSettings
{
    /// Which weewx.conf the bundle edits in full (install.sh edits the Pi's own in any case).
    enum class WeewxConf {
        None, ///< only the edit script: it edits the Pi's file when install.sh runs
        FromPi, ///< the one read from the Pi for the review
        FromFile, ///< a copy on this laptop the user picked
    };

    exporting::ArchiveFormat format = exporting::ArchiveFormat::TarGz;
    QString destination; ///< the archive's full path
    WeewxConf weewxConf = WeewxConf::None;
    QString weewxConfFile;
    /// The manual procedure's plain-text user:password reference file (opt-in).
    bool includePasswordReference = false;
};

/// The outcome of writing a bundle, for the export page.
struct ExportStatus
{
    enum class State { Idle, Written, Failed };
    struct File
    {
        QString path; ///< inside the archive
        qint64 size = 0;
        int mode = 0;
        bool holdsSecret = false;
    };

    State state = State::Idle;
    QString path; ///< where it was written
    QString message; ///< translated; for Failed names the field or the file
    QList<File> files; ///< every file of the archive (folders left out), in archive order
    QStringList notes; ///< translated remarks of the bundle
};

/// The export job behind the export page: builds the bundle from the profile being edited
/// (and, when asked, the weewx.conf read from the Pi or a file), writes it as .tar.gz or .zip
/// readable by its owner only, and remembers the folder and format for next time.
class ExportFlow : public QObject
{
    Q_OBJECT
public:
    explicit ExportFlow(WizardController *controller);

    const ExportSettings &settings() const { return m_settings; }
    /// Also remembers the destination's folder and the format (QSettings).
    void setSettings(const ExportSettings &settings);
    /// Where a bundle of the current profile goes by default: the remembered folder (else
    /// the home folder) and a name after the Pi, with the format's extension.
    QString defaultDestination(exporting::ArchiveFormat format) const;
    /// `path` with its extension changed to the format's.
    static QString withExtension(const QString &path, exporting::ArchiveFormat format);

    /// Whether the Pi's weewx.conf was read (by the review's plan) and can go in.
    bool hasPiWeewxConf() const;

    /// Writes the bundle (synchronous: it takes milliseconds); statusChanged() follows.
    void write();
    const ExportStatus &status() const { return m_status; }
    /// Shows a result without writing (the screenshots' demo state).
    void present(const ExportStatus &status);

signals:
    void statusChanged();

private:
    void fail(const QString &message);

    WizardController *m_controller = nullptr;
    ExportSettings m_settings;
    ExportStatus m_status;
};

} // namespace wmw
