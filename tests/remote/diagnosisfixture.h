// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Shared by the diagnosis tests: a simulated Pi set up the way provisioning leaves it, written
// directly with the config/ generators (so these tests do not depend on the Provisioner).

#include "config/aclfile.h"
#include "config/listenerconf.h"
#include "config/passwordfile.h"
#include "config/stationprofile.h"
#include "config/weewxconf.h"
#include "config/weewxconf_liveupdate.h"
#include "config/weewxconf_profile.h"
#include "remote/diagnosis/diagnoser.h"
#include "remote/diagnosis/rules.h"
#include "remote/ssh/sshsession.h"
#include "support/simulatedpi.h"

#include <QSignalSpy>
#include <QString>
#include <QStringList>
#include <QTest>

namespace wmw::test {

struct Station
{
    config::StationProfile profile;
    config::Secrets secrets;
};

inline Station healthyStation(const SimulatedPi &pi)
{
    Station s;
    s.profile.piHost = pi.host();
    s.profile.sshPort = pi.sshPort();
    s.profile.sshUser = pi.user();
    s.profile.mqttPort = pi.mqttPort();
    s.profile.websocketPort = pi.websocketPort();
    s.profile.serverUrlHost = QStringLiteral("127.0.0.1");
    s.profile.logSuccess = true;
    s.secrets.publishPassword = QStringLiteral("pub-Secret-4711");
    s.secrets.webPassword = QStringLiteral("web-Secret-0815");
    return s;
}

/// Writes the acl file, password file, listener conf and the weewx.conf edit for `station`,
/// installs weewx-mqtt and restarts both services, as provisioning does.
inline bool provision(const SimulatedPi &pi, const Station &station, QString *error)
{
    const config::StationProfile &p = station.profile;
    auto failed = [&](const QString &what) {
        *error = what;
        return false;
    };
    if (!pi.exec({QStringLiteral("weectl"), QStringLiteral("extension"), QStringLiteral("install"),
                  QStringLiteral("weewx-mqtt.zip"), QStringLiteral("-y")})
                 .ok())
        return failed(QStringLiteral("weectl extension install failed"));
    const config::AclParseResult acl = config::AclFile::mergeProfile({}, p);
    if (!acl.ok())
        return failed(acl.errorString);
    const config::PasswordMergeResult pw =
            config::PasswordFile::merge({}, {{p.publishUser, station.secrets.publishPassword},
                                             {p.webUser, station.secrets.webPassword}});
    if (!pw.ok())
        return failed(pw.errorString);
    const QString owner = QStringLiteral("mosquitto:mosquitto");
    if (!pi.writeFile(p.aclFilePath, acl.file.render(), owner, QStringLiteral("0600"))
        || !pi.writeFile(p.passwordFilePath, pw.bytes, owner, QStringLiteral("0600"))
        || !pi.writeFile(p.listenerConfPath, config::ListenerConf::render(p),
                         QStringLiteral("root:root"), QStringLiteral("0644")))
        return failed(QStringLiteral("writing the broker's files failed"));
    bool ok = false;
    const QByteArray current = pi.readFile(p.weewxConfPath, &ok);
    if (!ok)
        return failed(QStringLiteral("weewx.conf unreadable"));
    config::WeewxConfStatus status;
    config::WeewxConf conf = config::WeewxConf::parse(current, &status);
    if (!status.ok())
        return failed(status.message);
    status = config::LiveUpdateEdit::apply(conf, config::liveUpdateSettings(p, station.secrets));
    if (!status.ok())
        return failed(status.message);
    if (!pi.writeFile(p.weewxConfPath, conf.toBytes(), QStringLiteral("weewx:weewx"),
                      QStringLiteral("0660")))
        return failed(QStringLiteral("writing weewx.conf failed"));
    for (const char *service : {"mosquitto", "weewx"}) {
        const SimulatedPi::Result r =
                pi.exec({QStringLiteral("systemctl"), QStringLiteral("restart"),
                         QString::fromLatin1(service)});
        if (!r.ok())
            return failed(QStringLiteral("restart %1: %2")
                                  .arg(QLatin1String(service), QString::fromUtf8(r.err)));
    }
    // The page is generated at weewxd's start: wait until it holds the new settings, so a
    // fault injected next does not meet a page from before provisioning.
    const QString js = QStringLiteral("/var/www/html/weewx/belchertown/js/belchertown.js");
    const QByteArray port = ", " + QByteArray::number(p.pagePort()) + ',';
    if (!QTest::qWaitFor([&]() { return pi.readFile(js).contains(port); }, 20000))
        return failed(QStringLiteral("the page was not regenerated"));
    return true;
}

struct DiagnosisOutcome
{
    diagnosis::Diagnoser::State state = diagnosis::Diagnoser::State::Idle;
    diagnosis::DiagnosisReport report;
    QString error;
};

/// Runs the Diagnoser against `pi` as the wizard does, over a real SSH session. The stand-in
/// sends a loop packet every 2 s: `liveMessageTimeoutMs` of silence is a verdict.
inline DiagnosisOutcome diagnose(const SimulatedPi &pi, const QString &pageUrl,
                                 int liveMessageTimeoutMs = 10000)
{
    using diagnosis::Diagnoser;
    ssh::SshSession session;
    Diagnoser diagnoser(&session);
    Diagnoser::Options options;
    options.target.host = pi.host();
    options.target.port = pi.sshPort();
    options.target.user = pi.user();
    options.target.identityFile = pi.clientKeyFile();
    options.target.knownHostsFile = pi.knownHostsFile();
    options.target.processConfig = false;
    options.target.connectTimeoutMs = 10000;
    options.sudoPassword = QString::fromUtf8(pi.password());
    options.pageUrl = pageUrl;
    options.liveMessageTimeoutMs = liveMessageTimeoutMs;
    options.liveStepTimeoutMs = 5000;
    QSignalSpy finished(&diagnoser, &Diagnoser::finished);
    diagnoser.start(options);
    if (!finished.wait(180000))
        return {};
    return {diagnoser.state(), diagnoser.report(), diagnoser.errorString()};
}

/// The findings that do not pass, one a line with their evidence (for failure messages).
inline QString describeFindings(const QList<diagnosis::Finding> &findings)
{
    using namespace diagnosis;
    QStringList lines;
    for (const Finding &f : findings) {
        if (f.severity == Severity::Pass)
            continue;
        QStringList evidence;
        for (const Evidence &e : f.evidence)
            evidence << e.source + u':' + QString::number(e.line) + u' ' + e.text;
        lines << FindingText::severityId(f.severity) + u' ' + f.id + u": " + f.title + u" ["
                         + evidence.join(QStringLiteral(" | ")) + u']';
    }
    return lines.join(u'\n');
}

} // namespace wmw::test
