// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/widgets/detailslog.h"

#include <QCoreApplication>
#include <QPlainTextEdit>
#include <QToolButton>

namespace wmw {

DetailsLog makeDetailsLog(const QString &logObjectName)
{
    DetailsLog d;
    d.button = new QToolButton;
    d.button->setText(QCoreApplication::translate("wmw::DetailsLog", "Details"));
    d.button->setCheckable(true);
    d.button->setArrowType(Qt::RightArrow);
    d.button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    d.log = new QPlainTextEdit;
    d.log->setObjectName(logObjectName);
    d.log->setReadOnly(true);
    d.log->setMaximumHeight(90);
    d.log->setVisible(false);
    QPlainTextEdit *log = d.log;
    QToolButton *button = d.button;
    QObject::connect(button, &QToolButton::toggled, log, [log, button](bool on) {
        log->setVisible(on);
        button->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
    });
    return d;
}

} // namespace wmw
