// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/welcomepage.h"

#include "wizard/mainwizard.h"
#include "wizard/profilestore.h"
#include "wizard/wizardcontroller.h"

#include <QButtonGroup>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
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

WelcomePage::WelcomePage(WizardController *controller, QWidget *parent)
    : QWizardPage(parent)
    , m_controller(controller)
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
    layout->addSpacing(12);

    m_recent = new QListWidget;
    m_recent->setObjectName(QStringLiteral("recentProfiles"));
    m_recent->setMaximumHeight(110);
    m_recent->setToolTip(tr("Double-click to open a saved profile"));
    connect(m_recent, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        const QString error = m_controller->openProfile(item->data(Qt::UserRole).toString());
        if (!error.isEmpty())
            QMessageBox::warning(this, tr("Profile"), error);
        else
            m_recent->setCurrentItem(item);
    });
    auto *recentLabel = new QLabel(tr("&Recent profiles:"));
    recentLabel->setBuddy(m_recent);
    layout->addWidget(recentLabel);
    layout->addWidget(m_recent);
    layout->addStretch();
    showRecentProfiles();
}

void WelcomePage::initializePage()
{
    showRecentProfiles();
}

void WelcomePage::showRecentProfiles()
{
    m_recent->clear();
    const QStringList paths = ProfileStore::recentProfiles();
    for (const QString &path : paths) {
        auto *item = new QListWidgetItem(QFileInfo(path).completeBaseName() + u"  —  " + path);
        item->setData(Qt::UserRole, path);
        m_recent->addItem(item);
    }
    if (paths.isEmpty())
        m_recent->addItem(tr("(none yet: profiles you save appear here)"));
    m_recent->setEnabled(!paths.isEmpty());
}

MainWizard::Job WelcomePage::job() const
{
    const int id = m_jobs->checkedId();
    return id < 0 ? MainWizard::Job::Provision : MainWizard::Job(id);
}

void WelcomePage::setJob(MainWizard::Job job)
{
    m_jobs->button(int(job))->setChecked(true);
}

bool WelcomePage::isComplete() const
{
    return m_jobs->checkedId() != -1;
}

int WelcomePage::nextId() const
{
    // With nothing chosen yet, still name a next page: QWizard treats a page whose nextId()
    // is -1 as the last one and would show Finish instead of a disabled Next.
    return MainWizard::nextAfter(MainWizard::Welcome, wizard());
}

} // namespace wmw
