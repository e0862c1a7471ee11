// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "wizard/pages/fieldmessages.h"

#include <QWizardPage>

class QCheckBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTimer;

namespace wmw {

class WizardController;

/// weewx-mqtt's [[MQTT]] section (server_url host, topic, binding) and the Belchertown
/// page's websocket settings (host, port, ssl, topic: derived from the broker, editable),
/// with the visitor disconnect time. Warns when visitors could not reach the page host.
class WeewxPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit WeewxPage(WizardController *controller, QWidget *parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;
    int nextId() const override;

private:
    void load();
    void showFindings();
    void showDerived();

    WizardController *m_controller = nullptr;
    FieldMessages m_messages;
    QLineEdit *m_serverUrlHost = nullptr;
    QLineEdit *m_topic = nullptr;
    QLineEdit *m_pageHost = nullptr;
    QLabel *m_pageHostResolved = nullptr;
    QTimer *m_resolveTimer = nullptr;
    QSpinBox *m_pagePort = nullptr;
    QCheckBox *m_pageSsl = nullptr;
    QLineEdit *m_pageTopic = nullptr;
    QSpinBox *m_disconnectMinutes = nullptr;
    QLabel *m_serverUrl = nullptr;
    bool m_complete = false;
};

} // namespace wmw
