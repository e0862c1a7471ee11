// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/pages/piconnectionpage.h"

#include "wizard/connectiontest.h"
#include "wizard/mainwizard.h"
#include "wizard/pages/formhelpers.h"
#include "wizard/pages/sshdialogs.h"
#include "wizard/widgets/passwordfield.h"
#include "wizard/wizardcontroller.h"

#include <QButtonGroup>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

namespace wmw {

using Auth = WizardController::SshAuth;

PiConnectionPage::PiConnectionPage(WizardController *controller, QWidget *parent)
    : QWizardPage(parent)
    , m_controller(controller)
{
    setTitle(tr("Raspberry Pi connection"));
    setSubTitle(tr("How this laptop reaches the Pi over SSH. The wizard reads the Pi's setup "
                   "first and changes nothing before you have seen the changes."));

    m_host = new QLineEdit;
    m_host->setObjectName(QStringLiteral("piHost"));
    m_host->setPlaceholderText(tr("e.g. raspberrypi.local or 192.168.1.20"));
    m_resolved = new QLabel;
    m_resolved->setObjectName(QStringLiteral("piHostResolved"));
    m_resolved->setWordWrap(true);
    m_resolveTimer = new QTimer(this);
    m_resolveTimer->setSingleShot(true);
    m_resolveTimer->setInterval(400);
    connect(m_resolveTimer, &QTimer::timeout, this,
            [this]() { m_controller->resolveHost(m_host->text()); });
    connect(m_controller, &WizardController::hostResolved, this,
            [this](const QString &host, bool ok, const QString &text) {
                if (host != m_host->text())
                    return;
                m_resolved->setText(
                        ok ? tr("→ %1").arg(text)
                           : tr("%1 — an alias from ~/.ssh/config still works.").arg(text));
                m_resolved->setStyleSheet(ok ? QString() : QStringLiteral("color: #9a6700;"));
            });
    connect(m_host, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_controller->editProfile([&text](config::StationProfile &p) { p.piHost = text; });
        m_resolved->clear();
        m_resolveTimer->start();
    });

    m_port = new QSpinBox;
    m_port->setObjectName(QStringLiteral("sshPort"));
    m_port->setRange(1, 65535);
    m_port->setMaximumWidth(110);
    connect(m_port, &QSpinBox::valueChanged, this, [this](int value) {
        m_controller->editProfile([value](config::StationProfile &p) { p.sshPort = value; });
    });

    m_user = new QLineEdit;
    m_user->setObjectName(QStringLiteral("sshUser"));
    m_user->setPlaceholderText(tr("e.g. pi"));
    connect(m_user, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_controller->editProfile([&text](config::StationProfile &p) { p.sshUser = text; });
    });

    auto *agent = new QRadioButton(tr("SSH &agent or my default keys"));
    agent->setObjectName(QStringLiteral("authAgent"));
    auto *keyFile = new QRadioButton(tr("&Key file"));
    keyFile->setObjectName(QStringLiteral("authKeyFile"));
    auto *password = new QRadioButton(tr("Pass&word"));
    password->setObjectName(QStringLiteral("authPassword"));
    m_auth = new QButtonGroup(this);
    m_auth->addButton(agent, int(Auth::Agent));
    m_auth->addButton(keyFile, int(Auth::KeyFile));
    m_auth->addButton(password, int(Auth::Password));
    connect(m_auth, &QButtonGroup::idClicked, this, [this](int) { updateAuthWidgets(); });

    m_keyFile = new QLineEdit;
    m_keyFile->setObjectName(QStringLiteral("keyFile"));
    m_keyFile->setPlaceholderText(tr("e.g. ~/.ssh/id_ed25519"));
    connect(m_keyFile, &QLineEdit::textEdited, this, [this]() { updateAuthWidgets(); });
    m_browse = new QPushButton(tr("B&rowse…"));
    connect(m_browse, &QPushButton::clicked, this, [this]() {
        const QString file = QFileDialog::getOpenFileName(this, tr("SSH private key"),
                                                          QDir::homePath() + u"/.ssh");
        if (!file.isEmpty()) {
            m_keyFile->setText(file);
            updateAuthWidgets();
        }
    });
    m_keyFileMessage = new QLabel;
    m_keyFileMessage->setObjectName(QStringLiteral("keyFile.message"));
    m_keyFileMessage->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_keyFileMessage->setVisible(false);
    auto *keyRow = new QHBoxLayout;
    keyRow->addWidget(m_keyFile);
    keyRow->addWidget(m_browse);

    m_sshPassword = new PasswordField;
    m_sshPassword->setObjectName(QStringLiteral("sshPassword"));
    connect(m_sshPassword, &PasswordField::passwordEdited, this, [this](const QString &text) {
        m_controller->editSecrets([&text](config::Secrets &s) { s.sshPassword = text; });
    });
    m_sudoPassword = new PasswordField;
    m_sudoPassword->setObjectName(QStringLiteral("sudoPassword"));
    m_sudoPassword->setToolTip(tr("Sent to sudo on its standard input, never on a command line. "
                                  "Leave empty when sudo needs no password."));
    connect(m_sudoPassword, &PasswordField::passwordEdited, this, [this](const QString &text) {
        m_controller->editSecrets([&text](config::Secrets &s) { s.sudoPassword = text; });
    });

    auto *authBox = new QVBoxLayout;
    authBox->setSpacing(2);
    authBox->addWidget(agent);
    authBox->addWidget(keyFile);
    authBox->addLayout(keyRow);
    authBox->addWidget(m_keyFileMessage);
    authBox->addWidget(password);
    authBox->addWidget(m_sshPassword);

    auto *form = new QFormLayout;
    form->addRow(tr("&Host:"), withMessage(m_host, m_messages.add(QStringLiteral("pi.host"))));
    form->addRow(QString(), m_resolved);
    form->addRow(tr("SSH p&ort:"),
                 withMessage(m_port, m_messages.add(QStringLiteral("pi.sshPort"))));
    form->addRow(tr("&User:"), withMessage(m_user, m_messages.add(QStringLiteral("pi.sshUser"))));
    form->addRow(tr("Log in with:"), authBox);
    form->addRow(tr("&sudo password:"), m_sudoPassword);

    m_test = new QPushButton(tr("&Test connection"));
    m_test->setObjectName(QStringLiteral("testConnection"));
    connect(m_test, &QPushButton::clicked, this, [this]() {
        if (m_controller->connectionTest()->state() == ConnectionTest::State::Connecting
            || m_controller->connectionTest()->state() == ConnectionTest::State::Probing)
            m_controller->connectionTest()->cancel();
        else
            m_controller->testConnection();
    });
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("connectionStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_test);
    testRow->addWidget(m_status, 1);

    m_facts = new QLabel;
    m_facts->setObjectName(QStringLiteral("hostFacts"));
    m_facts->setTextFormat(Qt::RichText);
    m_facts->setWordWrap(true);
    m_facts->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addSpacing(6);
    layout->addLayout(testRow);
    layout->addWidget(m_facts);
    layout->addStretch();
    // After the layout: both ends of a Tab step must be in the page already.
    chainTabOrder({m_host, m_port, m_user, agent, keyFile, m_keyFile, m_browse, password,
                   m_sshPassword, m_sudoPassword, m_test});

    ConnectionTest *test = m_controller->connectionTest();
    connect(test, &ConnectionTest::stateChanged, this, &PiConnectionPage::showConnectionState);
    connect(test, &ConnectionTest::hostKeyUnknown, this, &PiConnectionPage::onHostKeyUnknown);
    connect(test, &ConnectionTest::credentialRequested, this,
            &PiConnectionPage::onCredentialRequested);
    connect(m_controller, &WizardController::findingsChanged, this,
            &PiConnectionPage::showFindings);
    connect(m_controller, &WizardController::profileReplaced, this, &PiConnectionPage::load);
}

void PiConnectionPage::initializePage()
{
    load();
    showConnectionState();
}

void PiConnectionPage::cleanupPage()
{
    m_controller->connectionTest()->cancel();
}

void PiConnectionPage::load()
{
    const config::StationProfile &p = m_controller->profile();
    const QSignalBlocker b1(m_port);
    m_host->setText(p.piHost);
    m_port->setValue(p.sshPort);
    m_user->setText(p.sshUser);
    m_keyFile->setText(m_controller->keyFile());
    m_auth->button(int(m_controller->sshAuth()))->setChecked(true);
    m_sshPassword->setPassword(m_controller->secrets().sshPassword);
    m_sudoPassword->setPassword(m_controller->secrets().sudoPassword);
    updateAuthWidgets();
    if (!p.piHost.isEmpty())
        m_controller->resolveHost(p.piHost);
}

QString PiConnectionPage::keyFileProblem() const
{
    if (m_auth->checkedId() != int(Auth::KeyFile))
        return {};
    QString path = m_keyFile->text();
    if (path.isEmpty())
        return tr("Key file: is required when logging in with a key file.");
    if (path.startsWith(u"~/"))
        path = QDir::homePath() + path.mid(1);
    if (!QFileInfo(path).isFile())
        return tr("Key file: %1 does not exist.").arg(m_keyFile->text());
    return {};
}

void PiConnectionPage::updateAuthWidgets()
{
    const Auth auth = Auth(m_auth->checkedId());
    m_keyFile->setEnabled(auth == Auth::KeyFile);
    m_browse->setEnabled(auth == Auth::KeyFile);
    m_sshPassword->setEnabled(auth == Auth::Password);
    QString path = m_keyFile->text();
    if (path.startsWith(u"~/"))
        path = QDir::homePath() + path.mid(1);
    m_controller->setSshAuth(auth, path); // findingsChanged() follows
}

void PiConnectionPage::showFindings()
{
    bool ok = m_messages.show(m_controller->findings());
    const QString keyProblem = keyFileProblem();
    m_keyFileMessage->setText(u"✗ " + keyProblem);
    m_keyFileMessage->setVisible(!keyProblem.isEmpty());
    ok = ok && keyProblem.isEmpty();
    m_test->setEnabled(ok);
    if (ok != m_complete) {
        m_complete = ok;
        emit completeChanged();
    }
}

bool PiConnectionPage::isComplete() const
{
    return m_complete;
}

int PiConnectionPage::nextId() const
{
    return MainWizard::nextAfter(MainWizard::PiConnection, wizard());
}

void PiConnectionPage::showConnectionState()
{
    using S = ConnectionTest::State;
    const ConnectionTest *test = m_controller->connectionTest();
    const bool busy = test->state() == S::Connecting || test->state() == S::Probing
                      || test->state() == S::AwaitingHostKey
                      || test->state() == S::AwaitingCredential;
    m_test->setText(busy ? tr("&Cancel test") : tr("&Test connection"));
    QString status;
    QString style;
    switch (test->state()) {
    case S::Idle:
        break;
    case S::Connecting:
        status = tr("Connecting…");
        break;
    case S::AwaitingHostKey:
        status = tr("Waiting for your decision about the host key…");
        break;
    case S::AwaitingCredential:
        status = tr("Waiting for the password…");
        break;
    case S::Probing:
        status = tr("Logged in; reading the Pi's setup…");
        break;
    case S::Succeeded:
        status = test->headline();
        style = QStringLiteral("color: #1b7d2f;");
        break;
    case S::Failed:
        status = tr("The connection failed: %1").arg(test->errorString());
        style = QStringLiteral("color: #c62828;");
        break;
    }
    m_status->setText(status);
    m_status->setStyleSheet(style);

    if (test->state() != S::Succeeded) {
        m_facts->clear();
        return;
    }
    QString html = QStringLiteral("<table cellspacing='0' cellpadding='2'>");
    for (const ConnectionTest::Fact &fact : test->facts()) {
        const QString mark = fact.missing ? QStringLiteral("<span style='color:#c62828'>✗</span>")
                                          : QStringLiteral("<span style='color:#1b7d2f'>✓</span>");
        html += QStringLiteral("<tr><td>%1</td><td><b>%2</b>&nbsp;&nbsp;</td><td>%3</td></tr>")
                        .arg(mark, fact.label.toHtmlEscaped(), fact.value.toHtmlEscaped());
    }
    html += QStringLiteral("</table>");
    m_facts->setText(html);
}

void PiConnectionPage::onHostKeyUnknown(const ssh::HostKeyInfo &info)
{
    auto *dialog = new HostKeyDialog(info, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::finished, this, [this](int result) {
        if (result == QDialog::Accepted)
            m_controller->connectionTest()->acceptHostKey();
        else
            m_controller->connectionTest()->refuseHostKey();
    });
    dialog->open();
}

void PiConnectionPage::onCredentialRequested(const ssh::CredentialRequest &request)
{
    auto *dialog = new CredentialDialog(request, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::finished, this, [this, dialog](int result) {
        if (result == QDialog::Accepted)
            m_controller->connectionTest()->provideCredential(dialog->answers());
        else
            m_controller->connectionTest()->refuseCredential();
    });
    dialog->open();
}

} // namespace wmw
