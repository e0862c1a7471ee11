// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/pages/livecheckpage.h"

#include "wizard/livemonitor.h"
#include "wizard/mainwizard.h"
#include "wizard/widgets/chainwidget.h"
#include "wizard/widgets/detailslog.h"
#include "wizard/widgets/livechart.h"
#include "wizard/wizardcontroller.h"

#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace wmw {

using State = mqtt::LiveCheck::State;

namespace {
// The Belchertown page's status dot colours.
QString dotColor(State state)
{
    switch (state) {
    case State::Idle:
        return QStringLiteral("#b8b8b8");
    case State::Connecting:
    case State::Waiting:
        return QStringLiteral("#f0ad00");
    case State::Receiving:
        return QStringLiteral("#21a03c");
    case State::Failed:
    case State::Lost:
        return QStringLiteral("#dc1e1e");
    }
    return {};
}
// "25 November 2026, 16:08:10" as the page writes it, without a time zone name.
QString stamp(const QDateTime &time)
{
    const QLocale locale;
    return locale.toString(time.date(), QLocale::LongFormat) + QStringLiteral(", ")
           + locale.toString(time.time(), QStringLiteral("HH:mm:ss"));
}
} // namespace

LiveCheckPage::LiveCheckPage(WizardController *controller, QWidget *parent)
    : QWizardPage(parent)
    , m_controller(controller)
{
    setTitle(tr("Live check"));
    setSubTitle(tr("This laptop connects the way the Belchertown page does, with the page's "
                   "host, port, user and topic, and shows what a visitor would see."));

    m_banner = new QLabel;
    m_banner->setObjectName(QStringLiteral("liveBanner"));
    m_banner->setTextFormat(Qt::RichText);
    m_banner->setWordWrap(true);
    QFont bannerFont = m_banner->font();
    bannerFont.setPointSizeF(bannerFont.pointSizeF() * 1.15);
    m_banner->setFont(bannerFont);

    m_chain = new ChainWidget;

    auto *readings = new QFrame;
    readings->setObjectName(QStringLiteral("readings"));
    readings->setFrameShape(QFrame::StyledPanel);
    auto *grid = new QGridLayout(readings);
    grid->setHorizontalSpacing(14);
    const LiveStatus initial = LiveStatus::initial();
    for (int i = 0; i < initial.readings.size(); ++i) {
        auto *label = new QLabel(initial.readings.at(i).label);
        label->setStyleSheet(QStringLiteral("color: #666;"));
        Tile tile;
        tile.value = new QLabel(QStringLiteral("–"));
        tile.value->setObjectName(QStringLiteral("reading%1").arg(i));
        tile.value->setTextFormat(Qt::RichText);
        tile.detail = new QLabel;
        tile.detail->setStyleSheet(QStringLiteral("color: #666;"));
        QFont small = tile.detail->font();
        small.setPointSizeF(small.pointSizeF() * 0.9);
        tile.detail->setFont(small);
        tile.chart = new LiveChart;
        tile.chart->setObjectName(QStringLiteral("chart%1").arg(i));
        grid->addWidget(label, 0, i);
        grid->addWidget(tile.value, 1, i);
        grid->addWidget(tile.detail, 2, i);
        grid->addWidget(tile.chart, 3, i);
        grid->setColumnStretch(i, 1);
        m_tiles.append(tile);
    }

    m_failure = new QLabel;
    m_failure->setObjectName(QStringLiteral("liveFailure"));
    m_failure->setTextFormat(Qt::RichText);
    m_failure->setWordWrap(true);
    m_failure->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_failure->setStyleSheet(QStringLiteral(
            "QLabel { background: #fdecea; border: 1px solid #f5c2c0; border-radius: 4px; "
            "padding: 8px; color: #5f2120; }"));

    m_again = new QPushButton(tr("Check &again"));
    m_again->setObjectName(QStringLiteral("liveCheckButton"));
    connect(m_again, &QPushButton::clicked, this, [this]() {
        if (m_controller->liveMonitor()->isRunning())
            m_controller->liveMonitor()->stop();
        else
            m_controller->startLiveCheck();
        showStatus();
    });
    const DetailsLog details = makeDetailsLog(QStringLiteral("liveLog"));
    m_detailsButton = details.button;
    m_details = details.log;
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_again);
    buttons->addWidget(m_detailsButton);
    buttons->addStretch();

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_chain);
    layout->addWidget(m_banner);
    layout->addWidget(readings);
    layout->addWidget(m_failure);
    layout->addLayout(buttons);
    layout->addWidget(m_details);
    layout->addStretch();

    connect(m_controller->liveMonitor(), &LiveMonitor::statusChanged, this,
            &LiveCheckPage::showStatus);
    setFinalPage(true);
    showStatus();
}

void LiveCheckPage::initializePage()
{
    m_controller->startLiveCheck();
    showStatus();
}

int LiveCheckPage::nextId() const
{
    // Provisioning ends on the done page (backup and undo); the page stays a final page.
    return MainWizard::nextAfter(MainWizard::LiveCheck, wizard());
}

void LiveCheckPage::cleanupPage()
{
    m_controller->liveMonitor()->stop();
}

void LiveCheckPage::showStatus()
{
    const LiveStatus &s = m_controller->liveMonitor()->status();
    QString text = mqtt::LiveCheck::stateText(s.state);
    if (s.state == State::Receiving && s.lastData.isValid()) {
        // As the page says it: "Connected to weather station live. Data received <time>".
        text = tr("Connected to weather station live. Data received %1").arg(stamp(s.lastData));
    } else if (s.state == State::Lost && s.lastData.isValid()) {
        text += u' ' + tr("Last data %1").arg(stamp(s.lastData));
    }
    m_banner->setText(QStringLiteral("<span style='color:%1;font-size:large'>●</span> "
                                     "<span style='color:#555'>%2</span>")
                              .arg(dotColor(s.state), text.toHtmlEscaped()));
    m_banner->setAccessibleName(text);
    m_chain->setLinks(s.chain);

    for (int i = 0; i < m_tiles.size() && i < s.readings.size(); ++i) {
        const LiveStatus::Series &series = s.readings.at(i);
        const Tile &tile = m_tiles.at(i);
        tile.value->setText(
                series.valueText.isEmpty()
                        ? QStringLiteral("<span style='color:#bbb;font-size:20pt'>–</span>")
                        : QStringLiteral("<span style='color:#1f9bd7;font-size:20pt'>%1</span>"
                                         " <span style='color:#1f9bd7'>%2</span>")
                                  .arg(series.valueText.toHtmlEscaped(),
                                       series.unit.toHtmlEscaped()));
        tile.value->setAccessibleName(series.label + u' ' + series.valueText + u' ' + series.unit);
        tile.detail->setText(series.detail);
        tile.chart->setPoints(series.points);
    }

    const bool failed = s.state == State::Failed || s.state == State::Lost;
    m_failure->setVisible(failed);
    if (failed) {
        m_failure->setText(tr("<b>Failed at: %1</b><br>%2<br><br><b>Fix:</b> %3")
                                   .arg(s.layer.toHtmlEscaped(), s.message.toHtmlEscaped(),
                                        s.fix.toHtmlEscaped()));
    }
    m_again->setText(m_controller->liveMonitor()->isRunning() ? tr("&Stop") : tr("Check &again"));
    m_details->setPlainText(s.url + u'\n' + s.log.join(u'\n'));
}

} // namespace wmw
