// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/applycommand.h"
#include "app/sshlogin.h"
#include "app/terminal.h"

#include "config/stationprofile.h"
#include "config/validation.h"
#include "remote/provisioning/provisioner.h"
#include "remote/ssh/sshsession.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QTextStream>

#include <cstdio>
#include <optional>
#include <termios.h>
#include <unistd.h>

namespace wmw::app {

namespace {

using provisioning::Provisioner;

// Exit codes beyond 0/1/2, documented in --help.
enum ApplyExit {
    ExitRefused = 3, ///< a file changed on the Pi since it was read: nothing changed
    ExitRolledBack = 4, ///< a check failed: every file restored, services restarted
    ExitLiveCheck = 5, ///< installed, but the live check saw no data
    ExitInDoubt = 6, ///< connection lost during the apply, or the rollback failed
};

class ApplyCommand
{
    Q_DECLARE_TR_FUNCTIONS(ApplyCommand)
public:
    static QString applySummary()
    {
        return tr("Push a profile to the Pi in one safe batch: back up, install, restart, "
                  "verify, or roll back.");
    }
    static QString undoSummary()
    {
        return tr("Restore the files of the latest (or a chosen) backup on the Pi and restart.");
    }
    int apply(const QStringList &arguments);
    int undo(const QStringList &arguments);

private:
    void addCommonOptions(QCommandLineParser &parser);
    bool parse(QCommandLineParser &parser, const QString &name, const QStringList &arguments,
               int &status);
    bool readSecrets(bool fromStdin, bool mqtt, const config::StationProfile &profile);
    bool connectSession(ssh::SshSession &session, ssh::SshTarget target);
    int runProvisioner(Provisioner &provisioner, bool printPlan);
    int usage(const QString &text)
    {
        m_err << text << Qt::endl;
        return ExitUsage;
    }

    QTextStream m_out{stdout};
    QTextStream m_err{stderr};
    config::Secrets m_secrets;
    QString m_acceptKey;
    QString m_knownHosts;
    QString m_identity;
    bool m_yes = false;
    QElapsedTimer m_clock;
};

QString passwordsStdinHelp()
{
    return ApplyCommand::tr(
            "--passwords-stdin reads KEY=VALUE lines from standard input (everything after the "
            "first '=' is the password; a CR/LF at the end is dropped): ssh= the SSH login "
            "password (leave out for keys or an agent), sudo= the sudo password (default: the "
            "SSH one), publish= the publishing MQTT user's, web= the web page user's. "
            "Passwords are never arguments.");
}

void ApplyCommand::addCommonOptions(QCommandLineParser &parser)
{
    parser.addHelpOption();
    parser.addOptions({
            {QStringLiteral("passwords-stdin"),
             tr("Read the passwords from standard input (see above).")},
            {QStringLiteral("known-hosts"), tr("known_hosts file (default: ~/.ssh/known_hosts)."),
             tr("file")},
            {QStringLiteral("identity"), tr("SSH private key file."), tr("file")},
            {QStringLiteral("accept-host-key"),
             tr("Trust an unknown host key with this SHA256 fingerprint (as shown)."),
             tr("fingerprint")},
            {QStringLiteral("yes"), tr("Do not ask before changing anything on the Pi.")},
    });
}

bool ApplyCommand::parse(QCommandLineParser &parser, const QString &name,
                         const QStringList &arguments, int &status)
{
    for (const QString &argument : arguments) {
        if (argument.startsWith(QLatin1String("--password"))
            && argument != QLatin1String("--passwords-stdin")) {
            status = usage(tr("Passwords are never command-line arguments (other users can read "
                              "those). Use --passwords-stdin or type them when asked."));
            return false;
        }
    }
    const QString program = QCoreApplication::applicationName() + u' ' + name;
    if (!parser.parse(QStringList{program} + arguments)) {
        status = usage(parser.errorText());
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QString help = parser.helpText();
        help.replace(u"Usage: " + QCoreApplication::arguments().constFirst(), u"Usage: " + program);
        m_out << help << Qt::endl;
        status = ExitOk;
        return false;
    }
    m_yes = parser.isSet(QStringLiteral("yes"));
    m_knownHosts = parser.value(QStringLiteral("known-hosts"));
    m_identity = parser.value(QStringLiteral("identity"));
    m_acceptKey = parser.value(QStringLiteral("accept-host-key"));
    return true;
}

bool ApplyCommand::readSecrets(bool fromStdin, bool mqtt, const config::StationProfile &profile)
{
    if (fromStdin) {
        QString error;
        const auto lines = readPasswordLines({QStringLiteral("ssh"), QStringLiteral("sudo"),
                                              QStringLiteral("publish"), QStringLiteral("web")},
                                             &error);
        if (!lines) {
            m_err << error << Qt::endl;
            return false;
        }
        m_secrets.sshPassword = lines->value(QStringLiteral("ssh"));
        m_secrets.sudoPassword = lines->value(QStringLiteral("sudo"));
        m_secrets.publishPassword = lines->value(QStringLiteral("publish"));
        m_secrets.webPassword = lines->value(QStringLiteral("web"));
    } else if (!::isatty(STDIN_FILENO)) {
        m_err << tr("Standard input is not a terminal: give the passwords with "
                    "--passwords-stdin.")
              << Qt::endl;
        return false;
    } else {
        m_secrets.sudoPassword = prompt(tr("sudo password on the Pi (empty if none is needed): "))
                                         .value_or(QString());
        if (mqtt) {
            m_secrets.publishPassword = prompt(tr("Password of the publishing MQTT user \"%1\": ")
                                                       .arg(profile.publishUser))
                                                .value_or(QString());
            if (!profile.sharesOneUser())
                m_secrets.webPassword =
                        prompt(tr("Password of the web page user \"%1\" (public: visitors "
                                  "can read it): ")
                                       .arg(profile.webUser))
                                .value_or(QString());
        }
    }
    if (m_secrets.sudoPassword.isEmpty())
        m_secrets.sudoPassword = m_secrets.sshPassword;
    if (mqtt && profile.sharesOneUser() && m_secrets.webPassword.isEmpty())
        m_secrets.webPassword = m_secrets.publishPassword;
    return true;
}

bool ApplyCommand::connectSession(ssh::SshSession &session, ssh::SshTarget target)
{
    target.password = m_secrets.sshPassword;
    target.knownHostsFile = m_knownHosts;
    target.identityFile = m_identity;
    const QString error = connectFromTerminal(session, target, {m_acceptKey, true});
    if (!error.isEmpty()) {
        m_err << error << Qt::endl;
        return false;
    }
    return true;
}

int ApplyCommand::runProvisioner(Provisioner &provisioner, bool printPlan)
{
    QEventLoop loop;
    QObject::connect(&provisioner, &Provisioner::step, &loop, [this](const QString &text) {
        m_out << tr("[%1 s] %2").arg(m_clock.elapsed() / 1000.0, 0, 'f', 1).arg(text) << Qt::endl;
    });
    if (printPlan)
        QObject::connect(&provisioner, &Provisioner::planReady, &loop, [&] {
            m_out << QString::fromUtf8(provisioner.plan().render()) << Qt::flush;
        });
    QObject::connect(&provisioner, &Provisioner::finished, &loop, &QEventLoop::quit);
    loop.exec();
    for (const QString &note : provisioner.notes())
        m_err << tr("Note: %1").arg(note) << Qt::endl;
    if (provisioner.state() == Provisioner::State::Succeeded)
        return ExitOk;
    m_err << provisioner.errorString() << Qt::endl;
    switch (provisioner.error()) {
    case Provisioner::Error::InvalidInput:
        return ExitUsage;
    case Provisioner::Error::ChangedOnPi:
        return ExitRefused;
    case Provisioner::Error::ApplyFailed:
        return ExitRolledBack;
    case Provisioner::Error::LiveCheckFailed:
        return ExitLiveCheck;
    case Provisioner::Error::ConnectionLostDuringApply:
    case Provisioner::Error::RollbackFailed:
    case Provisioner::Error::Timeout:
        return ExitInDoubt;
    default:
        return ExitFailure;
    }
}

QString exitCodesHelp()
{
    return ApplyCommand::tr("Exit codes: 0 done, 1 failed before anything changed, 2 bad "
                            "command line or input, 3 a file changed on the Pi since it was "
                            "read (nothing changed), 4 a check failed and every file was "
                            "restored, 5 installed but the live check saw no data, 6 the "
                            "outcome is in doubt (connection lost during the apply, or the "
                            "rollback failed): run apply again to see.");
}

int ApplyCommand::apply(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(applySummary() + u"\n\n" + passwordsStdinHelp() + u"\n\n"
                                     + exitCodesHelp());
    addCommonOptions(parser);
    parser.addOptions({
            {QStringLiteral("profile"), tr("The station profile (JSON)."), tr("file")},
            {QStringLiteral("dry-run"), tr("Print the plan and the diff; change nothing.")},
            {QStringLiteral("skip-extension"),
             tr("Do not install weewx-mqtt when it is missing (then nothing is changed).")},
            {QStringLiteral("no-verify"), tr("Skip the live check after installing.")},
    });
    int status = ExitOk;
    if (!parse(parser, QStringLiteral("apply"), arguments, status))
        return status;
    if (!parser.isSet(QStringLiteral("profile")))
        return usage(tr("apply needs --profile FILE."));
    QFile file(parser.value(QStringLiteral("profile")));
    if (!file.open(QIODevice::ReadOnly))
        return usage(tr("Cannot read %1: %2").arg(file.fileName(), file.errorString()));
    const config::ProfileLoadResult loaded = config::ProfileJson::fromJson(file.readAll());
    if (!loaded.ok())
        return usage(tr("%1: %2").arg(file.fileName(), loaded.errorString));
    const config::StationProfile &profile = loaded.profile;
    if (!readSecrets(parser.isSet(QStringLiteral("passwords-stdin")), true, profile))
        return ExitUsage;

    m_clock.start();
    ssh::SshSession session;
    ssh::SshTarget target;
    target.host = profile.piHost;
    target.port = profile.sshPort;
    target.user = profile.sshUser;
    if (!connectSession(session, target))
        return ExitFailure;

    Provisioner::Options options;
    options.installExtension = !parser.isSet(QStringLiteral("skip-extension"));
    options.verify = !parser.isSet(QStringLiteral("no-verify"));
    const bool dryRun = parser.isSet(QStringLiteral("dry-run"));
    if (dryRun || (!m_yes && ::isatty(STDIN_FILENO))) {
        // Show the plan first; apply only after a yes (the apply plans again and refuses if a
        // file changed in between).
        Provisioner::Options dry = options;
        dry.dryRun = true;
        Provisioner planner(&session);
        planner.apply(profile, m_secrets, dry);
        const int planned = runProvisioner(planner, true);
        if (dryRun || planned != ExitOk)
            return planned;
        if (planner.plan().changesNothing() && !options.verify)
            return ExitOk;
        const auto answer = prompt(tr("Apply this plan on the Pi? [y/N] "), true);
        if (!answer || !answer->trimmed().toLower().startsWith(u'y')) {
            m_err << tr("Nothing was changed.") << Qt::endl;
            return ExitFailure;
        }
    } else if (!m_yes) {
        return usage(tr("Standard input is not a terminal: pass --yes to apply without "
                        "confirming, or --dry-run to see the plan."));
    }
    Provisioner provisioner(&session);
    provisioner.apply(profile, m_secrets, options);
    return runProvisioner(provisioner, m_yes);
}

int ApplyCommand::undo(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(undoSummary() + u"\n\n" + passwordsStdinHelp() + u"\n\n"
                                     + exitCodesHelp());
    addCommonOptions(parser);
    parser.addOptions({
            {QStringLiteral("host"), tr("The Pi's host name or address."), tr("host")},
            {QStringLiteral("port"), tr("SSH port (default 22)."), tr("port"),
             QStringLiteral("22")},
            {QStringLiteral("user"), tr("SSH user."), tr("name")},
            {QStringLiteral("backup"),
             tr("Backup to restore (a folder name in /var/backups/weewx-mqtt-wizard; default: "
                "the latest apply not undone yet)."),
             tr("name")},
    });
    int status = ExitOk;
    if (!parse(parser, QStringLiteral("undo"), arguments, status))
        return status;
    const QString host = parser.value(QStringLiteral("host"));
    if (const QString problem = config::Validation::checkHost(tr("--host"), host);
        !problem.isEmpty())
        return usage(problem);
    bool portOk = false;
    const int port = parser.value(QStringLiteral("port")).toInt(&portOk);
    if (!portOk || port < 1 || port > 65535)
        return usage(tr("--port must be between 1 and 65535."));
    if (!m_yes && !::isatty(STDIN_FILENO) && !parser.isSet(QStringLiteral("passwords-stdin")))
        return usage(tr("Standard input is not a terminal: pass --yes and --passwords-stdin."));
    if (!readSecrets(parser.isSet(QStringLiteral("passwords-stdin")), false, {}))
        return ExitUsage;
    m_clock.start();
    ssh::SshSession session;
    ssh::SshTarget target;
    target.host = host;
    target.port = port;
    target.user = parser.value(QStringLiteral("user"));
    if (!connectSession(session, target))
        return ExitFailure;
    Provisioner provisioner(&session);
    provisioner.undo(parser.value(QStringLiteral("backup")), m_secrets);
    return runProvisioner(provisioner, false);
}

} // namespace

int runApply(const QStringList &arguments)
{
    ApplyCommand command;
    return command.apply(arguments);
}

int runUndo(const QStringList &arguments)
{
    ApplyCommand command;
    return command.undo(arguments);
}

Subcommand applySubcommand()
{
    return {QStringLiteral("apply"), ApplyCommand::applySummary(), &runApply};
}

Subcommand undoSubcommand()
{
    return {QStringLiteral("undo"), ApplyCommand::undoSummary(), &runUndo};
}

} // namespace wmw::app
