// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/mainwizard.h"

#include "wizard/diagnosisrun.h"
#include "wizard/logging.h"
#include "wizard/pages/applypage.h"
#include "wizard/pages/brokerpage.h"
#include "wizard/pages/diagnosispage.h"
#include "wizard/pages/donepage.h"
#include "wizard/pages/exportpage.h"
#include "wizard/pages/formhelpers.h"
#include "wizard/pages/livecheckpage.h"
#include "wizard/pages/piconnectionpage.h"
#include "wizard/pages/reviewpage.h"
#include "wizard/pages/weewxpage.h"
#include "wizard/placeholderpage.h"
#include "wizard/profilestore.h"
#include "wizard/provisioningflow.h"
#include "wizard/welcomepage.h"
#include "wizard/wizardcontroller.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QIcon>
#include <QKeyEvent>
#include <QMenu>
#include <QMessageBox>
#include <QMetaEnum>
#include <QPushButton>
#include <QSettings>

#include <utility>

namespace wmw {

namespace {
QIcon appIcon()
{
    QIcon icon;
    for (int size : {16, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/icons/weewx-mqtt-wizard-%1.png").arg(size));
    return icon;
}

const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kJobKey = QStringLiteral("window/job");
const QString kPageKey = QStringLiteral("window/page");
} // namespace

MainWizard::MainWizard(QWidget *parent)
    : MainWizard(nullptr, parent)
{ }

MainWizard::MainWizard(WizardController *controller, QWidget *parent)
    : QWizard(parent)
    , m_controller(controller ? controller : new WizardController({}, this))
{
    setWindowTitle(tr("WeeWX MQTT Wizard"));
    setWindowIcon(appIcon());
    // ModernStyle gives every page a title banner, on every platform alike.
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setPixmap(QWizard::LogoPixmap, appIcon().pixmap(48, 48));
    setUpPages();
    setUpProfileMenu();
    setStartId(Welcome);
    resize(820, 720);
    connect(m_controller->provisioningFlow(), &ProvisioningFlow::settled, this, [this] {
        if (std::exchange(m_closeWhenSettled, false))
            QWizard::reject();
    });
}

MainWizard::~MainWizard()
{
    if (m_rememberSession)
        saveSession();
}

void MainWizard::setUpPages()
{
    setPage(Welcome, new WelcomePage(m_controller));
    setPage(PiConnection, new PiConnectionPage(m_controller));
    setPage(Broker, new BrokerPage(m_controller));
    setPage(Weewx, new WeewxPage(m_controller));
    setPage(Review, new ReviewPage(m_controller));
    setPage(Apply, new ApplyPage(m_controller));
    setPage(LiveCheck, new LiveCheckPage(m_controller));
    setPage(Diagnosis, new DiagnosisPage(m_controller));
    setPage(Export, new ExportPage(m_controller));
    setPage(Done, new DonePage(m_controller));
    for (int id : pageIds())
        buddiesToFields(page(id));
}

void MainWizard::setUpProfileMenu()
{
    auto *button = new QPushButton(tr("&Profile"));
    button->setObjectName(QStringLiteral("profileButton"));
    auto *menu = new QMenu(button);
    button->setMenu(menu);
    setButton(QWizard::CustomButton1, button);
    setOption(QWizard::HaveCustomButton1);
    // The review page is a commit page: its button (Apply) takes Next's place.
    setButtonLayout({QWizard::CustomButton1, QWizard::Stretch, QWizard::BackButton,
                     QWizard::NextButton, QWizard::CommitButton, QWizard::FinishButton,
                     QWizard::CancelButton});

    auto report = [this](const QString &error) {
        if (!error.isEmpty())
            QMessageBox::warning(this, tr("Profile"), error);
    };
    auto saveAs = [this, report]() {
        const QString path =
                QFileDialog::getSaveFileName(this, tr("Save profile"), m_controller->profilePath(),
                                             tr("Station profiles (*.json)"));
        if (!path.isEmpty())
            report(m_controller->saveProfile(path));
    };
    connect(menu, &QMenu::aboutToShow, this, [this, menu, report, saveAs]() {
        menu->clear();
        menu->addAction(tr("&Open or import…"), this, [this, report]() {
            const QString path = QFileDialog::getOpenFileName(this, tr("Open profile"), QString(),
                                                              tr("Station profiles (*.json)"));
            if (!path.isEmpty())
                report(m_controller->openProfile(path));
        });
        QMenu *recent = menu->addMenu(tr("Open &recent"));
        const QStringList paths = ProfileStore::recentProfiles();
        recent->setEnabled(!paths.isEmpty());
        for (const QString &path : paths) {
            recent->addAction(QFileInfo(path).fileName(), this, [this, path, report]() {
                      report(m_controller->openProfile(path));
                  })->setToolTip(path);
        }
        menu->addAction(tr("&Save"), this, [this, report, saveAs]() {
            if (m_controller->profilePath().isEmpty())
                saveAs();
            else
                report(m_controller->saveProfile(m_controller->profilePath()));
        });
        menu->addAction(tr("Save &as / export…"), this, saveAs);
        menu->addSeparator();
        QAction *keychain = menu->addAction(tr("Remember &passwords in the system keychain"));
        keychain->setCheckable(true);
        keychain->setChecked(ProfileStore::keychainAllowed());
        keychain->setToolTip(tr("Otherwise passwords are asked for again in each session; they "
                                "are never written into the profile file."));
        connect(keychain, &QAction::toggled, this,
                [](bool on) { ProfileStore::setKeychainAllowed(on); });
    });
    connect(m_controller, &WizardController::secretStoreMessage, this,
            [this](const QString &text) { QMessageBox::information(this, tr("Keychain"), text); });
}

MainWizard::Job MainWizard::job() const
{
    const auto *welcome = qobject_cast<const WelcomePage *>(page(Welcome));
    return welcome ? welcome->job() : Job::Provision;
}

int MainWizard::nextAfter(int page, const QWizard *wizard)
{
    const auto *main = qobject_cast<const MainWizard *>(wizard);
    const Job job = main ? main->job() : Job::Provision;
    static const QList<int> provision = {PiConnection, Broker,    Weewx, Review,
                                         Apply,        LiveCheck, Done};
    static const QList<int> diagnose = {PiConnection, Diagnosis};
    static const QList<int> exportBundle = {Broker, Weewx, Export};
    const QList<int> &flow = job == Job::Provision  ? provision
                             : job == Job::Diagnose ? diagnose
                                                    : exportBundle;
    if (page == Welcome)
        return flow.constFirst();
    const qsizetype at = flow.indexOf(page);
    return at < 0 || at + 1 >= flow.size() ? -1 : flow.at(at + 1);
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

void MainWizard::restoreSession()
{
    m_rememberSession = true;
    QSettings settings;
    if (const QByteArray geometry = settings.value(kGeometryKey).toByteArray(); !geometry.isEmpty())
        restoreGeometry(geometry);
    const QStringList recent = ProfileStore::recentProfiles();
    if (!recent.isEmpty()) {
        if (const QString error = m_controller->openProfile(recent.constFirst()); !error.isEmpty())
            qCInfo(lcWizard) << "last profile not reopened:" << error;
    }
    const int job = settings.value(kJobKey, -1).toInt();
    const int lastPage = settings.value(kPageKey, Welcome).toInt();
    auto *welcome = qobject_cast<WelcomePage *>(page(Welcome));
    if (job < 0 || job > int(Job::Export) || !welcome)
        return;
    welcome->setJob(Job(job));
    if (currentId() == -1)
        restart();
    // Walk the flow as the user did, so Back leads where it did; stop at the first page that
    // is not complete (e.g. a password the keychain did not give).
    while (currentId() != lastPage && currentPage() && currentPage()->isComplete()) {
        const int before = currentId();
        if (nextId() == -1 || nextId() == LiveCheck || nextId() == Apply)
            break; // never start a live check or an apply without the user
        next();
        if (currentId() == before)
            break;
    }
}

void MainWizard::reject()
{
    if (m_closeWhenSettled)
        return; // already stopping; the window closes once the Pi has cleaned up
    ProvisioningFlow *flow = m_controller->provisioningFlow();
    if (flow->isRunning()) {
        if (flow->isPastPointOfNoReturn()) {
            QMessageBox::information(
                    this, tr("The Pi is installing"),
                    tr("The Pi is installing the files now and cannot be stopped. It finishes, "
                       "or puts every old file back, within a few minutes. The window can be "
                       "closed once it has."));
            return;
        }
        const auto answer = QMessageBox::question(
                this, tr("Stop the apply?"),
                tr("The apply is still preparing: nothing on the Pi has been changed yet. Stop "
                   "it and close the window?"),
                QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes)
            return;
        // While the question was open the Pi may have passed the point of no return.
        if (!flow->cancelAndSettle()) {
            if (flow->isRunning())
                reject();
            else
                QWizard::reject(); // it finished meanwhile
            return;
        }
        m_closeWhenSettled = true;
        return;
    }
    if (m_controller->diagnosisRun()->isRunning())
        m_controller->diagnosisRun()->cancel(); // it only reads: nothing to wait for
    // An export writes synchronously: it has always finished by the time this runs.
    QWizard::reject();
}

void MainWizard::keyPressEvent(QKeyEvent *event)
{
    const bool enter = event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter;
    if (enter && currentPage() && currentPage()->isCommitPage()) {
        event->accept();
        return;
    }
    QWizard::keyPressEvent(event);
}

void MainWizard::saveSession()
{
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kJobKey, int(job()));
    settings.setValue(kPageKey, currentId());
}

} // namespace wmw
