// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "remote/diagnosis/finding.h"

#include <QVariantMap>
#include <QWizardPage>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QToolButton;
class QVBoxLayout;

namespace wmw {

class ChainWidget;
class WizardController;

/// Diagnoses a failing live page: runs the controller's diagnosis (cancellable, with its
/// progress), then draws the connection chain with the links the findings break, and lists
/// the findings with severity icons, expandable evidence and fix, and "fix it" links that
/// jump to the provisioning page holding the field to change. "Save report…" writes Markdown
/// or HTML.
class DiagnosisPage : public QWizardPage
{
    Q_OBJECT
public:
    explicit DiagnosisPage(WizardController *controller, QWidget *parent = nullptr);

    void initializePage() override;
    void cleanupPage() override;
    int nextId() const override;

    /// The provisioning page that holds a profile field ("page.host" -> Weewx), and the
    /// object name of its widget there.
    static int pageOfField(const QString &field);
    static QString widgetOfField(const QString &field);
    /// Applies the finding's "fix it" hint and goes to the page of its first field.
    void fixIt(const QString &findingId);

private:
    void showState();
    void showReport();
    void saveReport();
    QWidget *findingCard(const diagnosis::Finding &finding);
    QString fixItText(const diagnosis::Finding &finding) const;

    WizardController *m_controller = nullptr;
    QLineEdit *m_pageUrl = nullptr;
    QPushButton *m_run = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_progress = nullptr;
    ChainWidget *m_chain = nullptr;
    QLabel *m_summary = nullptr;
    QWidget *m_findings = nullptr;
    QVBoxLayout *m_findingsLayout = nullptr;
    QPushButton *m_save = nullptr;
    QToolButton *m_detailsButton = nullptr;
    QPlainTextEdit *m_details = nullptr;
    int m_jumpTo = -1;
};

} // namespace wmw
