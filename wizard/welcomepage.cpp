// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/welcomepage.h"

#include "wizard/mainwizard.h"

#include <QButtonGroup>
#include <QLabel>
#include <QRadioButton>
#include <QVBoxLayout>

namespace wmw {

namespace {
QRadioButton *jobButton(const QString &title, const QString &objectName)
{
    auto *button = new QRadioButton(title);
    button->setObjectName(objectName);
    return button;
}

QLabel *explanation(const QString &text)
{
    auto *label = new QLabel(text);
    label->setWordWrap(true);
    label->setIndent(24);
    return label;
}
} // namespace

WelcomePage::WelcomePage(QWidget *parent) : QWizardPage(parent)
{
    setTitle(tr("Welcome"));
    setSubTitle(tr("Live updates for the Belchertown page of your WeeWX station, over MQTT "
                   "websockets. What would you like to do?"));

    auto *provision = jobButton(tr("&Set up live updates on a Raspberry Pi"),
                                QStringLiteral("provisionButton"));
    auto *diagnose = jobButton(tr("&Diagnose a live page that does not work"),
                               QStringLiteral("diagnoseButton"));
    auto *exportBundle = jobButton(tr("&Export a config bundle to apply without this program"),
                                   QStringLiteral("exportButton"));

    m_jobs = new QButtonGroup(this);
    m_jobs->addButton(provision, int(MainWizard::Job::Provision));
    m_jobs->addButton(diagnose, int(MainWizard::Job::Diagnose));
    m_jobs->addButton(exportBundle, int(MainWizard::Job::Export));
    connect(m_jobs, &QButtonGroup::idToggled, this, &WelcomePage::completeChanged);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(provision);
    layout->addWidget(explanation(
            tr("Writes the mosquitto users, access list and websockets listener, and the WeeWX "
               "and Belchertown settings, over SSH, with a diff to review first, backups and a "
               "check that the page receives data.")));
    layout->addSpacing(12);
    layout->addWidget(diagnose);
    layout->addWidget(explanation(
            tr("The page says \"Failed connecting\" or waits for data forever: finds out which "
               "part fails and why, with the evidence and the fix.")));
    layout->addSpacing(12);
    layout->addWidget(exportBundle);
    layout->addWidget(explanation(
            tr("Writes the same files into an archive with an install script, to apply by hand "
               "or with Ansible.")));
    layout->addStretch();
}

bool WelcomePage::isComplete() const
{
    return m_jobs->checkedId() != -1;
}

int WelcomePage::nextId() const
{
    // With nothing chosen yet, still name a next page: QWizard treats a page whose nextId()
    // is -1 as the last one and would show Finish instead of a disabled Next.
    switch (MainWizard::Job(m_jobs->checkedId())) {
    case MainWizard::Job::Provision:
        return MainWizard::PiConnection;
    case MainWizard::Job::Diagnose:
        return MainWizard::Diagnosis;
    case MainWizard::Job::Export:
        return MainWizard::Export;
    }
    return MainWizard::PiConnection;
}

} // namespace wmw
