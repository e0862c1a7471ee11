// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/pages/weewxpage.h"

#include "wizard/mainwizard.h"
#include "wizard/pages/formhelpers.h"
#include "wizard/wizardcontroller.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTimer>

namespace wmw {

using config::StationProfile;

WeewxPage::WeewxPage(WizardController *controller, QWidget *parent)
    : QWizardPage(parent)
    , m_controller(controller)
{
    setTitle(tr("WeeWX and the Belchertown page"));
    setSubTitle(tr("Where WeeWX publishes the readings, and where the visitors' browsers "
                   "connect to receive them. The page settings follow the broker unless you "
                   "change them (for a router's port forward or a proxy)."));

    m_serverUrlHost = new QLineEdit;
    m_serverUrlHost->setObjectName(QStringLiteral("serverUrlHost"));
    connect(m_serverUrlHost, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_controller->editProfile([&text](StationProfile &p) { p.serverUrlHost = text; });
        showDerived();
    });
    m_topic = new QLineEdit;
    m_topic->setObjectName(QStringLiteral("weewxTopic"));
    connect(m_topic, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_controller->editProfile([&text](StationProfile &p) { p.topic = text; });
        showDerived();
    });
    m_serverUrl = new QLabel;
    m_serverUrl->setObjectName(QStringLiteral("serverUrl"));
    m_serverUrl->setTextFormat(Qt::PlainText);
    m_serverUrl->setWordWrap(true);
    auto *binding = new QLabel(tr("archive, loop — the page needs the loop packets; "
                                  "aggregation = aggregate"));
    binding->setObjectName(QStringLiteral("binding"));
    binding->setWordWrap(true);

    m_pageHost = new QLineEdit;
    m_pageHost->setObjectName(QStringLiteral("pageHost"));
    m_pageHostResolved = new QLabel;
    m_pageHostResolved->setObjectName(QStringLiteral("pageHostResolved"));
    m_pageHostResolved->setWordWrap(true);
    m_resolveTimer = new QTimer(this);
    m_resolveTimer->setSingleShot(true);
    m_resolveTimer->setInterval(400);
    connect(m_resolveTimer, &QTimer::timeout, this,
            [this]() { m_controller->resolveHost(m_controller->profile().pageHost()); });
    connect(m_controller, &WizardController::hostResolved, this,
            [this](const QString &host, bool ok, const QString &text) {
                if (host != m_controller->profile().pageHost())
                    return;
                m_pageHostResolved->setText(
                        ok ? tr("→ %1").arg(text)
                           : tr("⚠ %1: \"%2\" %3. Visitors whose browsers cannot resolve it see "
                                "\"Failed connecting\".")
                                        .arg(tr("Page websocket host"), host, text));
                m_pageHostResolved->setStyleSheet(ok ? QString()
                                                     : QStringLiteral("color: #9a6700;"));
            });
    connect(m_pageHost, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_controller->editProfile([&text](StationProfile &p) { p.pageHostOverride = text; });
        m_pageHostResolved->clear();
        m_resolveTimer->start();
    });

    m_pagePort = new QSpinBox;
    m_pagePort->setObjectName(QStringLiteral("pagePort"));
    m_pagePort->setRange(0, 65535);
    connect(m_pagePort, &QSpinBox::valueChanged, this, [this](int v) {
        m_controller->editProfile([v](StationProfile &p) { p.pagePortOverride = v; });
    });
    m_pageSsl = new QCheckBox(tr("wss:// (the listener or a proxy in front of it has a "
                                 "certificate)"));
    m_pageSsl->setObjectName(QStringLiteral("pageSsl"));
    connect(m_pageSsl, &QCheckBox::toggled, this, [this](bool on) {
        m_controller->editProfile([on](StationProfile &p) { p.pageSsl = on; });
    });
    m_pageTopic = new QLineEdit;
    m_pageTopic->setObjectName(QStringLiteral("pageTopic"));
    connect(m_pageTopic, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_controller->editProfile([&text](StationProfile &p) { p.pageTopicOverride = text; });
    });
    m_disconnectMinutes = new QSpinBox;
    m_disconnectMinutes->setObjectName(QStringLiteral("visitorDisconnect"));
    // setTimeout() in the page takes at most 2^31-1 ms: 35791 minutes.
    m_disconnectMinutes->setRange(0, 35791);
    m_disconnectMinutes->setSuffix(tr(" min"));
    m_disconnectMinutes->setSpecialValueText(tr("never"));
    connect(m_disconnectMinutes, &QSpinBox::valueChanged, this, [this](int minutes) {
        m_controller->editProfile(
                [minutes](StationProfile &p) { p.visitorDisconnectMs = qint64(minutes) * 60000; });
    });

    auto *weewx = new QGroupBox(tr("WeeWX (weewx-mqtt, [StdRESTful] [[MQTT]])"));
    auto *weewxForm = new QFormLayout(weewx);
    weewxForm->addRow(tr("Broker &host in server_url:"),
                      withMessage(m_serverUrlHost,
                                  m_messages.add(QStringLiteral("weewx.serverUrlHost")),
                                  new QLabel(tr("weewxd runs on the Pi: \"localhost\" is the "
                                                "broker on the Pi."))));
    weewxForm->addRow(tr("&Topic:"),
                      withMessage(m_topic, m_messages.add(QStringLiteral("topics.root"))));
    weewxForm->addRow(tr("server_url:"), m_serverUrl);
    weewxForm->addRow(tr("Binding:"), binding);

    auto *page = new QGroupBox(tr("Belchertown page (mqtt_websockets_*)"));
    auto *pageForm = new QFormLayout(page);
    pageForm->addRow(tr("&Websocket host:"),
                     withMessage(m_pageHost, m_messages.add(QStringLiteral("page.host")),
                                 m_pageHostResolved));
    pageForm->addRow(tr("Websocket p&ort:"),
                     withMessage(m_pagePort, m_messages.add(QStringLiteral("page.port"))));
    pageForm->addRow(tr("TLS:"), m_pageSsl);
    pageForm->addRow(tr("Page top&ic:"),
                     withMessage(m_pageTopic, m_messages.add(QStringLiteral("page.topic"))));
    pageForm->addRow(tr("&Disconnect idle visitors after:"),
                     withMessage(m_disconnectMinutes,
                                 m_messages.add(QStringLiteral("page.visitorDisconnectMs"))));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(weewx);
    layout->addWidget(page);
    layout->addStretch();
    // After the layout: both ends of a Tab step must be in the page already.
    chainTabOrder({m_serverUrlHost, m_topic, m_pageHost, m_pagePort, m_pageSsl, m_pageTopic,
                   m_disconnectMinutes});

    connect(m_controller, &WizardController::findingsChanged, this, &WeewxPage::showFindings);
    connect(m_controller, &WizardController::profileReplaced, this, &WeewxPage::load);
}

void WeewxPage::initializePage()
{
    load();
    m_controller->resolveHost(m_controller->profile().pageHost());
}

void WeewxPage::load()
{
    const StationProfile &p = m_controller->profile();
    const QSignalBlocker b1(m_pagePort);
    const QSignalBlocker b2(m_pageSsl);
    const QSignalBlocker b3(m_disconnectMinutes);
    m_serverUrlHost->setText(p.serverUrlHost);
    m_topic->setText(p.topic);
    m_pageHost->setText(p.pageHostOverride);
    m_pagePort->setValue(p.pagePortOverride);
    m_pageSsl->setChecked(p.pageSsl);
    m_pageTopic->setText(p.pageTopicOverride);
    m_disconnectMinutes->setValue(int(p.visitorDisconnectMs / 60000));
    showFindings();
}

void WeewxPage::showDerived()
{
    const StationProfile &p = m_controller->profile();
    // What the defaults are, shown where an empty field would otherwise say nothing.
    m_pageHost->setPlaceholderText(p.piHost.isEmpty() ? tr("the name visitors use for the Pi")
                                                      : tr("%1 (the Pi)").arg(p.piHost));
    m_pagePort->setSpecialValueText(tr("%1 (the broker's websockets port)").arg(p.websocketPort));
    m_pageTopic->setPlaceholderText(tr("%1 (what WeeWX publishes)").arg(p.loopTopic()));
    m_serverUrl->setText(QStringLiteral("mqtt://%1:••••••@%2:%3/")
                                 .arg(p.publishUser, p.serverUrlHost)
                                 .arg(p.mqttPort));
}

void WeewxPage::showFindings()
{
    showDerived();
    QList<config::Finding> findings = m_controller->findings();
    // Without a Pi host (the export job) nothing derives the page host: it must be given.
    if (m_controller->profile().pageHost().isEmpty())
        findings.prepend({QStringLiteral("page.host"), config::Finding::Error,
                          config::Validation::checkHost(tr("Page websocket host"), QString())});
    const bool ok = m_messages.show(findings);
    if (ok != m_complete) {
        m_complete = ok;
        emit completeChanged();
    }
}

bool WeewxPage::isComplete() const
{
    return m_complete;
}

int WeewxPage::nextId() const
{
    return MainWizard::nextAfter(MainWizard::Weewx, wizard());
}

} // namespace wmw
