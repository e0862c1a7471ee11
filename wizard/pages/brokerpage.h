// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "wizard/pages/fieldmessages.h"

#include <QWizardPage>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QSpinBox;

namespace wmw {

class PasswordField;
class WizardController;

/// The mosquitto broker on the Pi: the publishing user and the web page's user with
/// generated passwords, topics, ports, the anonymous policy, and the opt-in for a cleartext
/// reference file of the passwords.
class BrokerPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit BrokerPage(WizardController *controller, QWidget *parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;
    int nextId() const override;

private:
    void load();
    void showFindings();

    WizardController *m_controller = nullptr;
    FieldMessages m_messages;
    QLineEdit *m_publishUser = nullptr;
    PasswordField *m_publishPassword = nullptr;
    QLineEdit *m_webUser = nullptr;
    PasswordField *m_webPassword = nullptr;
    QLineEdit *m_topic = nullptr;
    QLineEdit *m_extraTopics = nullptr;
    QSpinBox *m_mqttPort = nullptr;
    QSpinBox *m_websocketPort = nullptr;
    QComboBox *m_anonymous = nullptr;
    QCheckBox *m_referenceFile = nullptr;
    bool m_complete = false;
};

} // namespace wmw
