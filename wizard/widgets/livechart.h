// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QPointF>
#include <QWidget>

namespace wmw {

/// A small line chart of one reading since the live check began (x: seconds, y: value),
/// scaled to its own range, with the lowest and highest value written at the side.
class LiveChart : public QWidget
{
    Q_OBJECT
public:
    explicit LiveChart(QWidget *parent = nullptr);

    void setPoints(const QList<QPointF> &points);
    const QList<QPointF> &points() const { return m_points; }

    QSize sizeHint() const override { return QSize(140, 44); }
    QSize minimumSizeHint() const override { return QSize(80, 36); }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<QPointF> m_points;
};

} // namespace wmw
