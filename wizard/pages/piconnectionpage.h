// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "remote/ssh/sshtypes.h"
#include "wizard/pages/fieldmessages.h"

#include <QWizardPage>

class QButtonGroup;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTimer;

namespace wmw {

class PasswordField;
class WizardController;

/// Where the Pi is and how to log in; "Test connection" logs in, asks about an unknown host
/// key, and shows what the Pi has (OS, mosquitto, WeeWX, Belchertown, weewx-mqtt, locale).
class PiConnectionPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit PiConnectionPage(WizardController *controller, QWidget *parent = nullptr);

    void initializePage() override;
    void cleanupPage() override;
    bool isComplete() const override;
    int nextId() const override;

private:
    void load();
    void showFindings();
    void showConnectionState();
    void onHostKeyUnknown(const ssh::HostKeyInfo &info);
    void onCredentialRequested(const ssh::CredentialRequest &request);
    void updateAuthWidgets();
    QString keyFileProblem() const;

    WizardController *m_controller = nullptr;
    FieldMessages m_messages;
    QLineEdit *m_host = nullptr;
    QLabel *m_resolved = nullptr;
    QTimer *m_resolveTimer = nullptr;
    QSpinBox *m_port = nullptr;
    QLineEdit *m_user = nullptr;
    QButtonGroup *m_auth = nullptr;
    QLineEdit *m_keyFile = nullptr;
    QLabel *m_keyFileMessage = nullptr;
    QPushButton *m_browse = nullptr;
    PasswordField *m_sshPassword = nullptr;
    PasswordField *m_sudoPassword = nullptr;
    QPushButton *m_test = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_facts = nullptr;
    bool m_complete = false;
};

} // namespace wmw
