// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWizard>

namespace wmw {

class WizardController;

/// The program's one window. Pages are thin: they show fields and branch in nextId();
/// side effects belong to the WizardController, never to a page.
class MainWizard : public QWizard
{
    Q_OBJECT
public:
    /// Page ids, in the order a user meets them. The names double as screenshot file names.
    enum Page {
        Welcome,
        PiConnection,
        Broker,
        Weewx,
        Review,
        Apply,
        LiveCheck,
        Diagnosis,
        Export,
        Done,
    };
    Q_ENUM(Page)

    /// The three jobs the welcome page offers.
    enum class Job {
        Provision,
        Diagnose,
        Export,
    };
    Q_ENUM(Job)

    /// With its own controller (secrets in the OS keychain, when the user allows it).
    explicit MainWizard(QWidget *parent = nullptr);
    /// With a given controller (tests give one with an in-memory secret store); not owned.
    explicit MainWizard(WizardController *controller, QWidget *parent = nullptr);
    ~MainWizard() override;

    WizardController *controller() const { return m_controller; }
    /// The job chosen on the welcome page.
    Job job() const;

    /// The page after `page` in the flow of the wizard's job:
    /// provision: Pi connection, Broker, WeeWX, Review, Apply, Live check, Done;
    /// diagnose: Pi connection, Diagnosis; export: Broker, WeeWX, Export.
    static int nextAfter(int page, const QWizard *wizard);

    /// File name (without extension) for a page, e.g. "welcome" or "pi-connection".
    static QString pageFileName(int pageId);

    /// Restores the window size, reopens the most recent profile and walks to the page the
    /// user was on; from then on, both are remembered when the window closes.
    void restoreSession();

    /// Cancel, Escape and closing the window: an apply or undo is first stopped (after the
    /// user agrees) and its sudo run on the Pi ended, or, past the point of no return, the
    /// window stays until the Pi has finished; a running diagnosis is cancelled.
    void reject() override;

protected:
    /// Return in a field never commits: on the review page the default button would start the
    /// apply on the Pi. Only a click on Apply (or Return on the focused button) does.
    void keyPressEvent(QKeyEvent *event) override;

private:
    void setUpPages();
    void setUpProfileMenu();
    void saveSession();

    WizardController *m_controller = nullptr;
    bool m_rememberSession = false;
    bool m_closeWhenSettled = false; // a cancelled apply's run on the Pi ends first
};

} // namespace wmw
