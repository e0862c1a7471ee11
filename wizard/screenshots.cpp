// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/screenshots.h"

#include "wizard/demostate.h"
#include "wizard/logging.h"
#include "wizard/mainwizard.h"

#include <QApplication>
#include <QDir>
#include <QPixmap>

namespace wmw {

namespace {
bool render(int id, bool failure, const QString &path)
{
    // A fresh wizard started on each page shows it as a user would meet it, with the buttons
    // and banner that page gets, filled with the demo state (no network).
    MainWizard wizard;
    applyDemoState(*wizard.controller(), failure);
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
        bool failure;
        QString name;
    };
    QList<Shot> shots;
    for (int id : MainWizard().pageIds())
        shots.append({id, false, MainWizard::pageFileName(id)});
    shots.append({MainWizard::LiveCheck, true,
                  MainWizard::pageFileName(MainWizard::LiveCheck) + QStringLiteral("-failed")});
    for (const Shot &shot : shots) {
        const QString path = QDir(dir).filePath(shot.name + u".png");
        if (!render(shot.id, shot.failure, path)) {
            *error = QApplication::translate("Screenshots", "Cannot write %1.").arg(path);
            return written;
        }
        qCDebug(lcWizard) << "screenshot" << path;
        written << path;
    }
    return written;
}

} // namespace wmw
