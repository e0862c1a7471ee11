// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/screenshots.h"

#include "wizard/demostate.h"
#include "wizard/logging.h"
#include "wizard/mainwizard.h"
#include "wizard/provisioningdemo.h"

#include <QApplication>
#include <QDir>
#include <QPixmap>

namespace wmw {

namespace {
enum class Variant {
    Normal,
    Failure, ///< the live check fails at the login
    RolledBack, ///< the apply failed a check and put every old file back
};

bool render(int id, Variant variant, const QString &path)
{
    // A fresh wizard started on each page shows it as a user would meet it, with the buttons
    // and banner that page gets, filled with the demo state (no network).
    MainWizard wizard;
    applyDemoState(*wizard.controller(), variant == Variant::Failure);
    if (variant == Variant::RolledBack)
        applyRolledBackDemo(*wizard.controller());
    wizard.setStartId(id);
    wizard.restart();
    wizard.show();
    QApplication::processEvents();
    return wizard.grab().save(path);
}
} // namespace

QStringList renderScreenshots(const QString &dir, QString *error)
{
    QStringList written;
    if (!QDir().mkpath(dir)) {
        *error = QApplication::translate("Screenshots", "Cannot create the folder %1.").arg(dir);
        return written;
    }
    struct Shot
    {
        int id;
        Variant variant;
        QString name;
    };
    QList<Shot> shots;
    for (int id : MainWizard().pageIds())
        shots.append({id, Variant::Normal, MainWizard::pageFileName(id)});
    shots.append({MainWizard::LiveCheck, Variant::Failure,
                  MainWizard::pageFileName(MainWizard::LiveCheck) + QStringLiteral("-failed")});
    shots.append({MainWizard::Apply, Variant::RolledBack,
                  MainWizard::pageFileName(MainWizard::Apply) + QStringLiteral("-rolled-back")});
    for (const Shot &shot : shots) {
        const QString path = QDir(dir).filePath(shot.name + u".png");
        if (!render(shot.id, shot.variant, path)) {
            *error = QApplication::translate("Screenshots", "Cannot write %1.").arg(path);
            return written;
        }
        qCDebug(lcWizard) << "screenshot" << path;
        written << path;
    }
    return written;
}

} // namespace wmw
