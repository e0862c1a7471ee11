// SPDX-License-Identifier: GPL-3.0-or-later
#include "wizard/provisioningdemo.h"

#include "config/bundle.h"
#include "config/generate.h"
#include "remote/provisioning/applyprotocol.h"
#include "wizard/exportflow.h"
#include "wizard/provisioningflow.h"
#include "wizard/wizardcontroller.h"

#include <QDir>

namespace wmw {

namespace {
using provisioning::ApplyProtocol;
using provisioning::ProgressLine;

// The parts of a WeeWX 5 package's weewx.conf the edit touches, with weewx-mqtt just
// installed (its installer writes the placeholder server_url).
const char kWeewxConf[] = R"(# WEEWX CONFIGURATION FILE

debug = 0
WEEWX_ROOT = /etc/weewx

[Station]
    location = "Weather Pi, Hilltop"
    latitude = 51.48
    longitude = -0.01
    altitude = 40, meter
    station_type = Vantage

[StdRESTful]
    [[StationRegistry]]
        register_this_station = false

    [[MQTT]]
        server_url = INSERT_SERVER_URL_HERE

[StdReport]
    SKIN_ROOT = skins
    HTML_ROOT = /var/www/html/weewx
    data_binding = wx_binding

    [[SeasonsReport]]
        skin = Seasons
        enable = true

    [[Belchertown]]
        skin = Belchertown
        HTML_ROOT = /var/www/html/weewx/belchertown
        enable = true
        [[[Extras]]]
            belchertown_root_url = https://weather.example.org

[Engine]
    [[Services]]
        prep_services = weewx.engine.StdTimeSynch
        data_services = ,
        process_services = weewx.engine.StdConvert, weewx.engine.StdCalibrate, weewx.engine.StdQC, weewx.wxservices.StdWXCalculate
        archive_services = weewx.engine.StdArchive
        restful_services = weewx.restx.StdStationRegistry, user.mqtt.MQTT
        report_services = weewx.engine.StdPrint, weewx.engine.StdReport
)";

const QString kBackup = QStringLiteral("20261125T160512Z");

// The Provisioner's step for handing the staged files to the Pi: the changed files, apply.sh
// and the manifest.
QString stagingStep(const config::Plan &plan)
{
    int files = 2;
    for (const config::FilePlan &file : plan.files())
        files += file.action != config::FileAction::Unchanged ? 1 : 0;
    return provisioning::Provisioner::tr(
            "Uploading %n file(s) into a private staging folder on the Pi.", nullptr, files);
}
} // namespace

void applyProvisioningDemo(WizardController &controller)
{
    const config::StationProfile &profile = controller.profile();
    QHash<QString, config::CurrentFile> current;
    config::CurrentFile conf;
    conf.exists = true;
    conf.bytes = QByteArray(kWeewxConf);
    conf.owner = QStringLiteral("root");
    conf.group = QStringLiteral("weewx");
    conf.mode = 0664;
    current.insert(profile.weewxConfPath, conf);
    const config::GenerateResult generated =
            config::Generate::run(profile, controller.secrets(), current);
    ProvisioningFlow *flow = controller.provisioningFlow();
    if (!generated.ok()) {
        PlanStatus failed;
        failed.state = PlanStatus::State::Failed;
        failed.message = generated.errorString;
        flow->presentPlan(failed);
        return;
    }

    PlanStatus plan;
    plan.state = PlanStatus::State::Ready;
    plan.plan = config::Plan::make(generated.files, current);
    plan.message = ProvisioningFlow::tr("Read from the Pi. Nothing has been changed yet.");
    plan.commands = ProvisioningFlow::commandsFor(profile, plan.plan, false);
    plan.piWeewxConf = conf.bytes;
    plan.hasPiWeewxConf = true;
    flow->presentPlan(plan);

    // The apply as the Pi reports it, in the Provisioner's own words.
    RunStatus apply;
    apply.state = RunStatus::State::Succeeded;
    apply.plan = plan.plan;
    apply.backupName = kBackup;
    apply.restartedUnits = {QStringLiteral("mosquitto"), QStringLiteral("weewx")};
    QStringList texts = {
            provisioning::Provisioner::tr("Looking at the Pi (WeeWX, weewx-mqtt, paho-mqtt, "
                                          "mosquitto)."),
            provisioning::Provisioner::tr("Reading the Pi's current files."),
            stagingStep(plan.plan),
            provisioning::Provisioner::tr("Installing on the Pi (one sudo run): check, back up, "
                                          "install, restart, verify."),
    };
    QList<ProgressLine> lines = {
            {QStringLiteral("start"), QStringLiteral("ok"), QString()},
            {QStringLiteral("check"), QStringLiteral("ok"), profile.weewxConfPath},
            {QStringLiteral("backup"), QStringLiteral("ok"), kBackup}};
    for (const config::FilePlan &file : plan.plan.files())
        lines.append({QStringLiteral("install"), QStringLiteral("ok"), file.wanted.path});
    lines += {{QStringLiteral("restart"), QStringLiteral("ok"), QStringLiteral("mosquitto")},
              {QStringLiteral("active"), QStringLiteral("ok"), QStringLiteral("mosquitto")},
              {QStringLiteral("listen"), QStringLiteral("ok"), QStringLiteral("1883")},
              {QStringLiteral("listen"), QStringLiteral("ok"), QStringLiteral("9001")},
              {QStringLiteral("log"), QStringLiteral("ok"), QString()},
              {QStringLiteral("restart"), QStringLiteral("ok"), QStringLiteral("weewx")},
              {QStringLiteral("active"), QStringLiteral("ok"), QStringLiteral("weewx")},
              {QStringLiteral("end"), QStringLiteral("ok"), kBackup}};
    for (const ProgressLine &line : std::as_const(lines))
        texts << ApplyProtocol::describe(line);
    texts << provisioning::Provisioner::tr("Live data arrives on %1: publishing works.")
                     .arg(profile.pageTopic());
    double seconds = 0.4;
    for (const QString &text : std::as_const(texts)) {
        apply.steps.append({text, RunStatus::StepState::Done});
        apply.log << ProvisioningFlow::tr("[%1 s] %2").arg(seconds, 0, 'f', 1).arg(text);
        seconds += text.startsWith(QLatin1String("Restarted")) ? 2.3 : 0.3;
    }
    apply.result = ProvisioningFlow::tr("Installed, and the live data arrives. The old files "
                                        "are backed up on the Pi in %1/%2.")
                           .arg(ApplyProtocol::backupRoot(), kBackup);
    apply.log << apply.result;
    flow->presentApply(apply);

    // A bundle as the export page lists it after writing.
    config::BundleInput input;
    input.profile = profile;
    input.secrets = controller.secrets();
    input.currentWeewxConf = conf.bytes;
    const config::BundleResult bundle = config::Bundle::make(input);
    ExportStatus written;
    written.state = ExportStatus::State::Written;
    written.path =
            QDir::home().filePath(QStringLiteral("weewx-mqtt-bundle-weatherpi.local.tar.gz"));
    for (const config::BundleEntry &entry : bundle.entries) {
        if (!entry.isDirectory)
            written.files.append({entry.path, entry.bytes.size(), entry.mode, entry.holdsSecret});
    }
    written.message = ExportFlow::tr("Wrote %n file(s) into %1. It holds password hashes and the "
                                     "passwords WeeWX needs: keep it private.",
                                     nullptr, int(written.files.size()))
                              .arg(written.path);
    controller.exportFlow()->present(written);
}

void applyRolledBackDemo(WizardController &controller)
{
    const config::StationProfile &profile = controller.profile();
    ProvisioningFlow *flow = controller.provisioningFlow();
    const config::Plan plan = flow->planStatus().plan;
    RunStatus apply;
    apply.state = RunStatus::State::Failed;
    apply.error = provisioning::Provisioner::Error::ApplyFailed;
    apply.rolledBack = true;
    apply.plan = plan;
    apply.restartedUnits = {QStringLiteral("mosquitto")};
    using StepState = RunStatus::StepState;
    QList<RunStatus::Step> steps = {
            {provisioning::Provisioner::tr("Looking at the Pi (WeeWX, weewx-mqtt, paho-mqtt, "
                                           "mosquitto)."),
             StepState::Done},
            {provisioning::Provisioner::tr("Reading the Pi's current files."), StepState::Done},
            {stagingStep(plan), StepState::Done},
            {provisioning::Provisioner::tr("Installing on the Pi (one sudo run): check, back up, "
                                           "install, restart, verify."),
             StepState::Done},
    };
    auto line = [&steps](const char *step, const char *status, const QString &detail,
                         StepState state) {
        steps.append({ApplyProtocol::describe({QLatin1String(step), QLatin1String(status), detail}),
                      state});
    };
    line("start", "ok", QString(), StepState::Done);
    line("check", "ok", profile.weewxConfPath, StepState::Done);
    line("backup", "ok", kBackup, StepState::Done);
    for (const config::FilePlan &file : plan.files())
        line("install", "ok", file.wanted.path, StepState::Done);
    line("restart", "ok", QStringLiteral("mosquitto"), StepState::Done);
    line("active", "ok", QStringLiteral("mosquitto"), StepState::Done);
    line("listen", "ok", QString::number(profile.mqttPort), StepState::Done);
    const QString port = QString::number(profile.websocketPort);
    line("listen", "failed", port, StepState::Failed);
    const QString why = steps.constLast().text;
    line("rollback", "start", QString(), StepState::RollingBack);
    for (const config::FilePlan &file : plan.files())
        line("restore", "ok", file.wanted.path, StepState::RollingBack);
    line("restart", "ok", QStringLiteral("mosquitto"), StepState::RollingBack);
    line("rollback", "ok", QString(), StepState::RollingBack);
    double seconds = 0.4;
    for (const RunStatus::Step &step : std::as_const(steps)) {
        apply.log << ProvisioningFlow::tr("[%1 s] %2").arg(seconds, 0, 'f', 1).arg(step.text);
        seconds += step.text.startsWith(QLatin1String("Restarted")) ? 2.3 : 0.3;
    }
    apply.steps = steps;
    apply.result = provisioning::Provisioner::tr("Applying failed: %1 Every file was restored "
                                                 "and the services run with the old files again.")
                           .arg(why);
    apply.log << apply.result;
    flow->presentApply(apply);
}

} // namespace wmw
