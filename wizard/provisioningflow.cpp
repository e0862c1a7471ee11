// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/provisioningflow.h"

#include "config/generate.h"
#include "wizard/connectiontest.h"
#include "wizard/logging.h"
#include "wizard/wizardcontroller.h"

namespace wmw {

using provisioning::ApplyProtocol;
using provisioning::ProgressLine;
using provisioning::Provisioner;
using StepState = RunStatus::StepState;

ProvisioningFlow::ProvisioningFlow(WizardController *controller)
    : QObject(controller)
    , m_controller(controller)
{ }

ProvisioningFlow::~ProvisioningFlow() = default;

QString ProvisioningFlow::masked(QString text) const
{
    // Defence in depth: no step text holds a secret, but a log line of mosquitto's or an
    // error of sudo's is the Pi's text, not ours.
    const config::Secrets &s = m_controller->secrets();
    for (const QString &secret :
         {s.publishPassword, s.webPassword, s.sshPassword, s.sudoPassword}) {
        if (!secret.isEmpty())
            text.replace(secret, QString::fromUtf8(config::redaction::mask()));
    }
    return text;
}

QStringList ProvisioningFlow::commandsFor(const config::StationProfile &profile,
                                          const config::Plan &plan, bool installExtension)
{
    QStringList commands;
    if (installExtension)
        commands << QStringLiteral("sudo weectl extension install --yes ")
                            + ApplyProtocol::extensionUrl();
    bool mosquitto = false;
    bool weewx = false;
    for (const config::FilePlan &file : plan.files()) {
        if (file.action == config::FileAction::Unchanged)
            continue;
        if (config::Generate::readerOf(profile, file.wanted.path)
            == config::Generate::Reader::Weewx)
            weewx = true;
        else
            mosquitto = true;
    }
    // apply.sh restarts a unit only when a file it reads changes (manual-procedure.md step 7).
    if (mosquitto)
        commands << QStringLiteral("sudo systemctl restart mosquitto");
    if (weewx)
        commands << QStringLiteral("sudo systemctl restart weewx");
    return commands;
}

// --- plan ----------------------------------------------------------------------------------

void ProvisioningFlow::makePlan()
{
    if (m_controller->isOffline())
        return;
    if (m_planner)
        m_planner->deleteLater();
    ssh::SshSession *session = m_controller->connectionTest()->session();
    m_plan = PlanStatus();
    if (!session) {
        m_plan.state = PlanStatus::State::Failed;
        m_plan.message = tr("Not connected to the Pi: use \"Test connection\" on the Pi "
                            "connection page first. The plan is made from the Pi's own files.");
        emit planChanged();
        return;
    }
    m_plan.state = PlanStatus::State::Reading;
    m_plan.message = tr("Reading the Pi's current files…");
    m_planner = new Provisioner(session, this);
    connect(m_planner, &Provisioner::step, this, [this](const QString &text) {
        m_plan.message = masked(text);
        emit planChanged();
    });
    connect(m_planner, &Provisioner::finished, this, &ProvisioningFlow::onPlanFinished);
    Provisioner::Options options;
    options.dryRun = true;
    options.verify = false;
    m_planner->apply(m_controller->profile(), m_controller->secrets(), options);
    emit planChanged();
}

void ProvisioningFlow::onPlanFinished()
{
    Provisioner *planner = m_planner;
    if (!planner || sender() != planner)
        return;
    if (planner->state() != Provisioner::State::Succeeded) {
        m_plan.state = PlanStatus::State::Failed;
        m_plan.message = masked(planner->errorString());
        emit planChanged();
        return;
    }
    const config::StationProfile &profile = m_controller->profile();
    m_plan.state = PlanStatus::State::Ready;
    m_plan.plan = planner->plan();
    m_plan.warnings.clear();
    m_plan.extensionMissing = false;
    for (const QString &note : planner->notes()) {
        // The dry run's note that weewx-mqtt is missing names the archive it installs from.
        if (note.contains(ApplyProtocol::extensionUrl()))
            m_plan.extensionMissing = true;
        else
            m_plan.warnings << masked(note);
    }
    m_plan.hasPiWeewxConf = false;
    m_plan.piWeewxConf.clear();
    for (const config::FilePlan &file : m_plan.plan.files()) {
        if (file.wanted.path == profile.weewxConfPath && file.current.exists) {
            m_plan.piWeewxConf = file.current.bytes;
            m_plan.hasPiWeewxConf = true;
        }
    }
    m_plan.commands =
            commandsFor(profile, m_plan.plan, m_plan.extensionMissing && m_installExtension);
    m_plan.message = m_plan.plan.changesNothing()
                             ? tr("Every file on the Pi is already as planned.")
                             : tr("Read from the Pi. Nothing has been changed yet.");
    qCInfo(lcWizard) << "plan ready:" << m_plan.plan.files().size() << "files";
    emit planChanged();
}

void ProvisioningFlow::setInstallExtension(bool install)
{
    m_installExtension = install;
    if (m_plan.state == PlanStatus::State::Ready) {
        m_plan.commands = commandsFor(m_controller->profile(), m_plan.plan,
                                      m_plan.extensionMissing && install);
        emit planChanged();
    }
}

void ProvisioningFlow::presentPlan(const PlanStatus &status)
{
    m_plan = status;
    emit planChanged();
}

// --- apply and undo ------------------------------------------------------------------------

Provisioner *ProvisioningFlow::startProvisioner(RunStatus &target, Run run)
{
    target = RunStatus();
    ssh::SshSession *session = m_controller->connectionTest()->session();
    if (!session) {
        target.state = RunStatus::State::Failed;
        target.error = Provisioner::Error::Ssh;
        target.result = tr("Not connected to the Pi: use \"Test connection\" on the Pi "
                           "connection page first.");
        changed(run);
        return nullptr;
    }
    target.state = RunStatus::State::Running;
    m_clock.start();
    auto *provisioner = new Provisioner(session, this);
    connect(provisioner, &Provisioner::step, this,
            [this, run](const QString &text) { onStep(run, text); });
    connect(provisioner, &Provisioner::progressLine, this,
            [this, run](const ProgressLine &line) { onLine(run, line); });
    connect(provisioner, &Provisioner::stateChanged, this, [this, run](Provisioner::State state) {
        RunStatus &s = status(run);
        if (state == Provisioner::State::InstallingExtension)
            s.extensionInstalled = true; // the next step confirms
        s.installingExtension = state == Provisioner::State::InstallingExtension;
        // weectl changing the Pi cannot be stopped either; reading after it can again.
        const bool noReturn = state == Provisioner::State::InstallingExtension
                              || state == Provisioner::State::Applying;
        if (noReturn && s.state == RunStatus::State::Running) {
            s.state = RunStatus::State::PastPointOfNoReturn;
            changed(run);
        } else if (state == Provisioner::State::Reading
                   && s.state == RunStatus::State::PastPointOfNoReturn) {
            s.state = RunStatus::State::Running;
            changed(run);
        }
    });
    connect(provisioner, &Provisioner::planReady, this,
            [this, run, provisioner] { status(run).plan = provisioner->plan(); });
    connect(provisioner, &Provisioner::finished, this, [this, run] { onFinished(run); });
    return provisioner;
}

void ProvisioningFlow::apply()
{
    if (m_controller->isOffline() || (m_applier && !m_apply.isFinished()))
        return;
    if (m_applier)
        m_applier->deleteLater();
    m_applier = startProvisioner(m_apply, Run::Apply);
    if (!m_applier)
        return;
    Provisioner::Options options;
    options.installExtension = m_installExtension;
    m_applier->apply(m_controller->profile(), m_controller->secrets(), options);
    changed(Run::Apply);
}

bool ProvisioningFlow::cancelApply()
{
    return m_applier && m_applier->cancel();
}

bool ProvisioningFlow::isRunning() const
{
    return (m_applier && !m_apply.isFinished() && m_apply.state != RunStatus::State::Idle)
           || (m_undoer && !m_undo.isFinished() && m_undo.state != RunStatus::State::Idle);
}

bool ProvisioningFlow::isPastPointOfNoReturn() const
{
    return m_apply.state == RunStatus::State::PastPointOfNoReturn
           || m_undo.state == RunStatus::State::PastPointOfNoReturn;
}

bool ProvisioningFlow::cancelAndSettle()
{
    Provisioner *running = nullptr;
    if (m_applier && m_apply.state == RunStatus::State::Running)
        running = m_applier;
    else if (m_undoer && m_undo.state == RunStatus::State::Running)
        running = m_undoer;
    if (!running || !running->cancel())
        return false;
    ssh::SshSession *session = m_controller->connectionTest()->session();
    if (!session) {
        QMetaObject::invokeMethod(this, &ProvisioningFlow::settled, Qt::QueuedConnection);
        return true;
    }
    // cancel() ended the sudo run that waited for the files (or stopped the probe or the
    // read), and may have queued putting weewx.conf back. The session's worker runs its jobs
    // one after the other, so an empty command finishing means all that has ended on the Pi.
    ssh::SshJob *barrier = session->run(QByteArrayLiteral("true"));
    connect(barrier, &ssh::SshJob::finished, this, [this, barrier] {
        barrier->deleteLater();
        emit settled();
    });
    return true;
}

void ProvisioningFlow::undo()
{
    if (m_controller->isOffline() || (m_undoer && !m_undo.isFinished()))
        return;
    if (m_apply.backupName.isEmpty()) {
        m_undo = RunStatus();
        m_undo.state = RunStatus::State::Failed;
        m_undo.result = tr("This session made no backup on the Pi, so there is nothing to undo.");
        changed(Run::Undo);
        return;
    }
    if (m_undoer)
        m_undoer->deleteLater();
    m_undoer = startProvisioner(m_undo, Run::Undo);
    if (!m_undoer)
        return;
    m_undoer->undo(m_apply.backupName, m_controller->secrets());
    changed(Run::Undo);
}

void ProvisioningFlow::onLine(Run run, const ProgressLine &line)
{
    m_lineStep = true;
    if (line.step == u"rollback" || line.step == u"restore")
        m_lineState = line.status == u"failed" ? StepState::Failed : StepState::RollingBack;
    else if (line.status == u"ok" || line.status == u"start")
        m_lineState = StepState::Done;
    else
        m_lineState = StepState::Failed;
    // An undo restores too, and that is its success.
    if (run == Run::Undo && line.step == u"restore" && line.status == u"ok")
        m_lineState = StepState::Done;
    if (run == Run::Apply && line.step == u"rollback" && line.status == u"ok")
        status(run).rolledBack = true;
}

void ProvisioningFlow::onStep(Run run, const QString &text)
{
    RunStatus &s = status(run);
    const QString shown = masked(text);
    s.log << tr("[%1 s] %2").arg(m_clock.elapsed() / 1000.0, 0, 'f', 1).arg(shown);
    if (!s.steps.isEmpty() && s.steps.last().state == StepState::Running)
        s.steps.last().state = StepState::Done;
    StepState state = StepState::Running;
    if (m_lineStep) {
        state = m_lineState;
        m_lineStep = false;
    } else if (const auto *p = qobject_cast<Provisioner *>(sender());
               p && p->notes().contains(text)) {
        state = StepState::Warning;
    }
    s.steps.append({shown, state});
    changed(run);
}

void ProvisioningFlow::onFinished(Run run)
{
    Provisioner *provisioner = run == Run::Apply ? m_applier : m_undoer;
    if (!provisioner)
        return;
    RunStatus &s = status(run);
    switch (provisioner->state()) {
    case Provisioner::State::Succeeded:
        s.state = RunStatus::State::Succeeded;
        break;
    case Provisioner::State::Cancelled:
        s.state = RunStatus::State::Cancelled;
        break;
    default:
        s.state = RunStatus::State::Failed;
        break;
    }
    if (!s.steps.isEmpty() && s.steps.last().state == StepState::Running)
        s.steps.last().state =
                s.state == RunStatus::State::Succeeded ? StepState::Done : StepState::Failed;
    s.error = provisioner->error();
    if (s.error == Provisioner::Error::ExtensionInstallFailed)
        s.extensionInstalled = false;
    s.backupName = provisioner->backupName();
    s.restartedUnits = provisioner->restartedUnits();
    s.warnings.clear();
    for (const QString &note : provisioner->notes())
        s.warnings << masked(note);
    if (s.state == RunStatus::State::Succeeded) {
        if (run == Run::Undo)
            s.result = tr("The backup was restored; the services run with the old files.");
        else if (s.backupName.isEmpty())
            s.result = tr("Every file was already as planned: nothing was changed, and the "
                          "live data arrives.");
        else
            s.result = tr("Installed, and the live data arrives. The old files are backed up "
                          "on the Pi in %1/%2.")
                               .arg(ApplyProtocol::backupRoot(), s.backupName);
    } else {
        s.result = masked(provisioner->errorString());
    }
    s.log << masked(s.result);
    qCInfo(lcWizard) << (run == Run::Apply ? "apply" : "undo")
                     << "finished:" << provisioner->state() << provisioner->error();
    changed(run);
}

void ProvisioningFlow::changed(Run run)
{
    if (run == Run::Apply)
        emit applyChanged();
    else
        emit undoChanged();
}

void ProvisioningFlow::presentApply(const RunStatus &status)
{
    m_apply = status;
    emit applyChanged();
}

QString ProvisioningFlow::undoCommand() const
{
    const config::StationProfile &p = m_controller->profile();
    // Host and user passed the profile's validation: no character a shell reads specially.
    QStringList words{QStringLiteral("weewx-mqtt-wizard"), QStringLiteral("undo"),
                      QStringLiteral("--host"), p.piHost};
    if (p.sshPort != 22)
        words << QStringLiteral("--port") << QString::number(p.sshPort);
    words << QStringLiteral("--user") << p.sshUser;
    if (!m_apply.backupName.isEmpty())
        words << QStringLiteral("--backup") << m_apply.backupName;
    return words.join(u' ');
}

} // namespace wmw
