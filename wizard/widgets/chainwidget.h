// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "wizard/livestatus.h"

#include <QWidget>

namespace wmw {

/// The connection drawn as a chain a user reads at a glance: this laptop -> name -> TCP port
/// -> websocket -> MQTT login -> subscription -> data <- broker <- WeeWX. Each link is grey
/// (not reached), amber (in progress or unproven), green (passed) or red (broken), and the
/// broken link's reason is written under the chain.
class ChainWidget : public QWidget
{
    Q_OBJECT
public:
    explicit ChainWidget(QWidget *parent = nullptr);

    void setLinks(const QList<ChainLink> &links);
    const QList<ChainLink> &links() const { return m_links; }
    /// The text under the chain: "<link>: <reason>" of the broken link, empty when none.
    QString failureText() const;

    static QColor colorOf(ChainLink::State state);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QRect reasonRect(int width) const;

    QList<ChainLink> m_links;
};

} // namespace wmw
