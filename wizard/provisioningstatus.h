// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "config/plan.h"
#include "remote/provisioning/provisioner.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace wmw {

/// What the review page shows: the plan read from the Pi (a dry run of the Provisioner), the
/// commands the apply will run, and the Provisioner's warnings. Built by ProvisioningFlow, or
/// set directly (screenshots).
struct PlanStatus
{
    enum class State { Idle, Reading, Ready, Failed };

    State state = State::Idle;
    QString message; ///< translated: what is being done, or why it failed
    config::Plan plan;
    /// The commands the apply runs, in order: the extension install when it is missing, and a
    /// restart only of the services that read a file that changes.
    QStringList commands;
    QStringList warnings; ///< translated notes of the Provisioner (paho-mqtt 2.x, ...)
    /// weewx-mqtt is missing: the apply installs it first (when the user lets it).
    bool extensionMissing = false;
    /// The Pi's weewx.conf as it was read (for an export with the same settings).
    QByteArray piWeewxConf;
    bool hasPiWeewxConf = false;
};

/// One run of the Provisioner (an apply or an undo) as the pages show it: a row per step,
/// the log, and the outcome.
struct RunStatus
{
    enum class State {
        Idle,
        Running, ///< can still be cancelled: nothing on the Pi has changed
        PastPointOfNoReturn, ///< the Pi applies on its own: it completes or rolls back
        Succeeded,
        Failed,
        Cancelled,
    };
    enum class StepState { Running, Done, Failed, RollingBack, Warning };
    struct Step
    {
        QString text; ///< translated; never a secret
        StepState state = StepState::Running;
    };

    State state = State::Idle;
    QList<Step> steps;
    QStringList log; ///< "[12.3 s] text", secrets masked
    QString result; ///< translated outcome, on success as on failure
    provisioning::Provisioner::Error error = provisioning::Provisioner::Error::NoError;
    bool rolledBack = false; ///< a check failed and the old files came back
    QStringList warnings; ///< translated notes of the Provisioner
    config::Plan plan; ///< what the run planned (apply only)
    QString backupName; ///< the backup this run made; empty when none
    QStringList restartedUnits;
    bool extensionInstalled = false; ///< weewx-mqtt was installed by this run
    bool installingExtension = false; ///< weectl runs now (no stop until it is done)

    bool isFinished() const
    {
        return state == State::Succeeded || state == State::Failed || state == State::Cancelled;
    }
    /// Files are on the Pi (maybe without live data yet): the live check has something to see.
    bool installed() const
    {
        return state == State::Succeeded
               || (state == State::Failed
                   && error == provisioning::Provisioner::Error::LiveCheckFailed);
    }
};

} // namespace wmw
