// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/screenshots.h"

#include "wizard/logging.h"
#include "wizard/mainwizard.h"

#include <QApplication>
#include <QDir>
#include <QPixmap>

namespace wmw {

QStringList renderScreenshots(const QString &dir, QString *error)
{
    QStringList written;
    if (!QDir().mkpath(dir)) {
        *error = QApplication::translate("Screenshots", "Cannot create the folder %1.").arg(dir);
        return written;
    }
    const QList<int> ids = MainWizard().pageIds();
    for (int id : ids) {
        // A fresh wizard started on each page shows it as a user would meet it,
        // with the buttons and banner that page gets.
        MainWizard wizard;
        wizard.setStartId(id);
        wizard.restart();
        wizard.show();
        QApplication::processEvents();
        const QString path = QDir(dir).filePath(MainWizard::pageFileName(id) + u".png");
        if (!wizard.grab().save(path)) {
            *error = QApplication::translate("Screenshots", "Cannot write %1.").arg(path);
            return written;
        }
        qCDebug(lcWizard) << "screenshot" << path;
        written << path;
    }
    return written;
}

} // namespace wmw
