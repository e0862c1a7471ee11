// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "wizard/provisioningstatus.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

namespace wmw {

class WizardController;

/// The side effects behind the review, apply and done pages: a dry run of the Provisioner for
/// the plan, the apply itself, and an undo, each over the session the connection test opened.
/// Keeps a PlanStatus and two RunStatus for the pages (a row per step, a log with every
/// password masked). Owned by the WizardController.
class ProvisioningFlow : public QObject
{
    Q_OBJECT
public:
    explicit ProvisioningFlow(WizardController *controller);
    ~ProvisioningFlow() override;

    /// Reads the Pi's files and plans (changes nothing); planChanged() follows.
    void makePlan();
    const PlanStatus &planStatus() const { return m_plan; }

    /// Whether the apply installs weewx-mqtt when it is missing (the review page's offer).
    void setInstallExtension(bool install);
    bool installExtension() const { return m_installExtension; }
    /// Applies the profile on the Pi; applyChanged() follows for every step.
    void apply();
    /// True when it stopped the apply; false once the Pi applies on its own.
    bool cancelApply();

    /// An apply or undo runs: closing the window must wait or cancel.
    bool isRunning() const;
    /// The running apply or undo can no longer be stopped: the Pi finishes or rolls back alone.
    bool isPastPointOfNoReturn() const;
    /// Stops the running apply or undo before the point of no return (false after it, or when
    /// nothing runs). settled() follows once the apply's sudo run on the Pi has ended (and
    /// weewx.conf is back as before a weewx-mqtt install).
    bool cancelAndSettle();
    const RunStatus &applyStatus() const { return m_apply; }

    /// Restores the backup of the last apply; undoChanged() follows for every step.
    void undo();
    const RunStatus &undoStatus() const { return m_undo; }

    /// The command that restores this apply's backup without the wizard.
    QString undoCommand() const;

    /// Show a state without any network (the screenshots' demo state).
    void presentPlan(const PlanStatus &status);
    void presentApply(const RunStatus &status);

    /// The commands an apply of `plan` runs, as a user would type them (pure).
    static QStringList commandsFor(const config::StationProfile &profile, const config::Plan &plan,
                                   bool installExtension);

signals:
    void planChanged();
    void applyChanged();
    void undoChanged();
    /// After cancelAndSettle(): nothing of the run is left on the Pi; the session may be closed.
    void settled();

private:
    enum class Run { Apply, Undo };
    provisioning::Provisioner *startProvisioner(RunStatus &target, Run run);
    void onStep(Run run, const QString &text);
    void onLine(Run run, const provisioning::ProgressLine &line);
    void onFinished(Run run);
    void onPlanFinished();
    void changed(Run run);
    RunStatus &status(Run run) { return run == Run::Apply ? m_apply : m_undo; }
    QString masked(QString text) const;

    WizardController *m_controller = nullptr;
    QPointer<provisioning::Provisioner> m_planner;
    QPointer<provisioning::Provisioner> m_applier;
    QPointer<provisioning::Provisioner> m_undoer;
    QElapsedTimer m_clock;
    PlanStatus m_plan;
    RunStatus m_apply;
    RunStatus m_undo;
    bool m_installExtension = true;
    bool m_lineStep = false; // the next step() describes the progress line just seen
    RunStatus::StepState m_lineState = RunStatus::StepState::Done;
};

} // namespace wmw
