// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/widgets/livechart.h"

#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace wmw {

LiveChart::LiveChart(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void LiveChart::setPoints(const QList<QPointF> &points)
{
    m_points = points;
    update();
}

void LiveChart::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF frame = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    p.setPen(QPen(palette().mid().color(), 1));
    p.setBrush(palette().base());
    p.drawRoundedRect(frame, 3, 3);
    if (m_points.isEmpty())
        return;

    auto [minY, maxY] =
            std::minmax_element(m_points.cbegin(), m_points.cend(),
                                [](const QPointF &a, const QPointF &b) { return a.y() < b.y(); });
    double low = minY->y();
    double high = maxY->y();
    QLocale locale;
    locale.setNumberOptions(QLocale::OmitGroupSeparator);
    const QString lowText = locale.toString(low, 'f', 1);
    const QString highText = locale.toString(high, 'f', 1);
    if (high - low < 1e-9) { // a flat line sits in the middle
        low -= 1;
        high += 1;
    }
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.8);
    p.setFont(small);
    const int labelWidth = std::max(p.fontMetrics().horizontalAdvance(lowText),
                                    p.fontMetrics().horizontalAdvance(highText))
                           + 6;
    const QRectF plot = frame.adjusted(4, 5, -labelWidth - 2, -5);
    const double x0 = m_points.constFirst().x();
    const double span = std::max(m_points.constLast().x() - x0, 1.0);

    QPainterPath line;
    for (qsizetype i = 0; i < m_points.size(); ++i) {
        const QPointF &pt = m_points.at(i);
        const QPointF at(plot.left() + (pt.x() - x0) / span * plot.width(),
                         plot.bottom() - (pt.y() - low) / (high - low) * plot.height());
        if (i == 0)
            line.moveTo(at);
        else
            line.lineTo(at);
    }
    // The Belchertown page's blue for current readings.
    const QColor blue(0x1f, 0x9b, 0xd7);
    p.setPen(QPen(blue, 1.8, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.setBrush(Qt::NoBrush);
    if (m_points.size() == 1)
        p.drawEllipse(line.currentPosition(), 2, 2);
    else
        p.drawPath(line);

    p.setPen(palette().placeholderText().color());
    p.drawText(QRectF(plot.right() + 2, frame.top() + 1, labelWidth, plot.height() / 2),
               Qt::AlignRight | Qt::AlignTop, highText);
    p.drawText(QRectF(plot.right() + 2, frame.center().y(), labelWidth, frame.height() / 2 - 2),
               Qt::AlignRight | Qt::AlignBottom, lowText);
}

} // namespace wmw
