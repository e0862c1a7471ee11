// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/pages/diagnosispage.h"

#include "remote/diagnosis/report.h"
#include "remote/diagnosis/rules.h"
#include "wizard/diagnosisrun.h"
#include "wizard/mainwizard.h"
#include "wizard/pages/sshdialogs.h"
#include "wizard/welcomepage.h"
#include "wizard/widgets/chainwidget.h"
#include "wizard/widgets/detailslog.h"
#include "wizard/wizardcontroller.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPainter>
#include <QPainterPath>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <functional>

namespace wmw {

using diagnosis::Evidence;
using diagnosis::Finding;
using diagnosis::Severity;

namespace {

ChainLink::State chainState(Severity severity)
{
    switch (severity) {
    case Severity::Pass:
        return ChainLink::State::Ok;
    case Severity::Warn:
        return ChainLink::State::Active;
    case Severity::Fail:
        return ChainLink::State::Failed;
    case Severity::NotChecked:
        return ChainLink::State::Pending;
    }
    return ChainLink::State::Pending;
}

// A round badge in the chain's colours with a drawn mark (no font needs the glyph).
QIcon severityIcon(Severity severity)
{
    QPixmap pixmap(40, 40);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(ChainWidget::colorOf(chainState(severity)));
    p.drawEllipse(QRectF(2, 2, 36, 36));
    QPen pen(Qt::white, 4.5, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    switch (severity) {
    case Severity::Pass: {
        QPainterPath check;
        check.moveTo(11, 21);
        check.lineTo(17.5, 27.5);
        check.lineTo(29, 13.5);
        p.drawPath(check);
        break;
    }
    case Severity::Warn:
        p.drawLine(QPointF(20, 10), QPointF(20, 23));
        p.drawPoint(QPointF(20, 30));
        break;
    case Severity::Fail:
        p.drawLine(QPointF(13, 13), QPointF(27, 27));
        p.drawLine(QPointF(27, 13), QPointF(13, 27));
        break;
    case Severity::NotChecked:
        p.drawLine(QPointF(12, 20), QPointF(28, 20));
        break;
    }
    return QIcon(pixmap);
}

// The passwords the report knows, masked.
QString masked(const diagnosis::DiagnosisReport &report, QString text)
{
    for (const QString &secret : report.secrets) {
        if (secret.size() >= 3)
            text.replace(secret, QStringLiteral("••••••"));
    }
    return text;
}

// Evidence comes from the Pi: redacted as in the saved reports (URLs' passwords, hashes).
// A fix is the rules' own words, where "USER:PASSWORD" is a placeholder to keep.
QString clean(const diagnosis::DiagnosisReport &report, const QString &text)
{
    return masked(report, diagnosis::Rules::redact(text));
}

// A header row that expands or collapses its card when clicked.
class CardHeader : public QFrame
{
public:
    std::function<void()> clicked;

protected:
    void mouseReleaseEvent(QMouseEvent *) override
    {
        if (clicked)
            clicked();
    }
};

} // namespace

DiagnosisPage::DiagnosisPage(WizardController *controller, QWidget *parent)
    : QWizardPage(parent)
    , m_controller(controller)
{
    setTitle(tr("Diagnose the live page"));
    setSubTitle(tr("The wizard reads the Pi's files, services, ports and logs over SSH and "
                   "connects the way the Belchertown page does. Each finding names its cause, "
                   "shows the evidence and says how to fix it."));

    m_pageUrl = new QLineEdit;
    m_pageUrl->setObjectName(QStringLiteral("pageUrl"));
    m_pageUrl->setPlaceholderText(tr("optional, e.g. https://example.org/weather/"));
    m_pageUrl->setToolTip(tr("The page as visitors open it: an https page cannot use a plain "
                             "ws:// connection."));
    m_run = new QPushButton;
    m_run->setObjectName(QStringLiteral("diagnoseButton"));
    connect(m_run, &QPushButton::clicked, this, [this]() {
        DiagnosisRun *run = m_controller->diagnosisRun();
        if (run->isRunning())
            run->cancel();
        else
            m_controller->startDiagnosis(m_pageUrl->text().trimmed());
        showState();
    });
    auto *urlRow = new QHBoxLayout;
    auto *urlLabel = new QLabel(tr("Page &address:"));
    urlLabel->setBuddy(m_pageUrl);
    urlRow->addWidget(urlLabel);
    urlRow->addWidget(m_pageUrl, 1);
    urlRow->addWidget(m_run);

    m_busy = new QProgressBar;
    m_busy->setRange(0, 0);
    m_busy->setMaximumHeight(8);
    m_busy->setTextVisible(false);
    m_progress = new QLabel;
    m_progress->setObjectName(QStringLiteral("diagnosisProgress"));
    m_progress->setStyleSheet(QStringLiteral("color: #555;"));

    m_chain = new ChainWidget;

    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("diagnosisSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_findings = new QWidget;
    m_findings->setObjectName(QStringLiteral("findings"));
    m_findingsLayout = new QVBoxLayout(m_findings);
    m_findingsLayout->setContentsMargins(0, 0, 4, 0);
    m_findingsLayout->setSpacing(4);
    auto *scroll = new QScrollArea;
    scroll->setWidget(m_findings);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    m_save = new QPushButton(tr("&Save report…"));
    m_save->setObjectName(QStringLiteral("saveReport"));
    m_save->setToolTip(tr("Markdown (.md) or HTML (.html); passwords are masked."));
    connect(m_save, &QPushButton::clicked, this, &DiagnosisPage::saveReport);
    const DetailsLog details = makeDetailsLog(QStringLiteral("diagnosisLog"));
    m_detailsButton = details.button;
    m_details = details.log;
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_save);
    buttons->addWidget(m_detailsButton);
    buttons->addStretch();

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(urlRow);
    layout->addWidget(m_busy);
    layout->addWidget(m_progress);
    layout->addWidget(m_chain);
    layout->addWidget(m_summary);
    layout->addWidget(scroll, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_details);

    DiagnosisRun *run = m_controller->diagnosisRun();
    connect(run, &DiagnosisRun::stateChanged, this, &DiagnosisPage::showState);
    connect(run, &DiagnosisRun::progress, this, [this](const QString &step) {
        m_progress->setText(step);
        m_details->setPlainText(m_controller->diagnosisRun()->log().join(u'\n'));
    });
    connect(run, &DiagnosisRun::finished, this, &DiagnosisPage::showReport);
    connect(run, &DiagnosisRun::hostKeyUnknown, this, [this](const ssh::HostKeyInfo &info) {
        auto *dialog = new HostKeyDialog(info, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QDialog::finished, this, [this](int result) {
            if (result == QDialog::Accepted)
                m_controller->diagnosisRun()->acceptHostKey();
            else
                m_controller->diagnosisRun()->refuseHostKey();
        });
        dialog->open();
    });
    connect(run, &DiagnosisRun::credentialRequested, this,
            [this](const ssh::CredentialRequest &request) {
                auto *dialog = new CredentialDialog(request, this);
                dialog->setAttribute(Qt::WA_DeleteOnClose);
                connect(dialog, &QDialog::finished, this, [this, dialog](int result) {
                    if (result == QDialog::Accepted)
                        m_controller->diagnosisRun()->provideCredential(dialog->answers());
                    else
                        m_controller->diagnosisRun()->refuseCredential();
                });
                dialog->open();
            });
    showState();
    showReport();
}

void DiagnosisPage::initializePage()
{
    m_jumpTo = -1;
    m_controller->startDiagnosis(m_pageUrl->text().trimmed());
    showState();
}

void DiagnosisPage::cleanupPage()
{
    m_controller->diagnosisRun()->cancel();
}

int DiagnosisPage::nextId() const
{
    // "Fix it" goes on into the provisioning flow; otherwise this is the diagnosis's last page.
    return m_jumpTo >= 0 ? m_jumpTo : MainWizard::nextAfter(MainWizard::Diagnosis, wizard());
}

void DiagnosisPage::showState()
{
    const DiagnosisRun *run = m_controller->diagnosisRun();
    const bool running = run->isRunning();
    m_run->setText(running ? tr("&Cancel") : tr("&Diagnose again"));
    m_busy->setVisible(running);
    m_progress->setVisible(running || run->state() == DiagnosisRun::State::Cancelled);
    m_save->setEnabled(!running && !run->report().findings.isEmpty());
    if (running) {
        QList<ChainLink> chain = LiveStatus::initial().chain;
        chain[LiveStatus::Laptop].state = ChainLink::State::Active;
        m_chain->setLinks(chain);
        m_summary->setText(tr("Diagnosing…"));
        m_summary->setStyleSheet(QStringLiteral("QLabel { padding: 8px; color: #555; }"));
        if (run->log().isEmpty())
            m_progress->setText(tr("Starting…"));
    } else if (run->state() == DiagnosisRun::State::Cancelled) {
        m_progress->setText(tr("The diagnosis was cancelled."));
    }
}

void DiagnosisPage::showReport()
{
    const DiagnosisRun *run = m_controller->diagnosisRun();
    const diagnosis::DiagnosisReport &report = run->report();
    m_details->setPlainText(run->log().join(u'\n'));
    while (QLayoutItem *item = m_findingsLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    showState();
    if (run->isRunning())
        return;
    if (report.findings.isEmpty()) {
        m_chain->setLinks(LiveStatus::initial().chain);
        m_summary->clear();
        m_summary->setStyleSheet({});
        m_findingsLayout->addStretch();
        return;
    }
    m_chain->setLinks(DiagnosisRun::chainOf(report));

    QString summary = clean(report, diagnosis::ReportWriter::summary(report));
    if (report.live.receiving()) {
        QStringList values;
        for (const mqtt::Reading &r : report.live.readings)
            values << QStringLiteral("%1 %2 %3").arg(r.observation, r.text, r.unit).trimmed();
        summary += u'\n' + tr("Readings: %1").arg(values.join(QStringLiteral(" · ")));
    }
    m_summary->setText(summary);
    const Severity verdict = report.verdict();
    m_summary->setStyleSheet(
            verdict == Severity::Fail
                    ? QStringLiteral("QLabel { background: #fdecea; border: 1px solid #f5c2c0; "
                                     "border-radius: 4px; padding: 8px; color: #5f2120; }")
            : verdict == Severity::Warn
                    ? QStringLiteral("QLabel { background: #fff4e5; border: 1px solid #f5d7a1; "
                                     "border-radius: 4px; padding: 8px; color: #663c00; }")
                    : QStringLiteral("QLabel { background: #edf7ed; border: 1px solid #b7dfb9; "
                                     "border-radius: 4px; padding: 8px; color: #1e4620; }"));

    // Failures first, then warnings; what passed (or could not be checked) in one folded list.
    for (Severity severity : {Severity::Fail, Severity::Warn}) {
        for (const Finding &f : report.withSeverity(severity))
            m_findingsLayout->addWidget(findingCard(f));
    }
    const QList<Finding> passed = report.withSeverity(Severity::Pass);
    const QList<Finding> notChecked = report.withSeverity(Severity::NotChecked);
    if (!passed.isEmpty() || !notChecked.isEmpty()) {
        auto *toggle = new QToolButton;
        toggle->setObjectName(QStringLiteral("passedChecks"));
        toggle->setCheckable(true);
        toggle->setAutoRaise(true);
        toggle->setArrowType(Qt::RightArrow);
        toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        QString text = tr("%n check(s) passed", nullptr, int(passed.size()));
        if (!notChecked.isEmpty())
            text += tr(", %n not checked", nullptr, int(notChecked.size()));
        toggle->setText(text);
        QString html;
        for (const Finding &f : passed)
            html += QStringLiteral("✓ %1<br>").arg(clean(report, f.title).toHtmlEscaped());
        for (const Finding &f : notChecked) {
            const QString why = f.evidence.isEmpty() ? QString() : f.evidence.first().text;
            html += QStringLiteral("– %1 <span style='color:#777'>(%2)</span><br>")
                            .arg(clean(report, f.title).toHtmlEscaped(),
                                 clean(report, why).toHtmlEscaped());
        }
        auto *list = new QLabel(html);
        list->setObjectName(QStringLiteral("passedList"));
        list->setWordWrap(true);
        list->setTextFormat(Qt::RichText);
        list->setContentsMargins(24, 0, 0, 0);
        list->setVisible(false);
        connect(toggle, &QToolButton::toggled, list, [toggle, list](bool on) {
            list->setVisible(on);
            toggle->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
        });
        m_findingsLayout->addWidget(toggle);
        m_findingsLayout->addWidget(list);
    }
    m_findingsLayout->addStretch();
}

QWidget *DiagnosisPage::findingCard(const Finding &finding)
{
    const diagnosis::DiagnosisReport &report = m_controller->diagnosisRun()->report();
    auto *card = new QFrame;
    card->setObjectName(u"finding:" + finding.id);
    card->setFrameShape(QFrame::StyledPanel);
    card->setAccessibleName(diagnosis::FindingText::severityText(finding.severity) + u": "
                            + finding.title);

    auto *header = new CardHeader;
    header->setCursor(Qt::PointingHandCursor);
    auto *arrow = new QToolButton;
    arrow->setObjectName(QStringLiteral("expand"));
    arrow->setAutoRaise(true);
    arrow->setCheckable(true);
    arrow->setArrowType(Qt::RightArrow);
    arrow->setAccessibleName(tr("Evidence and fix"));
    auto *icon = new QLabel;
    icon->setObjectName(QStringLiteral("severity"));
    icon->setPixmap(severityIcon(finding.severity).pixmap(18, 18));
    icon->setToolTip(diagnosis::FindingText::severityText(finding.severity));
    icon->setProperty("severity", diagnosis::FindingText::severityId(finding.severity));
    auto *title = new QLabel(clean(report, finding.title));
    title->setObjectName(QStringLiteral("title"));
    title->setWordWrap(true);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    auto *headerLayout = new QHBoxLayout(header);
    headerLayout->setContentsMargins(2, 2, 6, 2);
    headerLayout->addWidget(arrow);
    headerLayout->addWidget(icon);
    headerLayout->addWidget(title, 1);

    // Evidence as the file and line, the log or the command it came from; then the fix.
    QString html = QStringLiteral("<table cellspacing='0' cellpadding='1'>");
    for (const Evidence &e : finding.evidence) {
        QString where = e.source;
        if (e.line > 0)
            where += u':' + QString::number(e.line);
        html += QStringLiteral("<tr><td style='color:#666; white-space:pre'>%1</td></tr>"
                               "<tr><td style='font-family:monospace; padding-left:12px'>%2"
                               "</td></tr>")
                        .arg(where.toHtmlEscaped(),
                             clean(report, e.text)
                                     .toHtmlEscaped()
                                     .replace(u'\n', QStringLiteral("<br>")));
    }
    html += QStringLiteral("</table>");
    if (!finding.fix.isEmpty())
        html += QStringLiteral("<p><b>%1</b> %2</p>")
                        .arg(tr("Fix:").toHtmlEscaped(),
                             masked(report, finding.fix).toHtmlEscaped());
    if (finding.fixIt)
        html += QStringLiteral("<p><a href='fixit:%1'>%2</a></p>")
                        .arg(finding.id.toHtmlEscaped(), fixItText(finding).toHtmlEscaped());
    auto *body = new QLabel(html);
    body->setObjectName(QStringLiteral("body"));
    body->setTextFormat(Qt::RichText);
    body->setWordWrap(true);
    body->setTextInteractionFlags(Qt::TextBrowserInteraction);
    body->setContentsMargins(30, 0, 6, 6);
    connect(body, &QLabel::linkActivated, this, [this](const QString &link) {
        if (link.startsWith(u"fixit:"))
            fixIt(link.mid(6));
    });

    auto setExpanded = [arrow, body](bool on) {
        arrow->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
        body->setVisible(on);
    };
    connect(arrow, &QToolButton::toggled, body, setExpanded);
    header->clicked = [arrow]() {
        arrow->toggle();
    };
    // A failure opens with its evidence; a warning waits for a click.
    arrow->setChecked(finding.severity == Severity::Fail);
    setExpanded(arrow->isChecked());

    auto *layout = new QVBoxLayout(card);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(header);
    layout->addWidget(body);
    return card;
}

int DiagnosisPage::pageOfField(const QString &field)
{
    const QString section = field.section(u'.', 0, 0);
    if (section == u"pi")
        return MainWizard::PiConnection;
    if (section == u"weewx" || section == u"page")
        return MainWizard::Weewx;
    // broker, users, topics, paths, and "provision again with the current settings".
    return MainWizard::Broker;
}

QString DiagnosisPage::widgetOfField(const QString &field)
{
    static const QHash<QString, QString> widgets = {
            {QStringLiteral("pi.host"), QStringLiteral("piHost")},
            {QStringLiteral("pi.sshPort"), QStringLiteral("sshPort")},
            {QStringLiteral("pi.sshUser"), QStringLiteral("sshUser")},
            {QStringLiteral("broker.mqttPort"), QStringLiteral("mqttPort")},
            {QStringLiteral("broker.websocketPort"), QStringLiteral("websocketPort")},
            {QStringLiteral("broker.anonymous"), QStringLiteral("anonymousPolicy")},
            {QStringLiteral("users.publish"), QStringLiteral("publishUser")},
            {QStringLiteral("users.web"), QStringLiteral("webUser")},
            {QStringLiteral("topics.root"), QStringLiteral("topic")},
            {QStringLiteral("topics.extra"), QStringLiteral("extraTopics")},
            {QStringLiteral("weewx.serverUrlHost"), QStringLiteral("serverUrlHost")},
            {QStringLiteral("page.host"), QStringLiteral("pageHost")},
            {QStringLiteral("page.port"), QStringLiteral("pagePort")},
            {QStringLiteral("page.topic"), QStringLiteral("pageTopic")},
            {QStringLiteral("page.ssl"), QStringLiteral("pageSsl")},
            {QStringLiteral("page.visitorDisconnectMs"), QStringLiteral("visitorDisconnect")},
    };
    return widgets.value(field);
}

QString DiagnosisPage::fixItText(const Finding &finding) const
{
    int target = MainWizard::Broker;
    QStringList settings;
    if (finding.fixIt && !finding.fixIt->fields.isEmpty()) {
        target = MainWizard::Export;
        for (auto it = finding.fixIt->fields.cbegin(); it != finding.fixIt->fields.cend(); ++it) {
            target = qMin(target, pageOfField(it.key()));
            const QString value = it.value().toString();
            settings << (value.isEmpty() || value == u"0"
                                 ? tr("%1 derived").arg(it.key())
                                 : QStringLiteral("%1 = %2").arg(it.key(), value));
        }
    }
    const QWizardPage *page = wizard() ? wizard()->page(target) : nullptr;
    const QString name = page ? page->title() : QString();
    if (settings.isEmpty())
        return tr("Fix it: provision again (from \"%1\")").arg(name);
    return tr("Fix it: provision again with %1 (\"%2\")")
            .arg(settings.join(QStringLiteral(", ")), name);
}

void DiagnosisPage::fixIt(const QString &findingId)
{
    const diagnosis::DiagnosisReport &report = m_controller->diagnosisRun()->report();
    const auto it = std::find_if(report.findings.cbegin(), report.findings.cend(),
                                 [&findingId](const Finding &f) { return f.id == findingId; });
    if (it == report.findings.cend() || !it->fixIt || !wizard())
        return;
    const QVariantMap fields = it->fixIt->fields;
    if (const QString error = m_controller->applyFixHint(fields); !error.isEmpty()) {
        QMessageBox::warning(this, tr("Fix it"), error);
        return;
    }
    // The earliest provisioning page that holds one of the fields, and the first of its
    // fields there to focus.
    int target = fields.isEmpty() ? int(MainWizard::Broker) : int(MainWizard::Export);
    QString focus;
    for (auto f = fields.cbegin(); f != fields.cend(); ++f) {
        const int page = pageOfField(f.key());
        if (page < target) {
            target = page;
            focus = widgetOfField(f.key());
        }
    }
    // From here on the user provisions: the pages after the target follow the provision flow.
    if (auto *welcome = qobject_cast<WelcomePage *>(wizard()->page(MainWizard::Welcome)))
        welcome->setJob(MainWizard::Job::Provision);
    if (wizard()->visitedIds().contains(target)) {
        // QWizard refuses to go forward to a page already met: go back to it instead.
        while (wizard()->currentId() != target && wizard()->currentId() != MainWizard::Welcome)
            wizard()->back();
    } else {
        m_jumpTo = target;
        wizard()->next();
        m_jumpTo = -1;
    }
    if (QWidget *widget = wizard()->currentPage()->findChild<QWidget *>(focus);
        widget && !focus.isEmpty())
        widget->setFocus(Qt::OtherFocusReason);
}

void DiagnosisPage::saveReport()
{
    const diagnosis::DiagnosisReport &report = m_controller->diagnosisRun()->report();
    const QString name =
            QStringLiteral("diagnosis-%1-%2.md")
                    .arg(report.hostname.isEmpty() ? report.host : report.hostname,
                         report.time.toUTC().toString(QStringLiteral("yyyyMMdd-HHmm")));
    QString selected;
    QString path = QFileDialog::getSaveFileName(this, tr("Save report"), name,
                                                tr("Markdown (*.md);;HTML (*.html)"), &selected);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += selected.contains(u"html") ? QStringLiteral(".html") : QStringLiteral(".md");
    if (const QString error = m_controller->diagnosisRun()->saveReport(path); !error.isEmpty())
        QMessageBox::warning(this, tr("Save report"), error);
}

} // namespace wmw
