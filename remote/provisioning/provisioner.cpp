// SPDX-License-Identifier: GPL-3.0-or-later
#include "remote/provisioning/provisioner.h"

#include "config/generate.h"
#include "config/validation.h"
#include "remote/hostfacts/hostfacts.h"
#include "remote/hostfacts/hostfactsprobe.h"
#include "remote/mqtt/livecheck.h"
#include "remote/provisioning/provisioninglogging.h"
#include "remote/ssh/shellquote.h"
#include "remote/ssh/sshsession.h"

#include <QDateTime>
#include <QMetaEnum>
#include <QRegularExpression>

namespace wmw::provisioning {

using ssh::SshResult;
using ssh::SshSession;

namespace {
// apply.sh writes its first line within milliseconds; a file still missing after this long
// means it never started (no setsid, /run not writable, ...).
constexpr int startTimeoutMs = 20000;
// weectl downloads weewx-mqtt from GitHub and installs it: slow links, slow SD cards.
constexpr int extensionInstallTimeoutMs = 180000;

QString stateName(Provisioner::State state)
{
    return QString::fromLatin1(QMetaEnum::fromType<Provisioner::State>().valueToKey(int(state)));
}
} // namespace

Provisioner::Provisioner(SshSession *session, QObject *parent)
    : QObject(parent)
    , m_session(session)
{
    qRegisterMetaType<ProgressLine>();
}

Provisioner::~Provisioner()
{
    releaseOpenRun(); // a run still waiting for its files ends without changing anything
}

void Provisioner::setDropConnectionAt(State stage, int jobs)
{
    m_dropAt = stage;
    m_dropAfterJobs = jobs;
}

void Provisioner::report(const QString &text)
{
    qCInfo(lcProvision).noquote() << text;
    emit step(text);
}

void Provisioner::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    m_jobsInState = 0;
    if (state != State::Probing && state != State::InstallingExtension && state != State::Reading
        && state != State::Planning && state != State::Uploading)
        releaseOpenRun();
    qCDebug(lcProvision) << "state" << stateName(state);
    emit stateChanged(state);
    if (state == State::Succeeded || state == State::Failed || state == State::Cancelled)
        emit finished();
}

bool Provisioner::enter(State state)
{
    setState(state);
    return m_state == state; // a slot of stateChanged may have cancelled
}

void Provisioner::fail(Error error, const QString &message)
{
    // First: the session runs one job at a time, and a run waiting for input holds it.
    releaseOpenRun();
    if (restoreBeforeExtension(error, message))
        return; // fail() again once weewx.conf is back
    if (m_liveCheck && !m_liveCheck->hasVerdict())
        m_liveCheck->stop(); // started while the Pi worked: the run ends without its verdict
    m_error = error;
    m_errorString = message;
    qCWarning(lcProvision).noquote() << message;
    setState(error == Error::Cancelled ? State::Cancelled : State::Failed);
}

void Provisioner::watch(ssh::SshJob *job, Handler next)
{
    m_job = job;
    connect(job, &ssh::SshJob::finished, this, [this, job, next] {
        job->deleteLater();
        if (m_job != job)
            return; // cancelled and replaced
        m_job = nullptr;
        if (m_state == State::Succeeded || m_state == State::Failed || m_state == State::Cancelled)
            return;
        const SshResult result = job->result();
        countOperations(1);
        (this->*next)(result);
    });
}

void Provisioner::countOperations(int operations)
{
    m_jobsInState += operations;
    if (m_dropAt == m_state && m_jobsInState >= m_dropAfterJobs && m_session) {
        qCInfo(lcProvision) << "test hook: dropping the connection in" << stateName(m_state);
        m_dropAt = State::Idle;
        m_session->disconnectFromHost();
    }
}

bool Provisioner::failedJob(const SshResult &result, Error error, const QString &what)
{
    if (result.ok())
        return false;
    QString message = tr("%1: %2").arg(what, result.errorString);
    switch (result.error) {
    case SshSession::Error::ConnectionLost:
    case SshSession::Error::NotConnected:
    case SshSession::Error::SudoPasswordRequired:
    case SshSession::Error::SudoPasswordWrong:
    case SshSession::Error::SudoNotAllowed:
        error = m_state == State::Applying ? Error::ConnectionLostDuringApply : Error::Ssh;
        break;
    case SshSession::Error::Timeout:
        if (m_state != State::Applying)
            error = Error::Timeout;
        break;
    default:
        break;
    }
    if (error == Error::ConnectionLostDuringApply)
        message = tr("The connection to the Pi was lost while it applied the files (%1). The "
                     "Pi finishes on its own: it ends with all new files, or restores all old "
                     "ones. Run apply again to see where it stands, or undo.")
                          .arg(result.errorString);
    fail(error, message);
    return true;
}

// --- apply ---------------------------------------------------------------------------------

void Provisioner::apply(const config::StationProfile &profile, const config::Secrets &secrets,
                        const Options &options)
{
    if (m_state != State::Idle)
        return;
    m_profile = profile;
    m_secrets = secrets;
    m_options = options;
    QString problem;
    if (!m_session || m_session->state() != SshSession::State::Connected)
        problem = tr("Not connected to the Pi.");
    const auto findings = config::Validation::validate(profile)
                          + config::Validation::validateSecrets(profile, secrets);
    for (const config::Finding &finding : findings) {
        if (problem.isEmpty() && finding.severity == config::Finding::Error)
            problem = finding.message;
    }
    if (!problem.isEmpty()) {
        // Queued, so a caller that connects after calling still sees finished().
        QMetaObject::invokeMethod(
                this, [this, problem] { fail(Error::InvalidInput, problem); },
                Qt::QueuedConnection);
        return;
    }
    if (!enter(State::Probing))
        return;
    report(tr("Looking at the Pi (WeeWX, weewx-mqtt, paho-mqtt, mosquitto)."));
    // The Pi's files are read in the same sudo run (after installing weewx-mqtt they are read
    // again: weewx.conf changed). Unless this is a dry run, that run then waits for the staged
    // files and launches apply.sh: one sudo run and one password check for the whole apply
    // (PAM's hash takes about a second on a Pi Zero), two channels and their round trips less.
    m_runId = ApplyProtocol::newRunId();
    const bool goesOn = !options.dryRun;
    ssh::RunOptions run;
    run.stdinData = ApplyProtocol::probeAndReadScript(hostFactsProbeScript(HostFactsScope::Weewx),
                                                      config::Generate::paths(m_profile),
                                                      goesOn ? m_runId : QString());
    if (!goesOn) {
        watch(m_session->runSudo(QByteArrayLiteral("sh -s"), secrets.sudoPassword, run),
              &Provisioner::onProbed);
        return;
    }
    startOpenRun(run);
    // The page's way in, opened now while the Pi is probed and read: where the plan restarts
    // nothing (a re-run) or only weewx, the broker stays up and this check goes on; its
    // connection (three round trips and the broker's websocket tick) is then off the way.
    // Where mosquitto restarts it is dropped unannounced and another one starts after the
    // restart. Unarmed: what comes before the plan is known may be the old weewxd's.
    if (options.verify)
        startLiveCheck(false, false);
}

void Provisioner::startOpenRun(ssh::RunOptions run)
{
    run.keepInputOpen = true;
    run.streamOutput = true;
    ssh::SshJob *job = m_session->runSudo(QByteArrayLiteral("sh -s"), m_secrets.sudoPassword, run);
    m_openRun = job;
    m_openOutput.clear();
    m_launchFrom = -1;
    m_job = job;
    connect(job, &ssh::SshJob::output, this, &Provisioner::onOpenRunOutput);
    connect(job, &ssh::SshJob::finished, this, [this, job] { onOpenRunFinished(job); });
}

void Provisioner::onOpenRunAnswer(const SshResult &result)
{
    if (m_state == State::Probing)
        return onProbed(result);
    if (m_state == State::InstallingExtension)
        return onExtensionInstalled(result);
    // A read of its own (when the install's answer lacked the files): the part before the
    // probe's marker.
    SshResult read = result;
    if (std::optional<QByteArray> files = ApplyProtocol::splitProbeAndRead(result.stdOut).second)
        read.stdOut = *files;
    onRead(read);
}

void Provisioner::onOpenRunOutput(const QByteArray &chunk)
{
    if (m_launchFrom >= 0) {
        if (m_state == State::Applying && m_job == sender())
            onLaunchOutput(chunk);
        return;
    }
    m_openOutput += chunk;
    const QByteArray ready = ApplyProtocol::readyMarker(m_runId);
    const qsizetype at = m_openOutput.indexOf(ready);
    if (at < 0)
        return;
    m_launchFrom = at + ready.size();
    SshResult probed;
    probed.exitStatus = 0;
    probed.stdOut = m_openOutput.left(at);
    m_openOutput.clear();
    // The run waits for its input now; until it launches, nothing waits for it to end.
    m_job = nullptr;
    countOperations(1);
    if (m_state == State::Probing || m_state == State::InstallingExtension
        || m_state == State::Reading)
        onOpenRunAnswer(probed);
}

void Provisioner::onOpenRunFinished(ssh::SshJob *job)
{
    job->deleteLater();
    if (m_openRun == job)
        m_openRun = nullptr;
    if (m_job != job)
        return; // released: it ended without changing anything
    m_job = nullptr;
    if (m_state == State::Succeeded || m_state == State::Failed || m_state == State::Cancelled)
        return;
    SshResult result = job->result();
    countOperations(1);
    if (m_launchFrom < 0)
        return onOpenRunAnswer(result); // it ended before its answer was whole: say why
    result.stdOut.remove(0, m_launchFrom); // after the ready line: the launch's answer
    onLaunchFinished(result);
}

void Provisioner::onLaunchFinished(const SshResult &result)
{
    if (result.ok() && result.exitStatus != 0 && result.stdOut.isEmpty())
        return fail(Error::UploadFailed,
                    tr("The Pi could not store the files in a private staging folder: %1")
                            .arg(QString::fromUtf8(result.stdErr).trimmed()));
    onLaunched(result);
}

void Provisioner::releaseOpenRun()
{
    if (ssh::SshJob *job = std::exchange(m_openRun, nullptr)) {
        // End of file before a header: the Pi's side exits and changes nothing.
        job->closeInput();
        if (m_job == job)
            m_job = nullptr;
    }
}

void Provisioner::onProbed(const SshResult &result)
{
    if (failedJob(result, Error::Ssh, tr("Looking at the Pi failed")))
        return;
    QByteArray probed;
    std::tie(probed, m_readWithProbe) = ApplyProtocol::splitProbeAndRead(result.stdOut);
    const HostFacts::ParseResult parsed = HostFacts::parse(probed);
    if (!parsed.ok()) {
        // Not fatal: a weewx that cannot start rolls the apply back anyway.
        m_notes << tr("Could not check for weewx-mqtt and paho-mqtt: %1").arg(parsed.message);
        report(m_notes.last());
        startReading();
        return;
    }
    const HostFacts &facts = *parsed.facts;
    if (facts.pahoVersion.startsWith(QLatin1String("2."))) {
        m_notes << tr("The Pi's python paho-mqtt is %1: weewx-mqtt 0.24 publishes nothing with "
                      "paho-mqtt 2.0. Install 1.6.1 (Debian's python3-paho-mqtt, or pip "
                      "install 'paho-mqtt<2').")
                           .arg(facts.pahoVersion);
        report(m_notes.last());
    }
    const bool hasMqtt = facts.hasWeewxMqtt();
    const QString manual =
            QStringLiteral("sudo weectl extension install ") + ApplyProtocol::extensionUrl();
    if (hasMqtt || facts.weewx.install == HostFacts::WeewxInstall::None) {
        startReading();
        return;
    }
    if (m_options.dryRun || !m_options.installExtension) {
        const QString text =
                tr("weewx-mqtt is not installed on the Pi. It is installed with: %1").arg(manual);
        if (!m_options.dryRun)
            return fail(Error::ExtensionMissing,
                        text + u'\n'
                                + tr("Without it weewx stops when it reads the new "
                                     "weewx.conf, so nothing was changed."));
        m_notes << text;
        report(text);
        startReading();
        return;
    }
    setState(State::InstallingExtension);
    report(tr("Installing weewx-mqtt: %1").arg(manual));
    // weectl enables weewx-mqtt in weewx.conf with a placeholder server_url. A copy of
    // weewx.conf from before goes to the backup folder first: apply.sh's backup takes it in
    // place of the file as read after the install (so rollback and undo bring back the true
    // original), and a run that fails before apply.sh puts it back itself. The checksum
    // printed after the install says which content the copy stands for.
    const QString copyDir = ApplyProtocol::originalCopyDir(QDateTime::currentDateTimeUtc());
    const auto conf = ssh::shellQuote(m_profile.weewxConfPath);
    const auto dir = ssh::shellQuote(copyDir);
    // From /: weectl changes back to the old directory, which fails where it cannot enter.
    QByteArray command = "cd / && ";
    if (conf && dir) {
        m_preExtensionCopy = copyDir + QStringLiteral("/weewx.conf");
        command += "if [ -f " + *conf + " ]; then (umask 077 && mkdir -p -- " + *dir
                   + ") && cp -p -- " + *conf + ' ' + *dir + "/weewx.conf || exit 1; fi && ";
    }
    command +=
            "{ weectl extension install --yes " + *ssh::shellQuote(ApplyProtocol::extensionUrl());
    if (conf && dir)
        command += " || { s=$?; rm -rf -- " + *dir + "; exit $s; }; } && if [ -f " + *dir
                   + "/weewx.conf ]; then printf '@wmw-conf %s\\n' \"$(sha256sum < " + *conf
                   + " | cut -c1-64)\"; fi";
    else
        command += "; }";
    // In the probe's run, still waiting: it installs, reads the files again and waits for
    // the staged files as before. No second and third password check (PAM takes about a
    // second on a Pi Zero), no new channels.
    ssh::SshJob *open = m_openRun && !m_openRun->isFinished() ? m_openRun.data() : nullptr;
    if (!open)
        return fail(Error::Ssh, tr("The connection to the Pi was lost before weewx-mqtt was "
                                   "installed: nothing was changed."));
    m_openOutput.clear();
    m_launchFrom = -1;
    m_job = open;
    open->setTimeout(extensionInstallTimeoutMs);
    open->write(ApplyProtocol::moreHeader(m_runId)
                + ApplyProtocol::probeAndReadScript(QByteArrayLiteral(":"),
                                                    config::Generate::paths(m_profile), m_runId,
                                                    command));
}

void Provisioner::onExtensionInstalled(const SshResult &result)
{
    if (failedJob(result, Error::ExtensionInstallFailed, tr("Installing weewx-mqtt failed")))
        return;
    // What the install printed, its status, then the files as read after it.
    const ApplyProtocol::FirstPart install = ApplyProtocol::splitFirst(result.stdOut);
    const int status = install.status >= 0      ? install.status
                       : result.exitStatus != 0 ? result.exitStatus
                                                : -1;
    if (status != 0) {
        // Why, in weectl's words: an error goes to stderr, its progress to stdout.
        const QByteArray why = !result.stdErr.trimmed().isEmpty() ? result.stdErr.trimmed()
                               : !install.output.trimmed().isEmpty()
                                       ? install.output.trimmed()
                                       : "exit status " + QByteArray::number(status);
        const QList<QByteArray> lines = why.split('\n');
        return fail(Error::ExtensionInstallFailed,
                    tr("The Pi could not install weewx-mqtt (%1). It downloads %2, so it needs "
                       "internet access. Without it: download that archive on a computer with "
                       "internet, copy it to the Pi and run there:\n"
                       "  sudo weectl extension install weewx-mqtt-master.zip\n"
                       "Nothing else was changed.")
                            .arg(QString::fromUtf8(lines.last()).trimmed(),
                                 ApplyProtocol::extensionUrl()));
    }
    const QRegularExpressionMatch sum =
            QRegularExpression(QStringLiteral("^@wmw-conf ([0-9a-f]{64})\\r?$"),
                               QRegularExpression::MultilineOption)
                    .match(QString::fromUtf8(install.output));
    if (sum.hasMatch())
        m_extensionConfSha = sum.captured(1).toLatin1();
    else
        m_preExtensionCopy.clear(); // no weewx.conf before: nothing to put back
    report(tr("weewx-mqtt is installed."));
    m_readWithProbe = ApplyProtocol::splitProbeAndRead(install.rest).second;
    startReading();
}

bool Provisioner::restoreBeforeExtension(Error error, const QString &message)
{
    if (m_preExtensionCopy.isEmpty() || m_extensionConfSha.isEmpty())
        return false;
    switch (error) {
    case Error::NoError:
    case Error::LiveCheckFailed: // the new weewx.conf is installed: undo is the way back
    case Error::ConnectionLostDuringApply: // apply.sh may still run: no second writer
    case Error::Timeout:
        return false;
    default:
        break;
    }
    const QString copy = m_preExtensionCopy;
    m_preExtensionCopy.clear();
    if (!m_session || m_session->state() != SshSession::State::Connected) {
        m_notes << tr("weewx-mqtt stays installed and enabled in weewx.conf, which could not be "
                      "put back (no connection). Its copy from before the install is %1 on the "
                      "Pi: copy it over %2 and restart weewx.")
                           .arg(copy, m_profile.weewxConfPath);
        report(m_notes.last());
        return false;
    }
    bool weewxRestarted = false;
    for (const ProgressLine &line : std::as_const(m_lines))
        weewxRestarted =
                weewxRestarted || (line.step == u"restart" && line.detail.startsWith(u"weewx"));
    const QByteArray conf = *ssh::shellQuote(m_profile.weewxConfPath);
    const QByteArray saved = *ssh::shellQuote(copy);
    const QByteArray dir = *ssh::shellQuote(copy.section(u'/', 0, -2));
    // Only over exactly what weectl left (checked on the Pi), by writing beside and renaming.
    QByteArray command =
            "cd / && if [ \"$(sha256sum < " + conf + " | cut -c1-64)\" != " + m_extensionConfSha
            + " ]; then echo changed; exit 0; fi && cp -p -- " + saved + ' ' + conf
            + ".wmw-restore && mv -f -- " + conf + ".wmw-restore " + conf + " && rm -rf -- " + dir;
    // weewx read the file weectl left when the run restarted it: it must read the old one now.
    if (weewxRestarted)
        command += " && { systemctl restart weewx || true; }";
    command += " && echo restored";
    report(tr("Putting weewx.conf back as it was before the weewx-mqtt install."));
    ssh::SshJob *job = m_session->runSudo(command, m_secrets.sudoPassword);
    const auto finish = [this, job, error, message, copy] {
        job->deleteLater();
        if (m_job != job)
            return; // cancelled meanwhile
        m_job = nullptr;
        const SshResult result = job->result();
        QString outcome;
        if (result.ok() && result.exitStatus == 0 && result.stdOut.contains("restored"))
            outcome = tr("weewx.conf is back as it was before the weewx-mqtt install: weewx-mqtt "
                         "stays installed on the Pi but is not enabled.");
        else if (result.ok() && result.exitStatus == 0 && result.stdOut.contains("changed"))
            outcome = tr("weewx.conf changed on the Pi after the weewx-mqtt install, so it was "
                         "left as it is; its copy from before the install is %1.")
                              .arg(copy);
        else
            outcome = tr("weewx-mqtt stays installed and enabled in weewx.conf: putting the old "
                         "weewx.conf back failed (%1). Its copy from before the install is %2 on "
                         "the Pi: copy it over %3 and restart weewx.")
                              .arg(result.ok() ? QString::fromUtf8(result.stdErr).trimmed()
                                               : result.errorString,
                                   copy, m_profile.weewxConfPath);
        m_notes << outcome;
        report(outcome);
        fail(error, message + u'\n' + outcome);
    };
    if (error == Error::Cancelled) {
        // cancel() answers at once: the restore finishes on its own.
        connect(job, &ssh::SshJob::finished, job, &QObject::deleteLater);
        m_notes << tr("weewx.conf is being put back as it was before the weewx-mqtt install.");
        return false;
    }
    m_job = job;
    connect(job, &ssh::SshJob::finished, this, finish);
    return true;
}

void Provisioner::startReading()
{
    const bool readAlready =
            (m_state == State::Probing || m_state == State::InstallingExtension) && m_readWithProbe;
    if (!enter(State::Reading))
        return;
    report(tr("Reading the Pi's current files."));
    if (readAlready) {
        SshResult read;
        read.exitStatus = 0;
        read.stdOut = *std::exchange(m_readWithProbe, std::nullopt);
        countOperations(1); // the read counts as this stage's operation for the test hook
        return onRead(read);
    }
    ssh::RunOptions run;
    if (!m_options.dryRun && !m_undo) {
        // As the probe's run: it reads, then waits for the staged files.
        run.stdinData = ApplyProtocol::probeAndReadScript(
                QByteArrayLiteral(":"), config::Generate::paths(m_profile), m_runId);
        return startOpenRun(run);
    }
    run.stdinData = ApplyProtocol::readInput(config::Generate::paths(m_profile));
    watch(m_session->runSudo(ApplyProtocol::readScript(), m_secrets.sudoPassword, run),
          &Provisioner::onRead);
}

void Provisioner::onRead(const SshResult &result)
{
    if (failedJob(result, Error::ReadFailed, tr("Reading the Pi's files failed")))
        return;
    const QStringList paths = config::Generate::paths(m_profile);
    const ApplyProtocol::ReadResult read = ApplyProtocol::parseRead(result.stdOut, paths);
    if (!read.ok())
        return fail(Error::ReadFailed, read.errorString);

    if (!enter(State::Planning))
        return;
    const config::GenerateResult generated =
            config::Generate::run(m_profile, m_secrets, read.files);
    if (!generated.ok())
        return fail(Error::GenerateFailed, generated.errorString);
    m_notes << generated.notes;
    m_plan = config::Plan::make(generated.files, read.files);
    for (const config::FilePlan &file : m_plan.files())
        report(file.summary());
    emit planReady();
    if (m_state != State::Planning)
        return; // cancelled by a slot

    if (m_options.dryRun) {
        report(tr("Dry run: nothing was changed."));
        return setState(State::Succeeded);
    }
    if (m_plan.changesNothing()) {
        report(tr("Every file is as planned: nothing to install, nothing to restart."));
        if (m_options.verify)
            return verify(mqtt::LiveCheck::Arm::CountLatest); // the same weewxd all along
        return setState(State::Succeeded);
    }
    startStaging();
}

void Provisioner::startStaging()
{
    // The run that read the files, still waiting, takes them (not after a connection cut:
    // then nothing is sent).
    ssh::SshJob *open = m_openRun && !m_openRun->isFinished() && m_session
                                        && m_session->state() == SshSession::State::Connected
                                ? m_openRun.data()
                                : nullptr;
    if (!open && (!m_session || m_session->state() != SshSession::State::Connected))
        return fail(Error::Ssh, tr("The connection to the Pi was lost before the files were "
                                   "sent: nothing was changed."));
    if (!open)
        m_runId = ApplyProtocol::newRunId();
    if (!enter(State::Uploading))
        return;
    QList<std::pair<QString, QByteArray>> entries;
    QByteArray manifest;
    if (m_undo) {
        manifest = ApplyProtocol::undoManifest(m_runId, m_undoName);
    } else {
        QHash<QString, QString> originals;
        if (!m_preExtensionCopy.isEmpty() && !m_extensionConfSha.isEmpty()) {
            for (const config::FilePlan &file : m_plan.files())
                if (file.wanted.path == m_profile.weewxConfPath
                    && file.action != config::FileAction::Unchanged && file.current.exists
                    && ApplyProtocol::sha256Hex(file.current.bytes) == m_extensionConfSha)
                    originals.insert(file.wanted.path, m_preExtensionCopy);
        }
        m_originalInManifest = !originals.isEmpty();
        for (const config::FilePlan &file : m_plan.files()) {
            if (file.action == config::FileAction::Unchanged)
                continue;
            (config::Generate::readerOf(m_profile, file.wanted.path)
                             == config::Generate::Reader::Weewx
                     ? m_restartsWeewx
                     : m_restartsMosquitto) = true;
        }
        if (m_restartsMosquitto)
            m_liveCheck.reset(); // its connection would not outlive the restart
        QString error;
        manifest = ApplyProtocol::applyManifest(m_runId, m_plan, m_profile, &error, originals);
        if (manifest.isEmpty())
            return fail(Error::UploadFailed, error);
        int index = 0;
        for (const config::FilePlan &file : m_plan.files()) {
            ++index;
            if (file.action != config::FileAction::Unchanged)
                entries.append({QStringLiteral("files/%1").arg(index), file.wanted.bytes});
        }
    }
    entries.append({QStringLiteral("apply.sh"), ApplyProtocol::applyScript()});
    entries.append({QStringLiteral("manifest"), manifest});
    report(tr("Uploading %n file(s) into a private staging folder on the Pi.", nullptr,
              int(entries.size())));
    // The point of no return: with the last byte of the archive the Pi has everything it
    // needs, and apply.sh starts there.
    const QByteArray stream =
            ApplyProtocol::stageHeader(m_runId) + ApplyProtocol::stageArchive(entries);
    qCDebug(lcProvision) << "sending" << entries.size() << "files," << stream.size() << "bytes"
                         << (open ? "into the open sudo run" : "with a sudo run of their own");
    if (open) {
        m_openRun = nullptr;
        open->write(stream);
        open->closeInput();
        open->setTimeout(m_options.applyTimeoutMs);
        countOperations(int(entries.size()) + 1);
        return startApplying(open);
    }
    // Undo, or the open run ended: a sudo run of its own with the files as its input.
    ssh::RunOptions run;
    run.stdinData = stream;
    run.streamOutput = true;
    run.timeoutMs = m_options.applyTimeoutMs;
    ssh::SshJob *job = m_session->runSudo(ApplyProtocol::stageAndLaunchCommand(m_runId),
                                          m_secrets.sudoPassword, run);
    connect(job, &ssh::SshJob::output, this, &Provisioner::onLaunchOutput);
    watch(job, &Provisioner::onLaunchFinished);
    startApplying(job);
}

void Provisioner::startApplying(ssh::SshJob *launch)
{
    // The point of no return: once sudo starts apply.sh, the Pi completes or rolls back.
    m_job = launch;
    setState(State::Applying);
    report(m_undo ? tr("Restoring the backup on the Pi (one sudo run).")
                  : tr("Installing on the Pi (one sudo run): check, back up, install, restart, "
                       "verify."));
    m_applyClock.start();
    m_progressBytes = 0;
    m_launchOutput.clear();
    m_launchStarted = false;
    // The page's way in, opened while the Pi works, so that the first record of the restarted
    // weewx is seen (it comes at once; a check after the apply would wait for the next one).
    // The broker must not restart under it: then it starts once mosquitto is back.
    if (!m_undo && m_options.verify && !m_restartsMosquitto) {
        if (!m_liveCheck)
            startLiveCheck(!m_restartsWeewx);
        else
            announceLiveCheck(); // started with the probe, unarmed: weewx's restart arms it
    }
}

void Provisioner::onLaunchOutput(const QByteArray &chunk)
{
    if (m_state != State::Applying)
        return;
    m_launchOutput += chunk;
    if (!m_launchStarted) {
        static constexpr QByteArrayView started = "started\n";
        if (m_launchOutput.size() < started.size())
            return;
        if (!m_launchOutput.startsWith(started))
            return; // not our script's answer: onLaunched() says so
        m_launchStarted = true;
        m_launchOutput.remove(0, started.size());
    }
    const qsizetype whole = m_launchOutput.lastIndexOf('\n') + 1;
    const QByteArray lines = m_launchOutput.left(whole);
    m_launchOutput.remove(0, whole);
    // Each burst of progress counts as an operation for the test hook that cuts the line.
    countOperations(1);
    if (m_state == State::Applying)
        takeProgress(lines);
}

void Provisioner::onLaunched(const SshResult &result)
{
    if (m_state != State::Applying)
        return; // the stream brought the last line
    if (result.error == SshSession::Error::Timeout)
        return failApplyTimeout();
    if (failedJob(result, Error::ConnectionLostDuringApply, tr("Starting the apply failed")))
        return;
    if (!result.stdOut.startsWith("started\n"))
        return fail(Error::Ssh, tr("The apply script did not start on the Pi: %1")
                                        .arg(QString::fromUtf8(result.stdErr).trimmed()));
    // The stream ended before the last line (a tail without --pid): poll from where it got.
    follow();
}

void Provisioner::follow()
{
    if (m_state != State::Applying)
        return;
    watch(m_session->run(ApplyProtocol::followCommand(m_runId, m_progressBytes)),
          &Provisioner::onFollowed);
}

void Provisioner::onFollowed(const SshResult &result)
{
    if (failedJob(result, Error::ConnectionLostDuringApply, tr("Following the apply")))
        return;
    if (!takeProgress(result.stdOut))
        return;
    if (m_progressBytes == 0 && m_applyClock.elapsed() > startTimeoutMs)
        return fail(Error::Ssh, tr("The apply script did not start on the Pi (no progress "
                                   "after %1 s). Nothing was changed.")
                                        .arg(startTimeoutMs / 1000));
    if (m_applyClock.elapsed() > m_options.applyTimeoutMs)
        return failApplyTimeout();
    follow();
}

void Provisioner::failApplyTimeout()
{
    fail(Error::Timeout, tr("The Pi did not finish applying within %1 s. It may "
                            "still be working: run apply again later to see.")
                                 .arg(m_options.applyTimeoutMs / 1000));
}

bool Provisioner::takeProgress(QByteArray bytes)
{
    // Only whole lines: the script may be writing the next one.
    bytes.truncate(bytes.lastIndexOf('\n') + 1);
    m_progressBytes += bytes.size();
    const QList<QByteArray> lines = bytes.split('\n');
    for (const QByteArray &text : lines) {
        qCDebug(lcProvisionTrace) << text;
        const std::optional<ProgressLine> line = ApplyProtocol::parseProgress(text);
        if (!line)
            continue;
        m_lines.append(*line);
        if (line->step == u"restart" && line->status == u"ok")
            m_restarted.append(line->detail);
        // From here on apply.sh restores the copy from before the weewx-mqtt install itself.
        if (line->step == u"backup" && line->status == u"ok" && m_originalInManifest)
            m_preExtensionCopy.clear();
        emit progressLine(*line);
        report(ApplyProtocol::describe(*line));
        if (!m_undo && m_options.verify && !m_rollingBack) {
            // mosquitto's unit is Type=notify: its restart returns once every listener is
            // open. The live check connects then, while apply.sh looks at the ports and the
            // log and restarts weewx, so it has subscribed before the first new record.
            if (line->step == u"restart" && line->status == u"ok" && line->detail == u"mosquitto"
                && !m_liveCheck)
                startLiveCheck(!m_restartsWeewx);
            // Only records of the new weewxd count: the old one was stopped before this line.
            if (line->step == u"restart" && line->status == u"ok" && line->detail == u"weewx"
                && m_liveCheck)
                m_liveCheck->arm();
        }
        if (line->step == u"rollback") {
            m_rollingBack = true;
            m_liveCheck.reset();
        }
        if (line->step == u"end") {
            conclude(*line);
            return false;
        }
    }
    return true;
}

void Provisioner::conclude(const ProgressLine &end)
{
    if (end.status == u"ok") {
        if (end.detail != u"nothing")
            m_backupName = end.detail;
        report(m_backupName.isEmpty() ? tr("Nothing needed changing.")
                                      : tr("Done. Backup: %1/%2 (undo restores it).")
                                                .arg(ApplyProtocol::backupRoot(), m_backupName));
        if (!m_undo && m_options.verify)
            return verify();
        return setState(State::Succeeded);
    }
    if (end.status == u"refused") {
        QStringList changed;
        for (const ProgressLine &line : std::as_const(m_lines))
            if (line.step == u"check" && line.status == u"changed")
                changed << line.detail;
        return fail(Error::ChangedOnPi,
                    tr("%1 changed on the Pi since it was read (edited meanwhile?). Nothing was "
                       "changed: run apply again to plan against the new content.")
                            .arg(changed.join(QStringLiteral(", "))));
    }
    if (end.status == u"busy")
        return fail(Error::Busy, tr("Another apply or undo is running on the Pi (process %1). "
                                    "Try again when it has finished.")
                                         .arg(end.detail));
    if (end.detail.startsWith(QLatin1String("no-backup"))
        || end.detail.startsWith(QLatin1String("no-such-backup")))
        return fail(Error::NoBackup,
                    end.detail.startsWith(QLatin1String("no-backup"))
                            ? tr("There is no backup of an apply to restore in %1.")
                                      .arg(ApplyProtocol::backupRoot())
                            : tr("There is no backup named %1 in %2.")
                                      .arg(m_undoName, ApplyProtocol::backupRoot()));
    QStringList reasons;
    bool rolledBack = false;
    bool rollbackFailed = false;
    for (const ProgressLine &line : std::as_const(m_lines)) {
        if (line.step == u"rollback" && line.status == u"ok")
            rolledBack = true;
        else if (line.step == u"rollback" && line.status == u"failed")
            rollbackFailed = true;
        else if (rolledBack || rollbackFailed)
            continue; // what the old files did is not why the new ones failed
        else if (line.status == u"failed" || line.status == u"error")
            reasons << ApplyProtocol::describe(line);
    }
    reasons.removeDuplicates();
    if (reasons.isEmpty() && end.detail.startsWith(QLatin1String("original-missing")))
        reasons << tr("The copy of weewx.conf from before the weewx-mqtt install is missing on "
                      "the Pi; nothing was changed.");
    const QString why = reasons.isEmpty() ? end.detail : reasons.join(u' ');
    if (rollbackFailed)
        return fail(Error::RollbackFailed,
                    tr("Applying failed: %1 Restoring the old files did not complete either: "
                       "check the Pi. The backup is in %2.")
                            .arg(why, ApplyProtocol::backupRoot()));
    QString message = tr("Applying failed: %1 Every file was restored and the services run "
                         "with the old files again.")
                              .arg(why);
    if (rolledBack && m_originalInManifest && m_preExtensionCopy.isEmpty()) {
        m_notes << tr("weewx.conf is back as it was before the weewx-mqtt install: weewx-mqtt "
                      "stays installed on the Pi but is not enabled.");
        report(m_notes.last());
        message += u'\n' + m_notes.last();
    }
    fail(Error::ApplyFailed, message);
}

// --- verify --------------------------------------------------------------------------------

void Provisioner::verify(mqtt::LiveCheck::Arm arm)
{
    setState(State::Verifying);
    if (!m_liveCheck)
        return startLiveCheck(true);
    if (arm == mqtt::LiveCheck::Arm::CountLatest)
        announceLiveCheck();
    m_liveCheck->arm(arm); // weewx's restart line may have been the last one cut off
    if (m_liveCheck->hasVerdict())
        onLiveCheckFinished();
}

QUrl Provisioner::pageUrl() const
{
    QUrl url;
    url.setScheme(m_profile.pageSsl ? QStringLiteral("wss") : QStringLiteral("ws"));
    url.setHost(m_profile.pageHost());
    url.setPort(m_profile.pagePort());
    url.setPath(QStringLiteral("/mqtt"));
    return url;
}

void Provisioner::announceLiveCheck()
{
    report(tr("Checking like the web page: %1 as %2, topic %3.")
                   .arg(pageUrl().toString(), m_profile.webUser, m_profile.pageTopic()));
}

void Provisioner::startLiveCheck(bool armed, bool announce)
{
    mqtt::LiveCheck::Options options;
    options.url = pageUrl();
    options.topic = m_profile.pageTopic();
    options.userName = m_profile.webUser;
    options.password =
            (m_profile.sharesOneUser() ? m_secrets.publishPassword : m_secrets.webPassword)
                    .toUtf8();
    options.messageTimeoutMs = m_options.liveCheckTimeoutMs;
    options.armed = armed;
    if (announce)
        announceLiveCheck();
    m_liveCheck = std::make_unique<mqtt::LiveCheck>();
    connect(m_liveCheck.get(), &mqtt::LiveCheck::finished, this, &Provisioner::onLiveCheckFinished);
    m_liveCheck->start(options);
}

void Provisioner::onLiveCheckFinished()
{
    // A verdict reached while the Pi still works waits for its last line: only a complete
    // apply makes it count.
    if (m_state != State::Verifying)
        return;
    if (m_liveCheck->state() == mqtt::LiveCheck::State::Receiving) {
        report(tr("Live data arrives on %1: publishing works.").arg(m_profile.pageTopic()));
        return setState(State::Succeeded);
    }
    fail(Error::LiveCheckFailed,
         tr("The files are installed, but the live check failed: %1 Fix: %2 (undo restores "
            "the old files.)")
                 .arg(m_liveCheck->message(), m_liveCheck->fix()));
}

// --- undo and cancel -----------------------------------------------------------------------

void Provisioner::undo(const QString &name, const config::Secrets &secrets)
{
    if (m_state != State::Idle)
        return;
    m_undo = true;
    m_undoName = name;
    m_secrets = secrets;
    QString problem;
    if (!m_session || m_session->state() != SshSession::State::Connected)
        problem = tr("Not connected to the Pi.");
    else if (!name.isEmpty() && !ApplyProtocol::isBackupName(name))
        problem = tr("%1 is not a backup name (they look like 20250101T120000Z).").arg(name);
    if (!problem.isEmpty()) {
        QMetaObject::invokeMethod(
                this, [this, problem] { fail(Error::InvalidInput, problem); },
                Qt::QueuedConnection);
        return;
    }
    startStaging();
}

bool Provisioner::cancel()
{
    switch (m_state) {
    case State::InstallingExtension: // weectl is changing the Pi: stopping it would leave half
    case State::Applying:
    case State::Verifying:
    case State::Succeeded:
    case State::Failed:
    case State::Cancelled:
        return false;
    default:
        break;
    }
    // Before the files are handed over nothing is staged on the Pi: a run waiting for them
    // gets end of file (in fail()) and exits, a running probe or read is stopped.
    if (m_job)
        m_job->cancel();
    m_job = nullptr;
    fail(Error::Cancelled, tr("Cancelled: nothing on the Pi was changed."));
    return true;
}

} // namespace wmw::provisioning
