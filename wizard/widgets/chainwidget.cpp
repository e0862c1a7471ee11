// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/widgets/chainwidget.h"

#include <QPainter>
#include <QPainterPath>

namespace wmw {

namespace {
constexpr int kMargin = 8;
constexpr int kRadius = 9;
constexpr int kNodeY = kMargin + kRadius;
constexpr int kLabelTop = kNodeY + kRadius + 6;
// Data is reached from both ends: the laptop's connection, and the broker carrying what WeeWX
// publishes. Segments after it point backwards.
constexpr int kMeetingLink = LiveStatus::Data;
} // namespace

ChainWidget::ChainWidget(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("chain"));
    setLinks(LiveStatus::initial().chain);
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

QColor ChainWidget::colorOf(ChainLink::State state)
{
    switch (state) {
    case ChainLink::State::Pending:
        return QColor(0xb8, 0xb8, 0xb8);
    case ChainLink::State::Active:
        return QColor(0xf0, 0xad, 0x00); // the page's "connecting" dot
    case ChainLink::State::Ok:
        return QColor(0x21, 0xa0, 0x3c); // the page's "data received" dot
    case ChainLink::State::Failed:
        return QColor(0xdc, 0x1e, 0x1e); // the page's "failed" dot
    }
    return Qt::gray;
}

void ChainWidget::setLinks(const QList<ChainLink> &links)
{
    m_links = links;
    QStringList summary;
    for (const ChainLink &link : links) {
        static const char *const marks[] = {"…", "?", "✓", "✗"};
        summary << QString::fromUtf8(marks[int(link.state)]) + u' ' + link.name;
    }
    setAccessibleName(tr("Connection chain"));
    setAccessibleDescription(summary.join(u", ") + u". " + failureText());
    setToolTip(failureText());
    updateGeometry();
    update();
}

QString ChainWidget::failureText() const
{
    for (const ChainLink &link : m_links) {
        if (link.state == ChainLink::State::Failed)
            return tr("%1: %2").arg(link.name, link.reason);
    }
    return {};
}

QRect ChainWidget::reasonRect(int width) const
{
    const QString text = failureText();
    if (text.isEmpty())
        return {};
    const int top = kLabelTop + 2 * fontMetrics().height() + 8;
    const QRect bounds = fontMetrics().boundingRect(QRect(kMargin, top, width - 2 * kMargin, 2000),
                                                    Qt::TextWordWrap, text);
    return QRect(kMargin, top, width - 2 * kMargin, bounds.height());
}

int ChainWidget::heightForWidth(int width) const
{
    const QRect reason = reasonRect(width);
    const int labels = kLabelTop + 2 * fontMetrics().height() + kMargin;
    return reason.isNull() ? labels : reason.bottom() + kMargin;
}

QSize ChainWidget::sizeHint() const
{
    return QSize(640, heightForWidth(640));
}

QSize ChainWidget::minimumSizeHint() const
{
    return QSize(420, heightForWidth(420));
}

void ChainWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const int n = int(m_links.size());
    if (n < 2)
        return;
    const double step = double(width() - 2 * kMargin) / n;
    auto centre = [step](int i) {
        return QPointF(kMargin + step * (i + 0.5), kNodeY);
    };

    // Segments, with an arrowhead pointing the way the data or the connection goes.
    for (int i = 0; i + 1 < n; ++i) {
        const bool backwards = i >= kMeetingLink;
        const int target = backwards ? i : i + 1;
        const QColor color = colorOf(m_links.at(target).state);
        QPointF from = centre(i) + QPointF(kRadius + 3, 0);
        QPointF to = centre(i + 1) - QPointF(kRadius + 3, 0);
        if (backwards)
            std::swap(from, to);
        p.setPen(QPen(color, 2.5, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(from, to);
        const double dir = to.x() > from.x() ? 1 : -1;
        QPainterPath head;
        head.moveTo(to);
        head.lineTo(to - QPointF(dir * 7, 4));
        head.lineTo(to - QPointF(dir * 7, -4));
        head.closeSubpath();
        p.fillPath(head, color);
    }

    // Nodes with their names and details.
    QFont bold = font();
    bold.setBold(true);
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.85);
    for (int i = 0; i < n; ++i) {
        const ChainLink &link = m_links.at(i);
        const QColor color = colorOf(link.state);
        p.setPen(QPen(color.darker(115), 1.5));
        p.setBrush(link.state == ChainLink::State::Pending ? palette().base().color() : color);
        p.drawEllipse(centre(i), kRadius, kRadius);
        p.setPen(Qt::white);
        p.setFont(bold);
        const char *mark = link.state == ChainLink::State::Ok       ? "✓"
                           : link.state == ChainLink::State::Failed ? "✗"
                                                                    : "";
        p.drawText(QRectF(centre(i) - QPointF(kRadius, kRadius), QSizeF(2 * kRadius, 2 * kRadius)),
                   Qt::AlignCenter, QString::fromUtf8(mark));

        const QRectF nameRect(centre(i).x() - step / 2, kLabelTop, step, fontMetrics().height());
        p.setPen(link.state == ChainLink::State::Failed ? color : palette().text().color());
        p.setFont(link.state == ChainLink::State::Failed ? bold : font());
        p.drawText(nameRect, Qt::AlignHCenter | Qt::AlignTop,
                   p.fontMetrics().elidedText(link.name, Qt::ElideRight, int(step) - 2));
        p.setFont(small);
        p.setPen(palette().placeholderText().color());
        const QRectF detailRect = nameRect.translated(0, fontMetrics().height());
        p.drawText(detailRect, Qt::AlignHCenter | Qt::AlignTop,
                   p.fontMetrics().elidedText(link.detail, Qt::ElideMiddle, int(step) - 2));
    }

    const QRect reason = reasonRect(width());
    if (!reason.isNull()) {
        p.setFont(font());
        p.setPen(colorOf(ChainLink::State::Failed));
        p.drawText(reason, Qt::TextWordWrap, failureText());
    }
}

} // namespace wmw
