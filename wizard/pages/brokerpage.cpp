// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/pages/brokerpage.h"

#include "wizard/mainwizard.h"
#include "wizard/pages/formhelpers.h"
#include "wizard/widgets/passwordfield.h"
#include "wizard/wizardcontroller.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QSpinBox>

namespace wmw {

using config::AnonymousPolicy;
using config::StationProfile;

namespace {
QSpinBox *portBox(const QString &name)
{
    auto *box = new QSpinBox;
    box->setObjectName(name);
    box->setRange(1, 65535);
    return box;
}
} // namespace

BrokerPage::BrokerPage(WizardController *controller, QWidget *parent)
    : QWizardPage(parent)
    , m_controller(controller)
{
    setTitle(tr("Broker users, topics and ports"));
    setSubTitle(tr("WeeWX publishes with one user; the web page reads with another, because "
                   "every visitor can read the page's password. The passwords are generated; "
                   "show or copy them when you need them."));

    auto edit = [this](const QString &name, auto apply) {
        auto *line = new QLineEdit;
        line->setObjectName(name);
        connect(line, &QLineEdit::textEdited, this, [this, apply](const QString &text) {
            m_controller->editProfile([&](StationProfile &p) { apply(p, text); });
        });
        return line;
    };
    m_publishUser = edit(QStringLiteral("publishUser"),
                         [](StationProfile &p, const QString &t) { p.publishUser = t; });
    m_webUser = edit(QStringLiteral("webUser"),
                     [](StationProfile &p, const QString &t) { p.webUser = t; });
    m_topic =
            edit(QStringLiteral("topic"), [](StationProfile &p, const QString &t) { p.topic = t; });
    m_extraTopics = edit(QStringLiteral("extraTopics"), [](StationProfile &p, const QString &t) {
        p.extraTopics = t.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
    });
    m_extraTopics->setPlaceholderText(tr("none"));

    m_publishPassword = new PasswordField([]() { return WizardController::generatePassword(); });
    m_publishPassword->setObjectName(QStringLiteral("publishPassword"));
    connect(m_publishPassword, &PasswordField::passwordEdited, this, [this](const QString &t) {
        m_controller->editSecrets([&t](config::Secrets &s) { s.publishPassword = t; });
    });
    m_webPassword = new PasswordField([]() { return WizardController::generatePassword(); });
    m_webPassword->setObjectName(QStringLiteral("webPassword"));
    connect(m_webPassword, &PasswordField::passwordEdited, this, [this](const QString &t) {
        m_controller->editSecrets([&t](config::Secrets &s) { s.webPassword = t; });
    });

    m_mqttPort = portBox(QStringLiteral("mqttPort"));
    connect(m_mqttPort, &QSpinBox::valueChanged, this, [this](int v) {
        m_controller->editProfile([v](StationProfile &p) { p.mqttPort = v; });
    });
    m_websocketPort = portBox(QStringLiteral("websocketPort"));
    connect(m_websocketPort, &QSpinBox::valueChanged, this, [this](int v) {
        m_controller->editProfile([v](StationProfile &p) { p.websocketPort = v; });
    });

    m_anonymous = new QComboBox;
    m_anonymous->setObjectName(QStringLiteral("anonymousPolicy"));
    m_anonymous->addItem(tr("Every client logs in (recommended)"), int(AnonymousPolicy::Deny));
    m_anonymous->addItem(tr("Anonymous clients may read the loop topic only"),
                         int(AnonymousPolicy::ReadLoop));
    connect(m_anonymous, &QComboBox::activated, this, [this](int index) {
        const auto policy = AnonymousPolicy(m_anonymous->itemData(index).toInt());
        m_controller->editProfile([policy](StationProfile &p) { p.anonymousPolicy = policy; });
    });

    m_referenceFile = new QCheckBox(
            tr("Also keep the passwords in a cleartext reference file on the Pi (root only, "
               "as in the manual procedure)"));
    m_referenceFile->setObjectName(QStringLiteral("referenceFile"));
    m_referenceFile->setToolTip(tr("Off by default: anyone who gets root on the Pi reads it. "
                                   "The passwords stay in this laptop's keychain when you "
                                   "allow it."));
    connect(m_referenceFile, &QCheckBox::toggled, this,
            [this](bool on) { m_controller->setWriteReferenceFile(on); });

    auto *users = new QGroupBox(tr("MQTT users"));
    auto *usersForm = new QFormLayout(users);
    usersForm->addRow(tr("P&ublishing user (WeeWX):"),
                      withMessage(m_publishUser, m_messages.add(QStringLiteral("users.publish"))));
    usersForm->addRow(tr("Its pa&ssword:"),
                      withMessage(m_publishPassword,
                                  m_messages.add(QStringLiteral("secrets.publishPassword"))));
    usersForm->addRow(tr("&Web page user (reads only):"),
                      withMessage(m_webUser, m_messages.add(QStringLiteral("users.web"))));
    usersForm->addRow(
            tr("Its passw&ord:"),
            withMessage(m_webPassword, m_messages.add(QStringLiteral("secrets.webPassword"))));

    auto *broker = new QGroupBox(tr("Topics and listeners"));
    auto *brokerForm = new QFormLayout(broker);
    brokerForm->addRow(
            tr("&Topic:"),
            withMessage(m_topic, m_messages.add(QStringLiteral("topics.root")),
                        new QLabel(tr("WeeWX publishes the readings to <topic>/loop."))));
    m_messages.addPrefix(QStringLiteral("topics.extra."), QStringLiteral("topics.extra"));
    brokerForm->addRow(tr("E&xtra topics the publisher may use:"),
                       withMessage(m_extraTopics, m_messages.add(QStringLiteral("topics.extra"))));
    auto *ports = new QHBoxLayout;
    auto *mqttPortLabel = new QLabel(tr("M&QTT:"));
    mqttPortLabel->setBuddy(m_mqttPort);
    ports->addWidget(mqttPortLabel);
    ports->addWidget(m_mqttPort);
    ports->addSpacing(12);
    auto *websocketPortLabel = new QLabel(tr("Websoc&kets:"));
    websocketPortLabel->setBuddy(m_websocketPort);
    ports->addWidget(websocketPortLabel);
    ports->addWidget(m_websocketPort);
    ports->addStretch();
    auto *portBoxes = new QWidget;
    portBoxes->setLayout(ports);
    ports->setContentsMargins(0, 0, 0, 0);
    auto *portMessages = new QWidget;
    auto *portMessagesLayout = new QVBoxLayout(portMessages);
    portMessagesLayout->setContentsMargins(0, 0, 0, 0);
    portMessagesLayout->addWidget(m_messages.add(QStringLiteral("broker.mqttPort")));
    portMessagesLayout->addWidget(m_messages.add(QStringLiteral("broker.websocketPort")));
    brokerForm->addRow(tr("Ports:"), portBoxes);
    brokerForm->addRow(QString(), portMessages);
    brokerForm->addRow(tr("&Anonymous clients:"), m_anonymous);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(users);
    layout->addWidget(broker);
    layout->addWidget(m_referenceFile);
    layout->addStretch();
    // After the layout: both ends of a Tab step must be in the page already.
    chainTabOrder({m_publishUser, m_publishPassword, m_webUser, m_webPassword, m_topic,
                   m_extraTopics, m_mqttPort, m_websocketPort, m_anonymous, m_referenceFile});

    connect(m_controller, &WizardController::findingsChanged, this, &BrokerPage::showFindings);
    connect(m_controller, &WizardController::profileReplaced, this, &BrokerPage::load);
}

void BrokerPage::initializePage()
{
    m_controller->ensureBrokerPasswords();
    load();
}

void BrokerPage::load()
{
    const StationProfile &p = m_controller->profile();
    const QSignalBlocker b1(m_mqttPort);
    const QSignalBlocker b2(m_websocketPort);
    const QSignalBlocker b3(m_referenceFile);
    m_publishUser->setText(p.publishUser);
    m_webUser->setText(p.webUser);
    m_topic->setText(p.topic);
    m_extraTopics->setText(p.extraTopics.join(QStringLiteral(" ")));
    m_mqttPort->setValue(p.mqttPort);
    m_websocketPort->setValue(p.websocketPort);
    m_anonymous->setCurrentIndex(m_anonymous->findData(int(p.anonymousPolicy)));
    m_publishPassword->setPassword(m_controller->secrets().publishPassword);
    m_webPassword->setPassword(m_controller->secrets().webPassword);
    m_referenceFile->setChecked(m_controller->writeReferenceFile());
    showFindings();
}

void BrokerPage::showFindings()
{
    const bool ok = m_messages.show(m_controller->findings());
    if (ok != m_complete) {
        m_complete = ok;
        emit completeChanged();
    }
}

bool BrokerPage::isComplete() const
{
    return m_complete;
}

int BrokerPage::nextId() const
{
    return MainWizard::nextAfter(MainWizard::Broker, wizard());
}

} // namespace wmw
