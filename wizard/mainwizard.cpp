// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/mainwizard.h"

#include "wizard/placeholderpage.h"
#include "wizard/welcomepage.h"

#include <QIcon>
#include <QMetaEnum>

namespace wmw {

namespace {
QIcon appIcon()
{
    QIcon icon;
    for (int size : {16, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/icons/weewx-mqtt-wizard-%1.png").arg(size));
    return icon;
}
} // namespace

MainWizard::MainWizard(QWidget *parent) : QWizard(parent)
{
    setWindowTitle(tr("WeeWX MQTT Wizard"));
    setWindowIcon(appIcon());
    // ModernStyle gives every page a title banner, on every platform alike.
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setPixmap(QWizard::LogoPixmap, appIcon().pixmap(48, 48));

    setPage(Welcome, new WelcomePage);
    setPage(PiConnection,
            new PlaceholderPage(tr("Set up live updates"),
                                tr("Connecting to the Raspberry Pi and provisioning mosquitto, "
                                   "weewx-mqtt and Belchertown are not built yet.")));
    setPage(Diagnosis,
            new PlaceholderPage(tr("Diagnose a live page"),
                                tr("The diagnosis of a failing Belchertown live page is not "
                                   "built yet.")));
    setPage(Export,
            new PlaceholderPage(tr("Export a config bundle"),
                                tr("Exporting a config bundle is not built yet.")));
    setStartId(Welcome);
    resize(760, 560);
}

QString MainWizard::pageFileName(int pageId)
{
    const char *key = QMetaEnum::fromType<Page>().valueToKey(pageId);
    if (!key)
        return QString();
    // "PiConnection" -> "pi-connection"
    const QString name = QString::fromLatin1(key);
    QString out;
    for (int i = 0; i < name.size(); ++i) {
        if (name.at(i).isUpper() && i > 0)
            out += QLatin1Char('-');
        out += name.at(i).toLower();
    }
    return out;
}

} // namespace wmw
