// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QWizardPage>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QToolButton;

namespace wmw {

class ChainWidget;
class LiveChart;
class WizardController;

/// Connects as the Belchertown page does and shows what its visitors would see: the page's
/// status line, the live readings with a chart since the check began, and above them the
/// connection chain with the link that broke and why; on failure the layer, reason and fix.
class LiveCheckPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit LiveCheckPage(WizardController *controller, QWidget *parent = nullptr);

    void initializePage() override;
    void cleanupPage() override;
    int nextId() const override;

private:
    void showStatus();

    struct Tile
    {
        QLabel *value = nullptr;
        QLabel *detail = nullptr;
        LiveChart *chart = nullptr;
    };

    WizardController *m_controller = nullptr;
    QLabel *m_banner = nullptr;
    ChainWidget *m_chain = nullptr;
    QList<Tile> m_tiles;
    QLabel *m_failure = nullptr;
    QPushButton *m_again = nullptr;
    QToolButton *m_detailsButton = nullptr;
    QPlainTextEdit *m_details = nullptr;
};

} // namespace wmw
